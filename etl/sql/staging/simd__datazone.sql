-- staging.simd__datazone
-- grain: one row per SIMD edition x 2011 data zone.
-- Typed SIMD ranks, bands and domain ranks; the edition year picks the nearest edition per series year.
WITH src AS (
    SELECT * FROM raw.simd__dz_lookup
),
final AS (
    SELECT
        _release AS simd_edition,
        CAST(regexp_extract(_release, '^(\d{4})', 1) AS INTEGER) AS simd_year,
        trim("DZ") AS datazone_code,
        CAST(replace(simd_rank, ',', '') AS INTEGER) AS simd_rank,
        CAST(simd_vigintile AS INTEGER) AS simd_vigintile,
        CAST(simd_decile AS INTEGER) AS simd_decile,
        CAST(simd_quintile AS INTEGER) AS simd_quintile,
        CAST(replace(income_domain_rank, ',', '') AS INTEGER) AS income_domain_rank,
        CAST(replace(employment_domain_rank, ',', '') AS INTEGER) AS employment_domain_rank,
        CAST(replace(education_domain_rank, ',', '') AS INTEGER) AS education_domain_rank,
        CAST(replace(health_domain_rank, ',', '') AS INTEGER) AS health_domain_rank,
        CAST(replace(access_domain_rank, ',', '') AS INTEGER) AS access_domain_rank,
        CAST(replace(crime_domain_rank, ',', '') AS INTEGER) AS crime_domain_rank,
        CAST(replace(housing_domain_rank, ',', '') AS INTEGER) AS housing_domain_rank,
        CAST(replace(population, ',', '') AS INTEGER) AS simd_population,
        CAST(replace(working_age_population, ',', '') AS INTEGER) AS simd_working_age_population,
        _source_file,
        _source_row
    FROM src
)
SELECT * FROM final
