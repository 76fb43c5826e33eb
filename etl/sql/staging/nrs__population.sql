-- staging.nrs__population
-- grain: one row per data zone x year x sex x single year of age (age 90 = 90 and over);
-- files with totals only give one row per data zone x year x sex with age NULL.
WITH src AS (
    SELECT * FROM raw.nrs__sape_dz
),
typed AS (
    SELECT
        trim(datazone_code) AS datazone_code,
        CAST(year AS INTEGER) AS year,
        CASE WHEN sex IN ('Female', 'F') THEN 'Female' WHEN sex IN ('Male', 'M') THEN 'Male' ELSE 'All' END AS sex,
        * EXCLUDE (datazone_code, year, sex)
    FROM src
),
by_age AS (
    UNPIVOT typed ON COLUMNS('^age_') INTO NAME age_column VALUE population_text
),
final AS (
    SELECT
        datazone_code,
        year,
        sex,
        CASE WHEN age_column = 'age_90plus' THEN 90 ELSE CAST(substr(age_column, 5) AS INTEGER) END AS age,
        CAST(replace(population_text, ',', '') AS BIGINT) AS population,
        _source_file,
        _source_row
    FROM by_age
    UNION ALL
    SELECT datazone_code, year, sex, NULL AS age, CAST(replace(total_population, ',', '') AS BIGINT), _source_file, _source_row
    FROM typed
    WHERE age_0 IS NULL AND total_population IS NOT NULL
)
SELECT * FROM final
