-- disclosure_periods (temp working table of complementary suppression)
-- grain: one row per extensive indicator x period with published values. `ip` is a small
-- integer key: the cells of one ip form one table of counts over the areas.
WITH cells AS (
    SELECT DISTINCT v.indicator_id, v.period_label
    FROM marts.indicator_values AS v
    JOIN meta.indicators AS i USING (indicator_id)
    WHERE i.aggregation = 'extensive' AND i.disclosure_applied_by = 'cpop'
)
SELECT (row_number() OVER (ORDER BY indicator_id, period_label))::INTEGER AS ip, indicator_id, period_label
FROM cells
