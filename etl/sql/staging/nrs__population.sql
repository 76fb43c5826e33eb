-- staging.nrs__population
-- grain: one row per landed row: data zone x year x sex, typed, ages still as columns.
-- One-to-one with raw.nrs__sape_dz; core.fct_population_datazone turns the single-year ages
-- into bands. Files with totals only have NULL age columns.
-- A data zone's year published in several releases (a re-based series fetched by `cpop fetch`
-- beside the snapshot's) is taken from the newest release only, never summed across releases.
WITH src AS (
    SELECT * FROM raw.nrs__sape_dz
    QUALIFY dense_rank() OVER (PARTITION BY trim(datazone_code), year ORDER BY _release DESC) = 1
),
final AS (
    SELECT
        trim(datazone_code) AS datazone_code,
        CAST(year AS INTEGER) AS year,
        CASE WHEN sex IN ('Female', 'F') THEN 'Female' WHEN sex IN ('Male', 'M') THEN 'Male' ELSE 'All' END AS sex,
        CAST(replace(total_population, ',', '') AS BIGINT) AS total_population,
        CAST(replace(COLUMNS('^age_'), ',', '') AS BIGINT),
        _source_file,
        _source_row
    FROM src
)
SELECT * FROM final
