-- staging.simd__geography_lookup
-- grain: one row per 2011 data zone.
-- The data zone lookup (IZ, ward, council, health board, HSCP) from the newest SIMD edition's look-up file.
WITH src AS (
    SELECT * FROM raw.simd__dz_lookup
),
newest AS (
    SELECT max(_release) AS release FROM src
),
final AS (
    SELECT
        trim("DZ") AS datazone_code,
        trim("DZname") AS datazone_name,
        trim("IZcode") AS intermediate_zone_code,
        trim("IZname") AS intermediate_zone_name,
        trim("MMWcode") AS ward_code,
        trim("MMWname") AS ward_name,
        trim("LAcode") AS council_code,
        trim("LAname") AS council_name,
        trim("HBcode") AS health_board_code,
        trim("HBname") AS health_board_name,
        nullif(trim("HSCPcode"), '') AS hscp_code,
        nullif(trim("HSCPname"), '') AS hscp_name,
        _release AS lookup_release,
        _source_file,
        _source_row
    FROM src
    WHERE _release = (SELECT release FROM newest)
)
SELECT * FROM final
