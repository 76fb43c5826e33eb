-- Advanced Tables: the periods with rows for the chosen indicators and area type, newest first.
select period_label, max(period_year) as period_year
from marts.indicator_values
where indicator_id in (select unnest($indicators::varchar[])) and area_type = $area_type
group by period_label
order by period_year desc, period_label desc
