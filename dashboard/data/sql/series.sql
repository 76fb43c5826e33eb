-- The time series of one indicator for an area, its council and Scotland.
-- Grain: one row per role (area, council, scotland) x period. A comparator that is the
-- area itself is left out.
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
    where a.area_type = $scotland_type and a.area_code = $scotland_code
      and not exists (select 1 from target as t where t.area_type = $scotland_type)
),

final as (
    select
        m.role,
        m.role_order,
        m.area_type,
        m.area_code,
        m.area_name,
        v.period_label,
        v.period_year,
        v.value,
        v.ci_lower,
        v.ci_upper,
        v.is_suppressed,
        v.suppression_reason,
        v.value_type,
        v.value_source,
        v.is_revised,
        v.note,
        v.source_release
    from members as m
    inner join marts.indicator_values as v
        on v.area_type = m.area_type
       and v.area_code = m.area_code
       and v.indicator_id = $indicator_id
)

select role, area_type, area_code, area_name, period_label, period_year, value,
       ci_lower, ci_upper, is_suppressed, suppression_reason, value_type, value_source, is_revised, note,
       source_release
from final
order by role_order, period_year, period_label
