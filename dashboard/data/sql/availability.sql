-- Why an indicator has (or lacks) values for one area: is the area type among the indicator's
-- geographies, how many rows exist, how many are published, the latest suppression reason.
select
    list_contains(i.geographies, $area_type) as published_at_level,
    count(v.indicator_id) as periods,
    count(v.value) as published_periods,
    arg_max(v.suppression_reason, v.period_year) filter (where v.is_suppressed) as suppression_reason
from meta.indicators as i
left join marts.indicator_values as v
    on v.indicator_id = i.indicator_id and v.area_type = $area_type and v.area_code = $area_code
where i.indicator_id = $indicator
group by i.geographies
