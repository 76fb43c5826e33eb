-- Each indicator's latest period for one area, with its council's and Scotland's value
-- for the same period (like-for-like comparison), the trend verdict and the Improvement
-- Service's own improvement rate and rating from marts.trend, and where the figure comes from.
-- One row per indicator with data.
-- "Latest" is the latest observed (raw) value: the publisher's forecasts run past its latest
-- observation, and a value it imputed is a stand-in (only when an area has no observed value is
-- its latest imputed, then projected, value shown); the newest projection is given beside it.
-- Where each figure comes from is added by Queries.latest_values (value_datasets.sql).
with target as (
    select area_type, area_code, council_code
    from marts.areas
    where area_type = $area_type and area_code = $area_code
),

area_values as (
    -- constants, not a join, so that DuckDB reads only the area type's row groups
    select v.*
    from marts.indicator_values as v
    where v.area_type = $area_type and v.area_code = $area_code
      and exists (select 1 from target)
),

latest as (
    select *
    from area_values
    qualify row_number() over (
        partition by indicator_id
        order by case value_type when 'raw' then 0 when 'projected' then 2 else 1 end,
                 period_year desc, period_label desc
    ) = 1
),

projections as (
    select indicator_id,
           arg_max(period_label, period_year) as projected_period_label,
           arg_max(value, period_year) as projected_value
    from area_values
    where value_type = 'projected' and value is not null
    group by indicator_id
),

council_values as (
    select v.indicator_id, v.period_label, v.value, v.is_suppressed
    from marts.indicator_values as v
    where v.area_type = 'council' and v.area_code in (select council_code from target)
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
        i.publisher,
        l.period_label,
        l.period_year,
        l.numerator,
        l.value,
        l.ci_lower,
        l.ci_upper,
        l.is_suppressed,
        l.suppression_reason,
        l.value_type,
        l.value_source,
        l.is_revised,
        l.note,
        l.source_release,
        p.projected_period_label,
        p.projected_value,
        i.last_update,
        c.value as council_value,
        coalesce(c.is_suppressed, false) as council_is_suppressed,
        s.value as scotland_value,
        coalesce(s.is_suppressed, false) as scotland_is_suppressed,
        coalesce(tr.trend_verdict, 'cannot be calculated') as trend_verdict,
        tr.trend_points,
        tr.cpop_rating,
        tr.cpop_rating_words,
        tr.cpop_improvement_rate,
        tr.cpop_baseline_period,
        tr.cpop_latest_period
    from latest as l
    inner join meta.indicators as i using (indicator_id)
    left join projections as p
        on p.indicator_id = l.indicator_id and p.projected_period_label <> l.period_label
       and l.value_type <> 'projected'
    left join council_values as c
        on c.indicator_id = l.indicator_id and c.period_label = l.period_label
    left join scotland_values as s
        on s.indicator_id = l.indicator_id and s.period_label = l.period_label
    left join (select * from marts.trend where area_type = $area_type and area_code = $area_code) as tr
        on tr.indicator_id = l.indicator_id
)

select *
from final
order by soa_priority, indicator_id
