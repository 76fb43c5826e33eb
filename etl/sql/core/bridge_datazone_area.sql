-- core.bridge_datazone_area
-- grain: one row per data zone x area type (x area for that type).
-- The long form of the lookup: aggregating anything to any area type is one join and one GROUP BY.
-- File-defined area types (etl/catalogue/geographies.yaml: community councils, ...) come from
-- staging.geographies__membership, best fit or membership CSV (etl/sources/area_types.py).
WITH dz AS (
    SELECT * FROM core.dim_datazone
),
file_defined AS (
    SELECT m.datazone_code, m.area_type, m.area_code
    FROM staging.geographies__membership AS m
    SEMI JOIN dz USING (datazone_code)
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
    UNION ALL SELECT datazone_code, area_type, area_code FROM file_defined
)
SELECT * FROM final
ORDER BY datazone_code, area_type
