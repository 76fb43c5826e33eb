-- Dashboard: for one scope area (a council or one of its localities), each indicator x child
-- area of one type: the latest value, the trend verdict and the comparison with Scotland in the
-- latest period. Grain: one row per indicator x child area with a marts.trend row.
-- Children of a council: the areas of the type that lie in it (marts.areas.council_code).
-- Children of any other scope (a locality): the data zones or intermediate zones lying wholly
-- within it (core.bridge_area_area, the nesting the build aggregates by).
with nested as (
    select child_code as area_code
    from core.bridge_area_area
    where area_type = $scope_type and area_code = $scope_code and child_type = $area_type
),

children as (
    select a.area_type, a.area_code, a.area_name
    from marts.areas as a
    where a.area_type = $area_type
      and (
          ($scope_type = 'council' and a.council_code = $scope_code)
          or ($scope_type <> 'council' and a.area_code in (select area_code from nested))
      )
),

final as (
    select
        t.indicator_id, i.short_title, i.soa_priority, i.unit_label, c.area_code, c.area_name,
        t.latest_period_label, t.latest_value, t.trend_verdict, t.improvement_rag, t.cpop_rating,
        cmp.verdict_95 as vs_scotland
    from marts.trend as t
    join children as c using (area_type, area_code)
    join meta.indicators as i using (indicator_id)
    left join marts.comparisons as cmp
        on cmp.indicator_id = t.indicator_id and cmp.area_type = t.area_type and cmp.area_code = t.area_code
       and cmp.period_label = t.latest_period_label and cmp.comparator = 'scotland'
)

select * from final
order by soa_priority, short_title, area_name
