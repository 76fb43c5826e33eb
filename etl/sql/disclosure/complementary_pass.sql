-- One pass of complementary suppression over marts.indicator_values (run until it hides nothing).
-- For every family in core.bridge_area_parent (a parent and the children of one type that
-- partition it), when the parent is visible and exactly one child is hidden (suppressed or
-- unknown), parent minus the visible children would reveal that child. Hide the visible
-- child with the smallest numerator (ties: smallest code) as well.
-- Only families that contain a hidden child can leak, so only those are examined.
WITH vals AS (
    SELECT v.indicator_id, v.period_label, v.area_type, v.area_code, v.numerator,
           v.is_suppressed OR v.numerator IS NULL AS is_hidden
    FROM marts.indicator_values AS v
    JOIN meta.indicators AS i USING (indicator_id)
    WHERE i.aggregation = 'extensive'
),
candidates AS (
    SELECT DISTINCT v.indicator_id, v.period_label, b.parent_type, b.parent_code, b.child_type
    FROM vals AS v
    JOIN core.bridge_area_parent AS b ON b.child_type = v.area_type AND b.child_code = v.area_code
    WHERE v.is_hidden
),
visible_parents AS (
    SELECT c.*
    FROM candidates AS c
    JOIN vals AS p
      ON p.indicator_id = c.indicator_id AND p.period_label = c.period_label
     AND p.area_type = c.parent_type AND p.area_code = c.parent_code
    WHERE NOT p.is_hidden
),
families AS (
    SELECT c.indicator_id, c.period_label, c.parent_type, c.parent_code, c.child_type,
           count(*) FILTER (WHERE v.is_hidden) AS hidden_children,
           arg_min(v.area_code, (v.numerator, v.area_code)) FILTER (WHERE NOT v.is_hidden) AS complement_code
    FROM visible_parents AS c
    JOIN core.bridge_area_parent AS b
      ON b.parent_type = c.parent_type AND b.parent_code = c.parent_code AND b.child_type = c.child_type
    JOIN vals AS v
      ON v.indicator_id = c.indicator_id AND v.period_label = c.period_label
     AND v.area_type = b.child_type AND v.area_code = b.child_code
    GROUP BY ALL
),
exposed AS (
    SELECT DISTINCT indicator_id, period_label, child_type AS area_type, complement_code AS area_code
    FROM families
    WHERE hidden_children = 1 AND complement_code IS NOT NULL
)
UPDATE marts.indicator_values AS t
SET is_suppressed = true,
    numerator = NULL, value = NULL, ci_lower = NULL, ci_upper = NULL,
    suppression_reason = 'complementary: protects a suppressed count in the same parent area'
FROM exposed AS e
WHERE t.indicator_id = e.indicator_id AND t.period_label = e.period_label
  AND t.area_type = e.area_type AND t.area_code = e.area_code
