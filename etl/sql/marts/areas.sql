-- marts.areas
-- grain: one row per area (area_type x area_code).
-- Every area a user can pick, with its council, latest population and size in data zones, and
-- for best-fit areas (etl/bestfit.py) how well the whole data zones fit the real boundary:
-- fit_quality = sum(pop_d * inside_share_d) / sum(pop_d) over the assigned data zones
-- (population assumed uniform within a data zone; the unweighted mean when no population),
-- footprint_share = share of the area's own footprint covered by them. Both 1.0 for areas
-- built from whole data zones. Wards keep the SIMD lookup's assignment (MMWcode); their fit is
-- measured the same way when ward boundaries are supplied (etl/sources/ward_boundaries.py) and
-- is NULL (not measured) otherwise.
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
datazone_population AS (
    SELECT datazone_code, sum(population) AS population
    FROM core.fct_population_datazone
    WHERE sex = 'All' AND year = (SELECT max(year) FROM core.fct_population_datazone)
    GROUP BY ALL
),
-- every measured share of a data zone in its area: file-defined types, and the lookup's wards
-- when ward boundaries were supplied (not part of core.bridge_datazone_area: measurement only)
measured_membership AS (
    SELECT area_type, area_code, datazone_code, inside_share FROM staging.geographies__membership
    UNION ALL
    SELECT area_type, area_code, datazone_code, inside_share FROM staging.ward_boundaries__membership
),
measured_footprint AS (
    SELECT area_type, area_code, footprint_share FROM staging.geographies__areas
    UNION ALL
    SELECT area_type, area_code, footprint_share FROM staging.ward_boundaries__areas
),
fit AS (
    SELECT m.area_type, m.area_code,
           coalesce(sum(p.population * m.inside_share) / nullif(sum(p.population), 0),
                    avg(m.inside_share)) AS fit_quality
    FROM measured_membership AS m
    LEFT JOIN datazone_population AS p USING (datazone_code)
    GROUP BY ALL
),
sizes AS (
    SELECT area_type, area_code, count(*)::INTEGER AS datazone_count
    FROM core.bridge_datazone_area GROUP BY ALL
),
final AS (
    SELECT a.area_type, a.area_code, a.area_name, a.council_code, a.council_name,
           p.population::BIGINT AS population, s.datazone_count,
           CASE WHEN f.fit_quality IS NOT NULL THEN f.fit_quality
                WHEN NOT coalesce(t.is_best_fit, false) THEN 1.0 END::DOUBLE AS fit_quality,
           CASE WHEN g.footprint_share IS NOT NULL THEN g.footprint_share
                WHEN NOT coalesce(t.is_best_fit, false) THEN 1.0 END::DOUBLE AS footprint_share
    FROM areas AS a
    JOIN sizes AS s USING (area_type, area_code)
    LEFT JOIN latest_population AS p USING (area_type, area_code)
    LEFT JOIN fit AS f USING (area_type, area_code)
    LEFT JOIN measured_footprint AS g USING (area_type, area_code)
    LEFT JOIN meta.area_types AS t USING (area_type)
)
SELECT * FROM final
ORDER BY area_type, area_name
