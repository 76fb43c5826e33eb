-- staging.nrs__population
-- grain: one row per landed row: data zone x year x sex, typed, ages still as columns.
-- One-to-one with raw.nrs__sape_dz; core.fct_population_datazone turns the single-year ages
-- into bands. Files with totals only have NULL age columns.
WITH src AS (
    SELECT * FROM raw.nrs__sape_dz
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
