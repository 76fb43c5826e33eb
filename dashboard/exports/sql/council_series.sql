-- One council's series for every indicator (comparator for a user-made area inside it).
select 'council' as role, a.area_name, v.*
from marts.indicator_values as v
inner join marts.areas as a using (area_type, area_code)
where v.area_type = 'council' and v.area_code = $council_code
order by v.indicator_id, v.period_year, v.period_label
