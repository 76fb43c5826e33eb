-- One pass of complementary suppression over marts.indicator_values (run until it hides nothing).
-- For every family in core.bridge_area_parent (a parent and the children of one type that
-- partition it), when the parent is visible and exactly one child is hidden (suppressed or
-- unknown), parent minus the visible children would reveal that child. Hide the visible
-- child with the smallest numerator (ties: smallest code) as well.
WITH vals AS (
    SELECT v.indicator_id, v.period_label, v.area_type, v.area_code, v.numerator,
           v.is_suppressed OR v.numerator IS NULL AS is_hidden
    FROM marts.indicator_values AS v
    JOIN meta.indicators AS i USING (indicator_id)
    WHERE i.aggregation = 'extensive'
),
families AS (
    SELECT b.parent_type, b.parent_code, b.child_type, v.indicator_id, v.period_label,
           count(*) FILTER (WHERE v.is_hidden) AS hidden_children,
           arg_min(v.area_code, (v.numerator, v.area_code)) FILTER (WHERE NOT v.is_hidden) AS complement_code
    FROM vals AS v
    JOIN core.bridge_area_parent AS b ON b.child_type = v.area_type AND b.child_code = v.area_code
    GROUP BY ALL
),
exposed AS (
    SELECT f.indicator_id, f.period_label, f.child_type AS area_type, f.complement_code AS area_code
    FROM families AS f
    JOIN vals AS p
      ON p.indicator_id = f.indicator_id AND p.period_label = f.period_label
     AND p.area_type = f.parent_type AND p.area_code = f.parent_code
    WHERE f.hidden_children = 1 AND NOT p.is_hidden AND f.complement_code IS NOT NULL
)
UPDATE marts.indicator_values AS t
SET is_suppressed = true,
    numerator = NULL, value = NULL, ci_lower = NULL, ci_upper = NULL,
    suppression_reason = 'complementary: protects a suppressed count in the same parent area'
FROM (SELECT DISTINCT * FROM exposed) AS e
WHERE t.indicator_id = e.indicator_id AND t.period_label = e.period_label
  AND t.area_type = e.area_type AND t.area_code = e.area_code
