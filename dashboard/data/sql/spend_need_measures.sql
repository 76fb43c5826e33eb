-- The catalogue's indicators with at least one value for the areas of one type in one council:
-- the need measures a spend view can be set against, in the catalogue's order.
-- Grain: one row per indicator.
with areas as (
    select area_code
    from marts.areas
    where area_type = $area_type and council_code = $council
),

available as (
    select v.indicator_id, min(v.period_year) as first_year, max(v.period_year) as last_year
    from marts.indicator_values as v
    inner join areas as a using (area_code)
    where v.area_type = $area_type and v.value is not null
    group by v.indicator_id
),

final as (
    select i.indicator_id, i.title, i.short_title, i.unit_label, i.polarity, i.soa_priority,
           a.first_year, a.last_year
    from meta.indicators as i
    inner join available as a using (indicator_id)
)

select *
from final
order by soa_priority, indicator_id
