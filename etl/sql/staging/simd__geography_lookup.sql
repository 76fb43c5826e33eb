-- staging.simd__geography_lookup
-- grain: one row per 2011 data zone.
-- The data zone lookup (IZ, ward, council, health board, HSCP) from the newest SIMD edition's look-up file.
-- The SG look-up has no HSCP columns: a data zone's HSCP is then its council's
-- (core.ref_council_hscp; Clackmannanshire and Stirling share one).
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
        coalesce(nullif(trim("HSCPcode"), ''), h.hscp_code) AS hscp_code,
        coalesce(nullif(trim("HSCPname"), ''), h.hscp_name) AS hscp_name,
        _release AS lookup_release,
        _source_file,
        _source_row
    FROM src
    LEFT JOIN core.ref_council_hscp AS h ON h.council_code = trim(src."LAcode")
    WHERE _release = (SELECT release FROM newest)
)
SELECT * FROM final
