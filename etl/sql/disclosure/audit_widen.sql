-- Cells to hide so that the cells the disclosure audit found too narrow widen (result:
-- indicator_id, period_label, area_type, area_code — a visible area at the indicator's finest
-- geography). disclosure_audit_widen (indicator_id, period_label, equation) names, for each
-- narrow cell, the published area ('<area_type>:<code>') or deprivation group
-- ('group:<family>') to widen, and `unless` the one nested in it that was subtracted (the cell
-- must then lie outside it; '' for none): its hidden part gains one more cell, the visible one with the
-- smallest count that is at least min_count (for a percentage: with a complement that is too),
-- else the one with the largest count — as exposed_cells.sql chooses. An area with no visible
-- cell left is hidden itself (its equation is then no longer published). Two deprivation groups
-- whose difference has no visible cell left (a council's national quintile minus its local
-- quintile, when the quintile's other data zones are all withheld): a visible cell of the inner
-- group outside the outer one is hidden instead, so the inner group's hidden cells no longer lie
-- in the outer one's and the difference is no equation in the hidden cells any more (a group
-- cannot be withheld here: that is etl.marts.inequality.protect_groups' job).
WITH wanted AS (
    SELECT DISTINCT indicator_id, period_label, equation, unless FROM disclosure_audit_widen
),
visible AS (
    SELECT v.indicator_id, v.period_label, v.area_type, v.area_code, v.numerator,
           CASE WHEN i.measure_type = 'percentage' THEN v.denominator - v.numerator END AS complement,
           i.disclosure_min_count AS min_count
    FROM marts.indicator_values AS v
    JOIN meta.indicators AS i USING (indicator_id)
    WHERE v.area_type = i.native_geography AND NOT v.is_suppressed AND v.numerator IS NOT NULL
      AND i.aggregation = 'extensive' AND i.disclosure_applied_by = 'cpop'
),
named AS (
    SELECT DISTINCT indicator_id, period_label, equation AS name FROM wanted
    UNION SELECT DISTINCT indicator_id, period_label, unless FROM wanted WHERE unless <> ''
),
members AS (
    -- the cells of every area and group named
    SELECT n.indicator_id, n.period_label, n.name, b.child_type AS area_type, b.child_code AS area_code
    FROM named AS n
    JOIN core.bridge_area_area AS b ON n.name = b.area_type || ':' || b.area_code
    UNION ALL
    SELECT n.indicator_id, n.period_label, n.name, 'datazone', b.datazone_code
    FROM named AS n
    JOIN marts.inequality_groups AS g
      ON g.indicator_id = n.indicator_id AND g.period_label = n.period_label
     AND n.name = 'group:' || g.area_code || '|' || g.basis || '|' || g.group_number
    JOIN core.bridge_datazone_group AS b
      ON b.simd_edition = g.simd_edition AND b.family = g.area_code || '|' || g.basis || '|' || g.group_number
),
wanted_members AS (
    SELECT w.indicator_id, w.period_label, w.equation, w.unless, m.area_type, m.area_code
    FROM wanted AS w
    JOIN members AS m ON m.indicator_id = w.indicator_id AND m.period_label = w.period_label AND m.name = w.equation
    WHERE NOT EXISTS (SELECT 1 FROM members AS u
                      WHERE u.indicator_id = w.indicator_id AND u.period_label = w.period_label AND u.name = w.unless
                        AND u.area_type = m.area_type AND u.area_code = m.area_code)
),
candidates AS (
    SELECT m.indicator_id, m.period_label, m.equation, m.unless, v.area_type, v.area_code, v.numerator,
           v.numerator >= v.min_count AND coalesce(v.complement >= v.min_count, true) AS is_enough
    FROM wanted_members AS m
    JOIN visible AS v USING (indicator_id, period_label, area_type, area_code)
),
chosen AS (
    SELECT indicator_id, period_label, equation, unless, area_type,
           arg_min(area_code, (NOT is_enough, CASE WHEN is_enough THEN numerator ELSE -numerator END, area_code))
               AS area_code
    FROM candidates
    GROUP BY indicator_id, period_label, equation, unless, area_type
),
inner_members AS (
    -- group pairs with no candidate: the inner group's cells outside the outer one
    SELECT w.indicator_id, w.period_label, w.equation, w.unless, m.area_type, m.area_code
    FROM wanted AS w
    JOIN members AS m ON m.indicator_id = w.indicator_id AND m.period_label = w.period_label AND m.name = w.unless
    WHERE starts_with(w.equation, 'group:') AND starts_with(w.unless, 'group:')
      AND NOT EXISTS (SELECT 1 FROM chosen AS c WHERE c.indicator_id = w.indicator_id
                      AND c.period_label = w.period_label AND c.equation = w.equation AND c.unless = w.unless)
      AND NOT EXISTS (SELECT 1 FROM members AS o
                      WHERE o.indicator_id = w.indicator_id AND o.period_label = w.period_label
                        AND o.name = w.equation AND o.area_type = m.area_type AND o.area_code = m.area_code)
),
inner_chosen AS (
    SELECT m.indicator_id, m.period_label, m.equation, m.unless, v.area_type,
           arg_min(v.area_code, (NOT (v.numerator >= v.min_count AND coalesce(v.complement >= v.min_count, true)),
                                 CASE WHEN v.numerator >= v.min_count AND coalesce(v.complement >= v.min_count, true)
                                      THEN v.numerator ELSE -v.numerator END, v.area_code)) AS area_code
    FROM inner_members AS m
    JOIN visible AS v USING (indicator_id, period_label, area_type, area_code)
    GROUP BY ALL
),
whole_areas AS (
    SELECT w.indicator_id, w.period_label, w.equation, split_part(w.equation, ':', 1) AS area_type,
           split_part(w.equation, ':', 2) AS area_code
    FROM wanted AS w
    WHERE NOT starts_with(w.equation, 'group:')
      AND NOT EXISTS (SELECT 1 FROM chosen AS c WHERE c.indicator_id = w.indicator_id
                      AND c.period_label = w.period_label AND c.equation = w.equation AND c.unless = w.unless)
)
SELECT DISTINCT indicator_id, period_label, area_type, area_code FROM chosen
UNION
SELECT indicator_id, period_label, area_type, area_code FROM inner_chosen
UNION
SELECT indicator_id, period_label, area_type, area_code FROM whole_areas
