-- marts.areas
-- grain: one row per area (area_type x area_code).
-- Every area a user can pick, with its council, latest population and size in data zones.
WITH areas AS (
    SELECT * FROM core.dim_area
),
latest_population AS (
    SELECT b.area_type, b.area_code, sum(p.population) AS population
    FROM core.fct_population_datazone AS p
    JOIN core.bridge_datazone_area AS b USING (datazone_code)
    WHERE p.sex = 'All' AND p.year = (SELECT max(year) FROM core.fct_population_datazone)
    GROUP BY ALL
),
sizes AS (
    SELECT area_type, area_code, count(*)::INTEGER AS datazone_count
    FROM core.bridge_datazone_area GROUP BY ALL
),
final AS (
    SELECT a.area_type, a.area_code, a.area_name, a.council_code, a.council_name,
           p.population::BIGINT AS population, s.datazone_count
    FROM areas AS a
    JOIN sizes AS s USING (area_type, area_code)
    LEFT JOIN latest_population AS p USING (area_type, area_code)
)
SELECT * FROM final
ORDER BY area_type, area_name
