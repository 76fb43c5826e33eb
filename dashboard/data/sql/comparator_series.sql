-- Area Profiles: the series of one indicator for the comparator areas a user added to the trend
-- chart (any published area). Grain: one row per comparator area x period. $areas holds
-- 'area_type|area_code' keys; an area without values for the indicator has no rows.
with chosen as (
    select split_part(k, '|', 1) as area_type, split_part(k, '|', 2) as area_code
    from (select unnest($areas::varchar[]) as k)
),

final as (
    select
        a.area_type, a.area_code, a.area_name, v.period_label, v.period_year, v.value, v.ci_lower, v.ci_upper,
        v.is_suppressed, v.suppression_reason, v.value_type, v.value_source, v.is_revised, v.note
    from chosen as c
    inner join marts.areas as a on a.area_type = c.area_type and a.area_code = c.area_code
    inner join marts.indicator_values as v
        on v.area_type = a.area_type and v.area_code = a.area_code and v.indicator_id = $indicator_id
)

select * from final
order by area_type, area_code, period_year, period_label
