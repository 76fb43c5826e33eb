-- staging.statistics_gov_scot__observations
-- grain: one row per dataset x release x FeatureCode x DateCode x Measurement x Units x dimensions.
-- DateCode becomes a display label, a sortable year and the population years it covers
-- (macros period_label_of, period_year_of in etl/sql/macros.sql):
--   '2019' -> 2019; '2019/2020' or '2019/20' (financial/school) -> '2019/20', year 2019,
--   population 2019; '2017-2019' (multi-year) -> year 2019, population years 2017..2019.
-- Same columns as staging.published__observations, so core.fct_observation unions them.
WITH src AS (
    SELECT * FROM raw.statistics_gov_scot__observations
),
final AS (
    SELECT
        'statistics_gov_scot' AS source,
        dataset,
        _release AS release,
        "FeatureCode" AS feature_code,
        period_label_of("DateCode") AS period_label,
        period_year_of("DateCode") AS period_year,
        period_first_year_of("DateCode") AS population_year_from,
        period_year_of("DateCode") AS population_year_to,
        "Measurement" AS measurement,
        "Units" AS units,
        dimensions,
        -- a published infinity (a ratio over zero) is no figure
        CASE WHEN isfinite(TRY_CAST("Value" AS DOUBLE)) THEN TRY_CAST("Value" AS DOUBLE) END AS value,
        -- the publisher's marker for a withheld cell; a blank is simply no figure
        trim(coalesce("Value", '')) IN ('*', '..', '-', ':', 'x', 'z', 'c') AS is_withheld,
        'raw' AS value_type,
        NULL::DOUBLE AS ci_lower,
        NULL::DOUBLE AS ci_upper,
        _source_file,
        NULL::VARCHAR AS _source_sheet,
        _source_row,
        NULL::VARCHAR AS _source_column
    FROM src
)
SELECT * FROM final
