-- The areas lying in one council that My areas can add by name (its localities, wards,
-- intermediate zones, data zones, community councils …), labelled with their area type and
-- in the catalogue's order of types, then by name. Grain: one row per area.
with parts as (
    select area_type, area_code, area_name
    from marts.areas
    where council_code = $council and area_type <> 'council'
),

final as (
    select
        p.area_type,
        coalesce(t.label, p.area_type) as area_type_label,
        p.area_code,
        p.area_name,
        t.sort_order
    from parts as p
    left join meta.area_types as t using (area_type)
)

select area_type, area_type_label, area_code, area_name
from final
order by sort_order desc nulls last, area_type, area_name, area_code
