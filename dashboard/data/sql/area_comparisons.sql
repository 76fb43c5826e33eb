-- Quick Profile: each indicator's latest comparison of one area with Scotland, its council,
-- its family group and its baseline (marts.comparisons; polarity already applied).
-- Grain: one row per indicator x comparator (the area's latest compared period).
with compared as (
    select indicator_id, comparator, comparator_area_code, comparator_period_label, comparator_value,
           verdict_95, verdict_998, period_label, period_year
    from marts.comparisons
    where area_type = $area_type and area_code = $area_code
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
