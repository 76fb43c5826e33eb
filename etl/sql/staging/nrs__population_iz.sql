-- staging.nrs__population_iz
-- grain: one row per intermediate zone x year x sex x age band (age_from NULL: all ages).
-- One-to-one in content with raw.nrs__sape_iz: NRS's intermediate zone estimates as published
-- (rounded per geography, so not always the sum of their data zones). Files with totals only
-- (sape2021_iz2011_total.csv) give one all-ages row; files with single years of age give the
-- bands of core.fct_population_datazone (5-year ESP2013 bands, 15-19 split into 15 and 16-19,
-- 90 and over), so the same age groups can be summed at either grain.
-- A zone's year published in several releases is taken from the newest release only.
WITH src AS (
    SELECT * FROM raw.nrs__sape_iz
    QUALIFY dense_rank() OVER (PARTITION BY trim(intermediate_zone_code), year ORDER BY _release DESC) = 1
),
typed AS (
    SELECT
        trim(intermediate_zone_code) AS intermediate_zone_code,
        CAST(year AS INTEGER) AS year,
        CASE WHEN sex IN ('Female', 'F') THEN 'Female' WHEN sex IN ('Male', 'M') THEN 'Male' ELSE 'All' END AS sex,
        CAST(replace(total_population, ',', '') AS BIGINT) AS total_population,
        CAST(replace(COLUMNS('^age_'), ',', '') AS BIGINT),
        _source_file,
        _source_row
    FROM src
),
ages AS (
    UNPIVOT (SELECT * EXCLUDE (total_population) FROM typed WHERE age_0 IS NOT NULL)
    ON COLUMNS('^age_') INTO NAME age_column VALUE population
),
banded AS (
    SELECT
        intermediate_zone_code, year, sex,
        CASE WHEN age_column = 'age_90plus' THEN 90 ELSE CAST(substr(age_column, 5) AS INTEGER) END AS age,
        population, _source_file, _source_row
    FROM ages
),
bands AS (
    SELECT
        intermediate_zone_code, year, sex,
        CASE WHEN age >= 90 THEN 90 WHEN age IN (15, 16, 17, 18, 19) THEN least(age, 16) ELSE age // 5 * 5 END AS age_from,
        CAST(sum(population) AS BIGINT) AS population,
        min(_source_file) AS _source_file,
        min(_source_row) AS _source_row
    FROM banded
    GROUP BY ALL
),
final AS (
    SELECT
        intermediate_zone_code, year, sex, age_from,
        CASE WHEN age_from IN (15, 90) THEN age_from WHEN age_from = 16 THEN 19 ELSE age_from + 4 END AS age_to,
        population, _source_file, _source_row
    FROM bands
    UNION ALL
    SELECT intermediate_zone_code, year, sex, NULL, NULL, total_population, _source_file, _source_row
    FROM typed
    WHERE age_0 IS NULL
)
SELECT * FROM final
