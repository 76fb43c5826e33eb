-- Dashboard: for one council, each indicator x child area (of one type): the latest value,
-- the trend verdict and the comparison with Scotland in the latest period.
with children as (
    select area_type, area_code, area_name from marts.areas
    where area_type = $area_type and council_code = $council
)
select
    t.indicator_id, i.short_title, i.soa_priority, i.unit_label, c.area_code, c.area_name,
    t.latest_period_label, t.latest_value, t.trend_verdict, t.improvement_rag,
    cmp.verdict_95 as vs_scotland
from marts.trend as t
join children as c using (area_type, area_code)
join meta.indicators as i using (indicator_id)
left join marts.comparisons as cmp
    on cmp.indicator_id = t.indicator_id and cmp.area_type = t.area_type and cmp.area_code = t.area_code
   and cmp.period_label = t.latest_period_label and cmp.comparator = 'scotland'
order by i.soa_priority, i.short_title, c.area_name
