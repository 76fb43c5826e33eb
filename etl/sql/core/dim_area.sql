-- core.dim_area
-- grain: one row per area (area_type x area_code).
-- Names and the council each area lies in (NULL above council level). A file-defined area
-- (etl/catalogue/geographies.yaml) lies in the council holding more than half of its data zones
-- (best-fit areas near a council boundary can pick up a neighbour's data zone); NULL otherwise.
WITH lookup AS (
    SELECT * FROM staging.simd__geography_lookup
),
file_defined AS (
    SELECT g.area_type, g.area_code, g.area_name, c.council_code
    FROM staging.geographies__areas AS g
    LEFT JOIN (
        SELECT m.area_type, m.area_code, l.council_code
        FROM staging.geographies__membership AS m JOIN lookup AS l USING (datazone_code)
        GROUP BY m.area_type, m.area_code, l.council_code
        QUALIFY 2 * count(*) > sum(count(*)) OVER (PARTITION BY m.area_type, m.area_code)
    ) AS c USING (area_type, area_code)
),
named AS (
    SELECT DISTINCT 'datazone' AS area_type, datazone_code AS area_code, datazone_name AS area_name, council_code FROM lookup
    UNION ALL SELECT DISTINCT 'intermediate_zone', intermediate_zone_code, intermediate_zone_name, council_code FROM lookup
    UNION ALL SELECT DISTINCT 'ward', l.ward_code,
        -- the SG look-up cuts ward names at their first comma ('"Buckhaven' for "Buckhaven, Methil
        -- and Wemyss Villages"): the boundary file's full name where it starts with the look-up's
        CASE WHEN starts_with(w.area_name, trim(l.ward_name, '"')) THEN w.area_name ELSE trim(l.ward_name, '"') END,
        l.council_code
    FROM lookup AS l LEFT JOIN staging.ward_boundaries__names AS w ON w.area_code = l.ward_code
    UNION ALL SELECT DISTINCT 'council', council_code, council_name, council_code FROM lookup
    UNION ALL SELECT DISTINCT 'hscp', hscp_code, hscp_name, NULL FROM lookup WHERE hscp_code IS NOT NULL
    UNION ALL SELECT DISTINCT 'health_board', health_board_code, health_board_name, NULL FROM lookup
    UNION ALL SELECT DISTINCT 'locality', locality_code, locality_name, council_code FROM staging.localities__membership
    UNION ALL SELECT 'scotland', 'S92000003', 'Scotland', NULL
    UNION ALL SELECT area_type, area_code, area_name, council_code FROM file_defined
),
councils AS (
    SELECT DISTINCT council_code, council_name FROM lookup
),
final AS (
    SELECT n.area_type, n.area_code, n.area_name, n.council_code, c.council_name
    FROM named AS n
    LEFT JOIN councils AS c USING (council_code)
)
SELECT * FROM final
