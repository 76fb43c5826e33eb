-- core.bridge_datazone_area
-- grain: one row per data zone x area type (x area for that type).
-- The long form of the lookup: aggregating anything to any area type is one join and one GROUP BY.
WITH dz AS (
    SELECT * FROM core.dim_datazone
),
final AS (
    SELECT datazone_code, 'datazone' AS area_type, datazone_code AS area_code FROM dz
    UNION ALL SELECT datazone_code, 'intermediate_zone', intermediate_zone_code FROM dz
    UNION ALL SELECT datazone_code, 'ward', ward_code FROM dz
    UNION ALL SELECT datazone_code, 'locality', locality_code FROM dz WHERE locality_code IS NOT NULL
    UNION ALL SELECT datazone_code, 'council', council_code FROM dz
    UNION ALL SELECT datazone_code, 'hscp', hscp_code FROM dz WHERE hscp_code IS NOT NULL
    UNION ALL SELECT datazone_code, 'health_board', health_board_code FROM dz
    UNION ALL SELECT datazone_code, 'scotland', 'S92000003' FROM dz
)
SELECT * FROM final
ORDER BY datazone_code, area_type
