-- Every indicator's series for one area, its council and Scotland: the one query behind every
-- page's trend chart (Queries.series picks one indicator from it) and every export's series
-- (dashboard.exports.profile), so a page and its PDF cannot read different rows (issue 13).
-- Grain: one row per role (area, council, scotland) x indicator x period. A comparator that is
-- the area itself is left out.
with target as (
    select area_type, area_code, area_name, council_code, council_name
    from marts.areas
    where area_type = $area_type and area_code = $area_code
),

members as (
    select 'area' as role, 0 as role_order, area_type, area_code, area_name
    from target
    union all
    select 'council', 1, 'council', council_code, council_name
    from target
    where council_code is not null
      and not (area_type = 'council' and area_code = council_code)
    union all
    select 'scotland', 2, a.area_type, a.area_code, a.area_name
    from marts.areas as a
    where a.area_type = 'scotland'
      and not exists (select 1 from target as t where t.area_type = 'scotland')
),

member_values as (
    -- each member read with its area type as a constant, so that DuckDB reads only that type's
    -- row groups (the public file is ordered by area type: etl.build.PUBLIC_ORDER); the
    -- branches never overlap (a council or Scotland that is the area itself is read once)
    select v.*
    from marts.indicator_values as v
    where v.area_type = $area_type and v.area_code = $area_code
    union all
    select v.*
    from marts.indicator_values as v
    where v.area_type = 'council' and v.area_code in (select council_code from target)
      and not ($area_type = 'council' and v.area_code = $area_code)
    union all
    select v.*
    from marts.indicator_values as v
    where v.area_type = 'scotland' and $area_type <> 'scotland'
),

final as (
    select m.role, m.role_order, m.area_name, v.*
    from members as m
    inner join member_values as v
        on v.area_type = m.area_type and v.area_code = m.area_code
)

select * exclude (role_order)
from final
order by indicator_id, role_order, period_year, period_label
