-- marts.inequality_trend has one row per indicator x parent area x basis x measure.
SELECT indicator_id, area_type, area_code, basis, measure, count(*) AS rows
FROM marts.inequality_trend GROUP BY ALL HAVING count(*) > 1
