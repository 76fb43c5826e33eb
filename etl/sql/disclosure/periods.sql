-- disclosure_periods (temp working table of complementary suppression)
-- grain: one row per extensive indicator x period with published values. `ip` is a small
-- integer key: the cells of one ip form one table of counts over the areas. `min_count` is the
-- indicator's disclosure threshold: the hidden part of every equation must add up to at least
-- that much (and, for a percentage, so must its complement: `is_percentage`). `native_geography`
-- is the area type of the indicator's finest cells (the unknowns of nested_equations.sql).
WITH cells AS (
    SELECT DISTINCT v.indicator_id, v.period_label
    FROM marts.indicator_values AS v
    JOIN meta.indicators AS i USING (indicator_id)
    WHERE i.aggregation = 'extensive' AND i.disclosure_applied_by = 'cpop'
)
SELECT (row_number() OVER (ORDER BY c.indicator_id, c.period_label))::INTEGER AS ip, c.indicator_id, c.period_label,
       i.disclosure_min_count AS min_count, i.measure_type = 'percentage' AS is_percentage,
       i.native_geography
FROM cells AS c JOIN meta.indicators AS i USING (indicator_id)
