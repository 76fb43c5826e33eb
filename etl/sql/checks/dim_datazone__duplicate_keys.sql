-- A data zone appears once in the lookup.
SELECT datazone_code, count(*) AS rows
FROM core.dim_datazone GROUP BY datazone_code HAVING count(*) > 1
