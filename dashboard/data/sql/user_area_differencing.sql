-- A user-made area's values, each flagged when its difference from a nested published area
-- would reveal a small count (issue 4's differencing rule; see dashboard/data/user_areas.py).
-- Runs in the user-area cursor: the TEMP tables u (the area's data zones) and user_values
-- (its values with the pre-suppression true_numerator / true_denominator) already exist.
-- Nested = every published area that contains the user area or lies inside it.
-- Grain: one row per indicator x period (as user_values), plus the boolean differencing.
with overlap as (
    select b.area_type, b.area_code, count(*) as shared
    from core.bridge_datazone_area as b
    semi join u using (datazone_code)
    group by all
),

nested as (
    select o.area_type, o.area_code
    from overlap as o
    inner join marts.areas as a using (area_type, area_code)
    where o.shared = (select count(*) from u) or o.shared = a.datazone_count
),

nested_sums as (
    -- pre-suppression totals (core.agg_indicator_totals). The data zones inside the area are
    -- read by code range ($low, $high: the area's first and last data zone) so that DuckDB
    -- skips the row groups of all other data zones.
    select s.indicator_id, s.period_label, s.numerator, s.denominator
    from core.agg_indicator_totals as s
    semi join nested as n on n.area_type = s.area_type and n.area_code = s.area_code
    where s.area_type <> 'datazone'
    union all
    select s.indicator_id, s.period_label, s.numerator, s.denominator
    from core.agg_indicator_totals as s
    where s.area_type = 'datazone' and s.area_code between $low and $high
      and s.area_code in (select datazone_code from u)
),

differences as (
    select
        v.indicator_id,
        v.period_label,
        v.disclosure_min_count,
        v.measure_type,
        abs(v.true_numerator - o.numerator) as count_gap,
        abs((v.true_denominator - v.true_numerator) - (o.denominator - o.numerator)) as complement_gap
    from user_values as v
    inner join nested_sums as o using (indicator_id, period_label)
),

risky as (
    select distinct indicator_id, period_label
    from differences
    where (count_gap >= 1 and count_gap < disclosure_min_count)
       or (measure_type = 'percentage' and complement_gap >= 1 and complement_gap < disclosure_min_count)
)

select
    v.*,
    r.indicator_id is not null as differencing
from user_values as v
left join risky as r using (indicator_id, period_label)
