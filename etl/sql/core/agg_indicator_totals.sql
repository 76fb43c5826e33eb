-- core.agg_indicator_totals  (internal: pre-suppression, never published)
-- grain: one row per area x indicator x period (age bands added up).
-- The pre-suppression numerator and denominator of every published area, NULL when any part
-- is missing. Why a table: the differencing check of user-made areas
-- (dashboard/data/sql/user_area_differencing.sql) compares a new area with every published
-- area nested with it, on demand; reading these totals by area (the table is ordered by area
-- so DuckDB skips other areas' row groups) keeps that check within its time budget.
SELECT
    area_type,
    area_code,
    indicator_id,
    period_label,
    CASE WHEN count(numerator) = count(*) THEN sum(numerator) END AS numerator,
    CASE WHEN count(denominator) = count(*) THEN sum(denominator) END AS denominator
FROM core.agg_indicator_area
GROUP BY area_type, area_code, indicator_id, period_label
ORDER BY area_type, area_code, indicator_id, period_label
