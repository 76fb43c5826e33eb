-- core.fct_observation
-- grain: one row per dataset x feature x period x measurement x units x dimensions.
-- The newest release of each observation wins; is_revised marks values a later release changed.
WITH obs AS (
    SELECT *, CAST(dimensions AS VARCHAR) AS dimension_key
    FROM staging.statistics_gov_scot__observations
),
ranked AS (
    SELECT *,
        row_number() OVER w AS newest_first,
        count(DISTINCT coalesce(CAST(value AS VARCHAR), 'NA')) OVER (
            PARTITION BY dataset, feature_code, period_label, measurement, units, dimension_key
        ) > 1 AS is_revised
    FROM obs
    WINDOW w AS (PARTITION BY dataset, feature_code, period_label, measurement, units, dimension_key
                 ORDER BY release DESC, _source_row)
),
final AS (
    SELECT
        dataset, feature_code, period_label, period_year, population_year_from, population_year_to,
        measurement, units, dimensions, value, is_revised, release AS source_release,
        _source_file, _source_row
    FROM ranked
    WHERE newest_first = 1
)
SELECT * FROM final
