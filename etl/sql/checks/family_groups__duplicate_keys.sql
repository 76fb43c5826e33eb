-- marts.family_groups has one row per council.
SELECT council_code, count(*) AS rows FROM marts.family_groups GROUP BY ALL HAVING count(*) > 1
