-- core.fct_population_datazone
-- grain: one row per data zone x year x sex x age band.
-- Age bands are 5-year ESP2013 bands with 15-19 split into 15 and 16-19, so both the usual
-- age groups (0-15, 16-64, 65+) and age-standardisation bands are sums of whole bands.
-- Files with totals only give one band with age_from NULL. 'All' is taken as published, or
-- as Female + Male where a file has no 'All' rows.
WITH pop AS (
    SELECT * FROM staging.nrs__population
),
banded AS (
    SELECT
        datazone_code, year, sex,
        CASE WHEN age IS NULL THEN NULL
             WHEN age >= 90 THEN 90
             WHEN age = 15 THEN 15
             WHEN age BETWEEN 16 AND 19 THEN 16
             ELSE (age // 5) * 5 END AS age_from,
        population
    FROM pop
),
summed AS (
    SELECT datazone_code, year, sex, age_from, sum(population) AS population
    FROM banded GROUP BY ALL
),
all_from_sexes AS (
    SELECT datazone_code, year, 'All' AS sex, age_from, sum(population) AS population
    FROM summed AS s
    WHERE sex IN ('Female', 'Male')
      AND NOT EXISTS (SELECT 1 FROM summed AS a WHERE a.sex = 'All' AND a.datazone_code = s.datazone_code AND a.year = s.year)
    GROUP BY ALL
),
final AS (
    SELECT
        datazone_code, year, sex, age_from,
        CASE WHEN age_from IS NULL THEN NULL WHEN age_from = 90 THEN 90 WHEN age_from = 15 THEN 15
             WHEN age_from = 16 THEN 19 ELSE age_from + 4 END AS age_to,
        population
    FROM (SELECT * FROM summed UNION ALL SELECT * FROM all_from_sexes)
)
SELECT * FROM final
