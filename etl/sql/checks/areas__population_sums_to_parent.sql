-- For every partitioning area type, area populations add up to Scotland's.
WITH totals AS (
    SELECT a.area_type, sum(a.population) AS population
    FROM marts.areas AS a JOIN meta.area_types AS t USING (area_type)
    WHERE t.is_partition GROUP BY ALL
)
SELECT t.area_type, t.population, s.population AS scotland_population
FROM totals AS t CROSS JOIN (SELECT population FROM marts.areas WHERE area_type = 'scotland') AS s
WHERE t.population <> s.population AND t.area_type <> 'hscp'
