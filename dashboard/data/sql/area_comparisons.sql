-- Quick Profile: each indicator's latest comparison of one area with Scotland, its council,
-- its family group and its baseline (marts.comparisons; polarity already applied).
-- Grain: one row per indicator x comparator (the area's latest compared period that is not
-- a projection, the period the profile shows).
with observed as (
    select indicator_id, period_label
    from marts.indicator_values
    where area_type = $area_type and area_code = $area_code and value_type <> 'projected'
),

compared as (
    select c.indicator_id, c.comparator, c.comparator_area_code, c.comparator_period_label, c.comparator_value,
           c.verdict_95, c.verdict_998, c.period_label, c.period_year
    from marts.comparisons as c
    semi join observed as o on o.indicator_id = c.indicator_id and o.period_label = c.period_label
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
