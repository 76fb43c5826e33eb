-- core.fct_observation
-- grain: one row per dataset x feature x period x measurement x units x dimensions x release.
-- is_newest marks the newest release of each observation, the one every figure is made from;
-- older releases stay for marts.indicator_releases. is_revised marks observations whose releases
-- differ (changed, withheld or released); previous_value / previous_release give the release
-- before each one.
-- One release may hold the same observation in two files (CPOP ships its CPP figures as a
-- workbook and as a CSV extract): identical copies are one observation; copies that differ stop
-- the build (check fct_observation__duplicate_keys names both files and rows).
-- Speed: most observations are landed once (one release, one copy). Their window results are
-- constants (newest, nothing before, revised only as the expression below gives for one value), so
-- the window functions run only over the observations landed more than once (~15 % of rows on real
-- Scotland): windows over ~2 million partitions of one row cost ~8 s more.
WITH obs AS NOT MATERIALIZED (
    SELECT *, CAST(dimensions AS VARCHAR) AS dimension_key FROM staging.observations
),
repeated AS (  -- observations landed more than once: several releases, or copies in one release
    SELECT dataset, feature_code, period_label, measurement, units, dimension_key
    FROM obs
    GROUP BY ALL
    HAVING count(*) > 1
),
landed_once AS (
    SELECT * FROM obs ANTI JOIN repeated USING (dataset, feature_code, period_label, measurement, units, dimension_key)
),
one_copy AS (
    SELECT * FROM obs SEMI JOIN repeated USING (dataset, feature_code, period_label, measurement, units, dimension_key)
    QUALIFY row_number() OVER (PARTITION BY dataset, release, feature_code, period_label, measurement, units,
                                            dimension_key ORDER BY _source_file, _source_row) = 1
),
ranked AS (
    SELECT *,
        row_number() OVER w AS newest_first,
        lead(value) OVER w AS previous_value,
        lead(release) OVER w AS previous_release,
        (max(value) OVER p - min(value) OVER p) > 1e-9 * greatest(abs(max(value) OVER p), 1)
            OR count(value) OVER p NOT IN (0, count(*) OVER p) AS is_revised
    FROM one_copy
    WINDOW p AS (PARTITION BY dataset, feature_code, period_label, measurement, units, dimension_key),
           w AS (PARTITION BY dataset, feature_code, period_label, measurement, units, dimension_key
                 ORDER BY release DESC)
    UNION ALL BY NAME
    -- the same expressions over a partition of one row (NaN > anything in DuckDB: an infinite value
    -- is 'revised' here exactly as in the windows above)
    SELECT *, 1 AS newest_first, NULL::DOUBLE AS previous_value, NULL::VARCHAR AS previous_release,
        (value - value) > 1e-9 * greatest(abs(value), 1) AS is_revised
    FROM landed_once
),
final AS (
    SELECT
        source, dataset, feature_code, period_label, period_year, population_year_from, population_year_to,
        measurement, units, dimensions, value, is_withheld, value_type, ci_lower, ci_upper,
        is_revised, release AS source_release, newest_first = 1 AS is_newest, previous_value, previous_release,
        _source_file, _source_sheet, _source_row, _source_column
    FROM ranked
)
-- not sorted: readers join on dataset, measurement and units or scan it all; sorting ~2 million wide
-- rows cost ~2.5 s of a real build (and the table is no smaller sorted)
SELECT * FROM final
