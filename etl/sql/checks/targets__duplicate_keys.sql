-- marts.targets has one row per indicator x area.
SELECT indicator_id, area_type, area_code, count(*) AS rows FROM marts.targets GROUP BY ALL HAVING count(*) > 1
