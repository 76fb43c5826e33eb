-- staging.published__observations
-- grain: one row per source x dataset x release x FeatureCode x DateCode x Measurement x Units x
-- dimensions: the publishers' own files read into canonical tables (etl/sources/published.py).
-- Typed like staging.statistics_gov_scot__observations (period macros in etl/sql/macros.sql);
-- a withheld cell (the publisher's '..' or '*') has value NULL and is_withheld true; a blank cell
-- (no figure) has value NULL and is_withheld false.
WITH src AS (
    SELECT * FROM raw.published__observations
),
final AS (
    SELECT
        source,
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
        coalesce(nullif("ValueType", ''), 'raw') AS value_type,
        TRY_CAST("LowerCI" AS DOUBLE) AS ci_lower,
        TRY_CAST("UpperCI" AS DOUBLE) AS ci_upper,
        _source_file,
        _source_sheet,
        _source_row,
        _source_column
    FROM src
)
SELECT * FROM final
