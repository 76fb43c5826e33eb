-- disclosure_audit_equations (temp working table of the disclosure audit, etl/disclosure_audit.py)
-- grain: one row per published area or deprivation group x indicator x period that holds at
-- least one hidden cell, or is itself withheld, x each of its hidden cells (`leaf`, NULL for a
-- withheld area with none). A visible one is the equation Σ its hidden cells = `hidden_numerator`
-- (its count minus its visible cells: a reader learns exactly that); a withheld one is a cell
-- whose range the audit measures: `true_numerator` its count (the hidden part plus the visible
-- cells), `denominator` its published denominator (percentages: the complement is a count too).
-- Areas: core.agg_indicator_exposure (every published area but data zones, which are cells) and
-- their cells by core.bridge_area_area. Deprivation groups: marts.inequality_groups (the groups
-- published, whether each is withheld, and their SIMD edition) and core.bridge_datazone_group.
WITH leaves AS (
    SELECT * FROM disclosure_audit_leaves
),
ind AS (
    SELECT indicator_id FROM meta.indicators WHERE aggregation = 'extensive' AND disclosure_applied_by = 'cpop'
),
exposure AS (
    SELECT e.indicator_id, e.period_label, e.area_type, e.area_code, e.area_type || ':' || e.area_code AS equation,
           e.is_visible, e.hidden_numerator, t.numerator AS true_numerator, t.denominator
    FROM core.agg_indicator_exposure AS e
    LEFT JOIN core.agg_indicator_totals AS t USING (indicator_id, period_label, area_type, area_code)
    WHERE e.hidden_cells > 0 OR NOT e.is_visible
),
area_leaves AS (
    SELECT x.indicator_id, x.period_label, x.equation, x.is_visible, x.hidden_numerator, x.true_numerator,
           x.denominator, l.leaf
    FROM exposure AS x
    JOIN core.bridge_area_area AS b ON b.area_type = x.area_type AND b.area_code = x.area_code
    JOIN leaves AS l
      ON l.indicator_id = x.indicator_id AND l.period_label = x.period_label
     AND l.cell_type = b.child_type AND l.cell_code = b.child_code
),
published_groups AS (
    SELECT g.indicator_id, g.period_label, g.simd_edition, g.area_code || '|' || g.basis || '|' || g.group_number AS family,
           NOT g.is_suppressed AND g.numerator IS NOT NULL AS is_visible, g.numerator, g.denominator
    FROM marts.inequality_groups AS g SEMI JOIN ind USING (indicator_id)
),
withheld_group_counts AS (
    -- the true count of each withheld group (a visible one shows it)
    SELECT g.indicator_id, g.period_label, g.family, sum(t.numerator) AS numerator
    FROM published_groups AS g
    JOIN core.bridge_datazone_group AS b ON b.simd_edition = g.simd_edition AND b.family = g.family
    JOIN core.agg_indicator_totals AS t
      ON t.indicator_id = g.indicator_id AND t.period_label = g.period_label
     AND t.area_type = 'datazone' AND t.area_code = b.datazone_code
    WHERE NOT g.is_visible
    GROUP BY ALL
),
groups AS (
    SELECT g.* REPLACE (coalesce(g.numerator, w.numerator) AS numerator)
    FROM published_groups AS g
    LEFT JOIN withheld_group_counts AS w USING (indicator_id, period_label, family)
),
group_leaves AS (
    SELECT g.indicator_id, g.period_label, 'group:' || g.family AS equation, g.is_visible,
           sum(l.numerator) OVER (PARTITION BY g.indicator_id, g.period_label, g.family) AS hidden_numerator,
           g.numerator AS true_numerator, g.denominator, l.leaf
    FROM groups AS g
    JOIN core.bridge_datazone_group AS b ON b.simd_edition = g.simd_edition AND b.family = g.family
    JOIN leaves AS l
      ON l.indicator_id = g.indicator_id AND l.period_label = g.period_label
     AND l.cell_type = 'datazone' AND l.cell_code = b.datazone_code
),
family_leaves AS (
    -- a visible parent minus its visible children (one partitioning type): the hidden children's
    -- counts add up to that, so their hidden cells add up to it minus their visible cells. It is a
    -- sum of the equations above, but the audit bounds one equation at a time, so it gets its own.
    SELECT p.indicator_id, p.period_label, 'family:' || b.parent_type || ':' || b.parent_code || '>' || b.child_type
               AS equation, l.leaf, l.numerator
    FROM core.bridge_area_parent AS b
    JOIN exposure AS p ON p.area_type = b.parent_type AND p.area_code = b.parent_code AND p.is_visible
    JOIN exposure AS c
      ON c.indicator_id = p.indicator_id AND c.period_label = p.period_label
     AND c.area_type = b.child_type AND c.area_code = b.child_code AND NOT c.is_visible
    JOIN core.bridge_area_area AS m ON m.area_type = c.area_type AND m.area_code = c.area_code
    JOIN leaves AS l
      ON l.indicator_id = p.indicator_id AND l.period_label = p.period_label
     AND l.cell_type = m.child_type AND l.cell_code = m.child_code
    WHERE b.child_type <> 'datazone'
),
families AS (
    SELECT indicator_id, period_label, equation, true AS is_visible,
           sum(numerator) OVER (PARTITION BY indicator_id, period_label, equation) AS hidden_numerator,
           NULL::DOUBLE AS true_numerator, NULL::DOUBLE AS denominator, leaf
    FROM family_leaves
),
empty AS (
    -- withheld areas and groups with no hidden cell: their count is the sum of visible ones
    SELECT indicator_id, period_label, equation, is_visible, hidden_numerator, true_numerator, denominator,
           NULL::INTEGER AS leaf
    FROM exposure AS x WHERE NOT is_visible AND NOT EXISTS (
        SELECT 1 FROM area_leaves AS a
        WHERE a.indicator_id = x.indicator_id AND a.period_label = x.period_label AND a.equation = x.equation)
    UNION ALL
    SELECT indicator_id, period_label, 'group:' || family, is_visible, 0, numerator, denominator, NULL
    FROM groups AS g WHERE NOT is_visible AND NOT EXISTS (
        SELECT 1 FROM group_leaves AS a
        WHERE a.indicator_id = g.indicator_id AND a.period_label = g.period_label AND a.equation = 'group:' || g.family)
)
SELECT * FROM area_leaves
UNION ALL
SELECT * FROM group_leaves
UNION ALL
SELECT * FROM families
UNION ALL
SELECT * FROM empty
