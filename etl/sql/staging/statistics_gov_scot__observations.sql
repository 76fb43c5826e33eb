-- staging.statistics_gov_scot__observations
-- grain: one row per dataset x release x FeatureCode x DateCode x Measurement x Units x dimensions.
-- DateCode becomes a display label, a sortable year and the population years it covers:
--   '2019' -> 2019; '2019/2020' (financial/school) -> '2019/20', year 2019, population 2019;
--   '2017-2019' (multi-year) -> year 2019, population years 2017..2019.
WITH src AS (
    SELECT * FROM raw.statistics_gov_scot__observations
),
typed AS (
    SELECT
        dataset,
        _release AS release,
        "FeatureCode" AS feature_code,
        "DateCode" AS date_code,
        "Measurement" AS measurement,
        "Units" AS units,
        dimensions,
        TRY_CAST("Value" AS DOUBLE) AS value,
        CAST(substr("DateCode", 1, 4) AS INTEGER) AS first_year,
        CAST(nullif(substr("DateCode", 6, 4), '') AS INTEGER) AS second_year,
        substr("DateCode", 5, 1) AS separator,
        _source_file,
        _source_row
    FROM src
),
final AS (
    SELECT
        dataset,
        release,
        feature_code,
        CASE separator
            WHEN '/' THEN printf('%d/%02d', first_year, second_year % 100)
            ELSE date_code
        END AS period_label,
        CASE separator WHEN '-' THEN second_year ELSE first_year END AS period_year,
        first_year AS population_year_from,
        CASE separator WHEN '-' THEN second_year ELSE first_year END AS population_year_to,
        measurement,
        units,
        dimensions,
        value,
        _source_file,
        _source_row
    FROM typed
)
SELECT * FROM final
