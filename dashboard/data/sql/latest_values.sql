-- Each indicator's latest period for one area, with its council's and Scotland's value
-- for the same period (like-for-like comparison) and the trend verdict from marts.trend.
-- One row per indicator with data.
with target as (
    select area_type, area_code, council_code
    from marts.areas
    where area_type = $area_type and area_code = $area_code
),

area_values as (
    select v.*
    from marts.indicator_values as v
    inner join target as t on v.area_type = t.area_type and v.area_code = t.area_code
),

latest as (
    select *
    from area_values
    qualify row_number() over (
        partition by indicator_id order by period_year desc, period_label desc
    ) = 1
),

council_values as (
    select v.indicator_id, v.period_label, v.value, v.is_suppressed
    from marts.indicator_values as v
    inner join target as t on v.area_type = 'council' and v.area_code = t.council_code
),

scotland_values as (
    select v.indicator_id, v.period_label, v.value, v.is_suppressed
    from marts.indicator_values as v
    where v.area_type = $scotland_type and v.area_code = $scotland_code
),

final as (
    select
        l.indicator_id,
        i.title,
        i.short_title,
        i.soa_priority,
        i.soa_priority_label,
        i.unit_label,
        i.polarity,
        i.measure_type,
        l.period_label,
        l.period_year,
        l.value,
        l.ci_lower,
        l.ci_upper,
        l.is_suppressed,
        l.suppression_reason,
        l.value_type,
        l.source_release,
        i.last_update,
        c.value as council_value,
        coalesce(c.is_suppressed, false) as council_is_suppressed,
        s.value as scotland_value,
        coalesce(s.is_suppressed, false) as scotland_is_suppressed,
        coalesce(tr.trend_verdict, 'cannot be calculated') as trend_verdict
    from latest as l
    inner join meta.indicators as i using (indicator_id)
    left join council_values as c
        on c.indicator_id = l.indicator_id and c.period_label = l.period_label
    left join scotland_values as s
        on s.indicator_id = l.indicator_id and s.period_label = l.period_label
    left join marts.trend as tr
        on tr.indicator_id = l.indicator_id and tr.area_type = l.area_type and tr.area_code = l.area_code
)

select *
from final
order by soa_priority, indicator_id
