-- Pre-suppression sums of every published area nested with a user-made area (containing it or
-- lying inside it), so the caller can refuse any value whose difference from a published
-- value would reveal a small count. $1: the user area's data zone codes.
WITH u AS (
    SELECT DISTINCT unnest($1::VARCHAR[]) AS datazone_code
),
sizes AS (
    SELECT area_type, area_code, count(*) AS datazones FROM core.bridge_datazone_area GROUP BY ALL
),
overlap AS (
    SELECT b.area_type, b.area_code, count(*) AS shared
    FROM core.bridge_datazone_area AS b JOIN u USING (datazone_code)
    GROUP BY ALL
),
nested AS (
    SELECT o.area_type, o.area_code
    FROM overlap AS o JOIN sizes AS s USING (area_type, area_code)
    WHERE o.shared = (SELECT count(*) FROM u) OR o.shared = s.datazones
)
SELECT a.indicator_id, a.period_label, a.area_type, a.area_code,
       CASE WHEN count(a.numerator) = count(*) THEN sum(a.numerator) END AS numerator,
       CASE WHEN count(a.denominator) = count(*) THEN sum(a.denominator) END AS denominator
FROM core.agg_indicator_area AS a
JOIN nested USING (area_type, area_code)
GROUP BY ALL
