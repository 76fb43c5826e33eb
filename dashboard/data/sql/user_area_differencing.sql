-- The indicator x period pairs of a user-made area whose value would let a reader work out a
-- hidden count by differencing (issue 4's rule; docs/geography.md, dashboard/data/user_areas.py).
-- Runs in its own cursor, in a thread beside the one making the values: u (the area's data
-- zones), user_bridge (its cells: data zones, and intermediate zones when it is an exact union
-- of them) and saved_dz (area_id, datazone_code: the other saved areas that overlap it) are
-- Arrow tables the caller registers (user_areas._differencing_tables); user_group_editions and
-- user_iz_sizes, which depend only on the build, are TEMP tables
-- (user_area_differencing_setup.sql: made once per kept cursor, not once per profile).
--
-- A reader knows every visible cell (core.fct_hidden_cell lists the hidden ones). Showing the
-- area U next to a visible area P tells them c(U) - c(P) = c(U \ P) - c(P \ U); taking away
-- the visible cells of both pieces leaves the hidden parts. So for P = nothing (U on its own),
-- every visible published area overlapping U (core.agg_indicator_exposure), every published
-- deprivation group holding any of U's data zones (core.agg_group_exposure) and every other
-- saved area overlapping U: when one piece of {P \ U, U \ P} holds no hidden cell, the other's
-- hidden part is revealed, so a value is withheld if that other piece holds exactly one hidden
-- cell, or its hidden count (or, for percentages, its hidden complement) is from 1 to
-- disclosure_min_count - 1. And for a withheld published area P overlapping U: a value is
-- withheld if both pieces are fully visible, since U would then give P's own count back.
-- Grain: one row per flagged indicator x period.
with u_hidden as (
    -- U's hidden cells. Data zones are read by code range ($low, $high: the area's first and
    -- last data zone) so that DuckDB skips the row groups of all other cells.
    select h.*
    from core.fct_hidden_cell as h
    where h.cell_type = 'datazone' and h.cell_code between $low and $high
      and h.cell_code in (select datazone_code from u)
    union all
    select h.*
    from core.fct_hidden_cell as h
    semi join user_bridge as b on b.child_type = h.cell_type and b.child_code = h.cell_code
    where h.cell_type = 'intermediate_zone'
),

u_parts as (
    select indicator_id, period_label,
           count(*) as cells, coalesce(sum(numerator), 0) as numerator, coalesce(sum(complement), 0) as complement
    from u_hidden
    group by all
),

overlap as (
    -- published areas sharing a data zone with U. A visible data zone holds no hidden cell, so
    -- comparing U with it is the same as U on its own: data zones are left out.
    select distinct b.area_type, b.area_code
    from core.bridge_datazone_area as b
    semi join u using (datazone_code)
    where b.area_type <> 'datazone'
),

published as (
    -- a shown area with no hidden cell gives U's own equation back (it shares none of U's hidden
    -- cells), which the row for U on its own already checks: only the others are compared
    select e.*
    from core.agg_indicator_exposure as e
    semi join overlap as o using (area_type, area_code)
    where e.hidden_cells > 0 or not e.is_visible
),

shared as (
    -- U's hidden cells inside each overlapping published area
    select b.area_type, b.area_code, h.indicator_id, h.period_label,
           count(*) as cells, coalesce(sum(h.numerator), 0) as numerator,
           coalesce(sum(h.complement), 0) as complement
    from u_hidden as h
    join core.bridge_area_area as b on b.child_type = h.cell_type and b.child_code = h.cell_code
    where b.area_type <> 'datazone'
    group by all
),

u_groups as (
    -- the published deprivation groups (core.bridge_datazone_group) holding any of U's data zones
    select distinct g.simd_edition, g.family
    from core.bridge_datazone_group as g
    where g.datazone_code between $low and $high and g.datazone_code in (select datazone_code from u)
),

published_groups as (
    select e.*
    from core.agg_group_exposure as e
    semi join u_groups as g using (simd_edition, family)
    where e.hidden_cells > 0 or not e.is_visible  -- as for published areas
),

shared_groups as (
    -- U's hidden data zones inside each of those groups, in the SIMD edition of each period
    select e.indicator_id, e.period_label, g.family,
           count(*) as cells, coalesce(sum(h.numerator), 0) as numerator,
           coalesce(sum(h.complement), 0) as complement
    from u_hidden as h
    join user_group_editions as e using (indicator_id, period_label)
    join core.bridge_datazone_group as g on g.simd_edition = e.simd_edition and g.datazone_code = h.cell_code
    where h.cell_type = 'datazone'
    group by all
),

saved_cells as (
    -- the cells of each overlapping saved area: its data zones and the intermediate zones
    -- wholly inside it
    select area_id, 'datazone' as cell_type, datazone_code as cell_code from saved_dz
    union all
    select s.area_id, 'intermediate_zone', b.area_code
    from saved_dz as s
    join core.bridge_datazone_area as b on b.datazone_code = s.datazone_code and b.area_type = 'intermediate_zone'
    join user_iz_sizes as z on z.area_code = b.area_code
    group by s.area_id, b.area_code, z.datazones
    having count(*) = z.datazones
),

saved_hidden as (
    select c.area_id, h.indicator_id, h.period_label, h.numerator, h.complement,
           (h.cell_type = 'datazone' and h.cell_code in (select datazone_code from u))
           or (h.cell_type = 'intermediate_zone'
               and h.cell_code in (select child_code from user_bridge where child_type = 'intermediate_zone'))
               as in_u
    from saved_cells as c
    join core.fct_hidden_cell as h on h.cell_type = c.cell_type and h.cell_code = c.cell_code
),

saved_parts as (
    select area_id, indicator_id, period_label,
           count(*) filter (where not in_u) as outside_cells,
           coalesce(sum(numerator) filter (where not in_u), 0) as outside_numerator,
           coalesce(sum(complement) filter (where not in_u), 0) as outside_complement,
           count(*) filter (where in_u) as cells,
           coalesce(sum(numerator) filter (where in_u), 0) as numerator,
           coalesce(sum(complement) filter (where in_u), 0) as complement
    from saved_hidden
    group by all
),

comparisons as (
    -- one row per comparator P: is it shown, and the hidden parts of P \ U (p_*) and of
    -- U \ P (U's hidden parts minus the ones it shares with P, s_*)
    select indicator_id, period_label, true as is_visible, 0 as p_cells, 0 as p_numerator,
           0 as p_complement, 0 as s_cells, 0 as s_numerator, 0 as s_complement
    from u_parts
    union all
    select p.indicator_id, p.period_label, p.is_visible,
           p.hidden_cells - coalesce(s.cells, 0), p.hidden_numerator - coalesce(s.numerator, 0),
           p.hidden_complement - coalesce(s.complement, 0),
           coalesce(s.cells, 0), coalesce(s.numerator, 0), coalesce(s.complement, 0)
    from published as p
    left join shared as s using (area_type, area_code, indicator_id, period_label)
    union all
    select p.indicator_id, p.period_label, p.is_visible,
           p.hidden_cells - coalesce(s.cells, 0), p.hidden_numerator - coalesce(s.numerator, 0),
           p.hidden_complement - coalesce(s.complement, 0),
           coalesce(s.cells, 0), coalesce(s.numerator, 0), coalesce(s.complement, 0)
    from published_groups as p
    left join shared_groups as s using (indicator_id, period_label, family)
    union all
    select indicator_id, period_label, true, outside_cells, outside_numerator, outside_complement,
           cells, numerator, complement
    from saved_parts
),

pieces as (
    select c.indicator_id, c.period_label, c.is_visible,
           c.p_cells as a_cells, c.p_numerator as a_numerator, c.p_complement as a_complement,
           coalesce(u.cells, 0) - c.s_cells as b_cells, coalesce(u.numerator, 0) - c.s_numerator as b_numerator,
           coalesce(u.complement, 0) - c.s_complement as b_complement
    from comparisons as c
    left join u_parts as u using (indicator_id, period_label)
),

risky as (
    -- c(U) - c(P) = c(U \ P) - c(P \ U) is an equation in the hidden cells of both pieces (and in
    -- P itself when P is withheld). It gives a hidden count away when it has one unknown, or
    -- when all its unknowns lie in one piece and add up to a small count: for a shown P, a piece
    -- with no hidden cell leaves the other's hidden part exposed; for a withheld P, both pieces
    -- fully visible give P back. With unknowns on both sides only their difference is known,
    -- which is the same standard as complementary suppression (no equation with one unknown).
    select distinct p.indicator_id, p.period_label
    from pieces as p
    join meta.indicators as v using (indicator_id)
    where (p.is_visible and p.a_cells = 0 and (
            p.b_cells = 1
            or (p.b_numerator >= 1 and p.b_numerator < v.disclosure_min_count)
            or (v.measure_type = 'percentage' and p.b_complement >= 1 and p.b_complement < v.disclosure_min_count)))
       or (p.is_visible and p.b_cells = 0 and (
            p.a_cells = 1
            or (p.a_numerator >= 1 and p.a_numerator < v.disclosure_min_count)
            or (v.measure_type = 'percentage' and p.a_complement >= 1 and p.a_complement < v.disclosure_min_count)))
       or (not p.is_visible and p.a_cells = 0 and p.b_cells = 0)
)

select * from risky
