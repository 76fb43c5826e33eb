-- marts.communities has one row per intermediate zone x outcome (plus one 'all' row).
SELECT intermediate_zone_code, indicator_id, count(*) AS rows FROM marts.communities GROUP BY ALL HAVING count(*) > 1
