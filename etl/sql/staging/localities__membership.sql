-- staging.localities__membership
-- grain: one row per locality x member code (a data zone or an intermediate zone).
WITH src AS (
    SELECT * FROM raw.localities__membership
),
final AS (
    SELECT
        trim(locality_code) AS locality_code,
        trim(locality_name) AS locality_name,
        trim(council_code) AS council_code,
        trim(area_code) AS member_code,
        CASE WHEN trim(area_code) LIKE 'S01%' THEN 'datazone' ELSE 'intermediate_zone' END AS member_type,
        _source_file,
        _source_row
    FROM src
)
SELECT * FROM final
