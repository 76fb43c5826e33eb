-- Dashboard: for one scope area (a council or one of its localities), each indicator x area of the
-- scope itself (is_scope, the first column of the matrix) and of its child areas of one type: the
-- latest value, the trend verdict, the comparison with Scotland in the latest period and, where
-- marts.targets has a target for that indicator x area, the target and its status (on track, at
-- risk, off track or cannot be calculated). Grain: one row per indicator x area with a marts.trend
-- row. Targets are usually set at council level, so the scope's own row is where most appear.
-- Children of a council: the areas of the type that lie in it (marts.areas.council_code).
-- Children of any other scope (a locality): the data zones or intermediate zones lying wholly
-- within it (core.bridge_area_area, the nesting the build aggregates by).
with nested as (
    select child_code as area_code
    from core.bridge_area_area
    where area_type = $scope_type and area_code = $scope_code and child_type = $area_type
),

children as (
    select a.area_type, a.area_code, a.area_name, false as is_scope
    from marts.areas as a
    where a.area_type = $area_type
      and (
          ($scope_type = 'council' and a.council_code = $scope_code)
          or ($scope_type <> 'council' and a.area_code in (select area_code from nested))
      )
),

scope_area as (
    select a.area_type, a.area_code, a.area_name, true as is_scope
    from marts.areas as a
    where a.area_type = $scope_type and a.area_code = $scope_code
),

shown as (
    select * from scope_area
    union all
    select * from children
),

final as (
    select
        t.indicator_id, i.short_title, i.soa_priority, i.unit_label, c.area_type, c.area_code, c.area_name,
        c.is_scope, t.latest_period_label, t.latest_value, t.trend_verdict, t.improvement_rag, t.cpop_rating,
        cmp.verdict_95 as vs_scotland, tg.target_value, tg.target_year, tg.status as target_status
    from marts.trend as t
    join shown as c using (area_type, area_code)
    join meta.indicators as i using (indicator_id)
    left join marts.comparisons as cmp
        on cmp.indicator_id = t.indicator_id and cmp.area_type = t.area_type and cmp.area_code = t.area_code
       and cmp.period_label = t.latest_period_label and cmp.comparator = 'scotland'
    left join marts.targets as tg
        on tg.indicator_id = t.indicator_id and tg.area_type = t.area_type and tg.area_code = t.area_code
)

select * from final
order by soa_priority, short_title, is_scope desc, area_name
