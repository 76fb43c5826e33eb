-- core.dim_area
-- grain: one row per area (area_type x area_code).
-- Names and the council each area lies in (NULL above council level).
WITH lookup AS (
    SELECT * FROM staging.simd__geography_lookup
),
named AS (
    SELECT DISTINCT 'datazone' AS area_type, datazone_code AS area_code, datazone_name AS area_name, council_code FROM lookup
    UNION ALL SELECT DISTINCT 'intermediate_zone', intermediate_zone_code, intermediate_zone_name, council_code FROM lookup
    UNION ALL SELECT DISTINCT 'ward', ward_code, ward_name, council_code FROM lookup
    UNION ALL SELECT DISTINCT 'council', council_code, council_name, council_code FROM lookup
    UNION ALL SELECT DISTINCT 'hscp', hscp_code, hscp_name, NULL FROM lookup WHERE hscp_code IS NOT NULL
    UNION ALL SELECT DISTINCT 'health_board', health_board_code, health_board_name, NULL FROM lookup
    UNION ALL SELECT DISTINCT 'locality', locality_code, locality_name, council_code FROM staging.localities__membership
    UNION ALL SELECT 'scotland', 'S92000003', 'Scotland', NULL
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
