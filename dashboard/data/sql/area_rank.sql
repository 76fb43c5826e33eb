-- Area Profiles: one indicator's values in one period for every area of a type (within a
-- council when given), for the rank chart and the map.
select a.area_code, a.area_name, v.value, v.ci_lower, v.ci_upper, v.is_suppressed
from marts.indicator_values as v
join marts.areas as a using (area_type, area_code)
where v.indicator_id = $indicator and v.area_type = $area_type and v.period_label = $period
  and ($council is null or a.council_code = $council)
order by v.value
