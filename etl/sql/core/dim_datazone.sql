-- core.dim_datazone
-- grain: one row per 2011 data zone.
-- The conformed data zone: its names, every area it belongs to, and its latest SIMD.
WITH lookup AS (
    SELECT * FROM staging.simd__geography_lookup
),
locality_members AS (
    SELECT m.locality_code, l.datazone_code
    FROM staging.localities__membership AS m
    JOIN lookup AS l
        ON (m.member_type = 'datazone' AND l.datazone_code = m.member_code)
        OR (m.member_type = 'intermediate_zone' AND l.intermediate_zone_code = m.member_code)
),
latest_simd AS (
    SELECT * FROM staging.simd__datazone
    QUALIFY simd_year = max(simd_year) OVER ()
),
final AS (
    SELECT
        l.datazone_code,
        l.datazone_name,
        l.intermediate_zone_code,
        l.ward_code,
        l.council_code,
        l.health_board_code,
        l.hscp_code,
        lm.locality_code,
        s.simd_edition,
        s.simd_rank,
        s.simd_decile,
        s.simd_quintile
    FROM lookup AS l
    LEFT JOIN locality_members AS lm USING (datazone_code)
    LEFT JOIN latest_simd AS s USING (datazone_code)
)
SELECT * FROM final
