-- Quick Profile: every indicator's series for one area (sparklines), oldest first.
select indicator_id, period_label, period_year, value, is_suppressed, value_type
from marts.indicator_values
where area_type = $area_type and area_code = $area_code
order by indicator_id, period_year, period_label
