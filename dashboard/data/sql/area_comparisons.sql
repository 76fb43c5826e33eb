-- Quick Profile: each indicator's latest comparison of one area with Scotland, its council,
-- its family group and its baseline (marts.comparisons; polarity already applied).
-- Grain: one row per indicator x comparator: the comparison of the period the profile shows (the
-- latest observed value, as latest_values.sql picks it) or, when that period has none, the latest
-- one before it.
with shown as (
    select indicator_id, period_year
    from marts.indicator_values
    where area_type = $area_type and area_code = $area_code
    qualify row_number() over (
        partition by indicator_id
        order by case value_type when 'raw' then 0 when 'projected' then 2 else 1 end,
                 period_year desc, period_label desc
    ) = 1
),

compared as (
    select c.indicator_id, c.comparator, c.comparator_area_code, c.comparator_period_label, c.comparator_value,
           c.verdict_95, c.verdict_998, c.period_label, c.period_year
    from marts.comparisons as c
    inner join shown as s on s.indicator_id = c.indicator_id and c.period_year <= s.period_year
    where c.area_type = $area_type and c.area_code = $area_code
),

final as (
    select *
    from compared
    qualify row_number() over (
        partition by indicator_id, comparator order by period_year desc, period_label desc) = 1
)

select indicator_id, comparator, comparator_area_code, comparator_period_label, comparator_value,
       verdict_95, verdict_998, period_label
from final
order by indicator_id, comparator
