-- Area types that have areas, labelled and in the catalogue's order (one row per type).
with present as (
    select area_type, count(*) as area_count
    from marts.areas
    group by area_type
),

final as (
    select
        p.area_type,
        coalesce(t.label, p.area_type) as label,
        p.area_count,
        t.sort_order
    from present as p
    left join meta.area_types as t using (area_type)
)

select area_type, label, area_count
from final
order by sort_order nulls last, area_type
