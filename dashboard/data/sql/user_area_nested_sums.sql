-- Pre-suppression sums of every published area nested with a user-made area (containing it or
-- lying inside it), so the caller can refuse any value whose difference from a published
-- value would reveal a small count. $1: the user area's data zone codes.
WITH u AS (
    SELECT DISTINCT unnest($1::VARCHAR[]) AS datazone_code
),
overlap AS (
    SELECT b.area_type, b.area_code, count(*) AS shared
    FROM core.bridge_datazone_area AS b
    WHERE b.datazone_code IN (SELECT datazone_code FROM u)
    GROUP BY ALL
),
nested AS (
    SELECT o.area_type, o.area_code
    FROM overlap AS o JOIN marts.areas AS a USING (area_type, area_code)
    WHERE o.shared = (SELECT count(*) FROM u) OR o.shared = a.datazone_count
)
SELECT a.indicator_id, a.period_label, a.area_type, a.area_code,
       CASE WHEN count(a.numerator) = count(*) THEN sum(a.numerator) END AS numerator,
       CASE WHEN count(a.denominator) = count(*) THEN sum(a.denominator) END AS denominator
FROM core.agg_indicator_area AS a
SEMI JOIN nested AS n ON n.area_type = a.area_type AND n.area_code = a.area_code
GROUP BY ALL
