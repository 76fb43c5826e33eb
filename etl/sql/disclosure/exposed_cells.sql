-- Cells to hide in one pass of complementary suppression.
-- For every family in core.bridge_area_parent (a parent and the children of one type that
-- partition it) touched by a cell hidden in the previous pass (temp table disclosure_frontier),
-- when the parent is visible and exactly one child is hidden (suppressed or unknown), parent
-- minus the visible children would reveal that child: return the visible child with the
-- smallest numerator (ties: smallest code) to be hidden as well. Families not touched by the
-- frontier cannot have changed, so they are not re-examined.
WITH vals AS (
    SELECT v.indicator_id, v.period_label, v.area_type, v.area_code, v.numerator,
           v.is_suppressed OR v.numerator IS NULL AS is_hidden
    FROM marts.indicator_values AS v
    JOIN meta.indicators AS i USING (indicator_id)
    WHERE i.aggregation = 'extensive'
),
candidates AS (
    SELECT DISTINCT f.indicator_id, f.period_label, b.parent_type, b.parent_code, b.child_type
    FROM disclosure_frontier AS f
    JOIN core.bridge_area_parent AS b ON b.child_type = f.area_type AND b.child_code = f.area_code
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
)
SELECT DISTINCT indicator_id, period_label, child_type AS area_type, complement_code AS area_code
FROM families
WHERE hidden_children = 1 AND complement_code IS NOT NULL
