-- marts.indicator_sums  (internal working table, dropped before publication)
-- grain: one row per indicator x area x period x age band.
-- Numerators and denominators summed from the published features up to every area the
-- indicator is valid for (one join to the bridge, one GROUP BY). An area's sum is NULL when
-- any member feature is missing or its source value was withheld: a missing count is never 0.
WITH facts AS (
    SELECT * FROM core.fct_indicator_feature
),
valid_geographies AS (
    SELECT indicator_id, aggregation, unnest(geographies) AS area_type FROM meta.indicators
),
bridge AS (
    SELECT * FROM core.bridge_area_area
),
expected_members AS (
    SELECT child_type, area_type, area_code, count(*) AS members FROM bridge GROUP BY ALL
),
extensive AS (
    SELECT
        f.indicator_id, b.area_type, b.area_code, f.period_label,
        any_value(f.period_year) AS period_year, f.age_band,
        CASE WHEN count(f.numerator) = any_value(e.members) THEN sum(f.numerator) END AS numerator,
        CASE WHEN count(f.denominator) = any_value(e.members) THEN sum(f.denominator) END AS denominator,
        CAST(NULL AS DOUBLE) AS value,
        bool_or(f.is_revised) AS is_revised,
        max(f.source_release) AS source_release,
        count(*) AS members_present,
        any_value(e.members) AS members_expected
    FROM facts AS f
    JOIN bridge AS b ON b.child_type = f.feature_type AND b.child_code = f.feature_code
    JOIN valid_geographies AS g ON g.indicator_id = f.indicator_id AND g.area_type = b.area_type
    JOIN expected_members AS e ON e.child_type = b.child_type AND e.area_type = b.area_type AND e.area_code = b.area_code
    WHERE g.aggregation = 'extensive'
    GROUP BY f.indicator_id, b.area_type, b.area_code, f.period_label, f.age_band
),
intensive AS (
    -- published values (medians, indices) are never summed: only the areas they were published for
    SELECT f.indicator_id, f.feature_type AS area_type, f.feature_code AS area_code, f.period_label,
        f.period_year, f.age_band, NULL::DOUBLE, NULL::DOUBLE, f.value, f.is_revised, f.source_release, 1, 1
    FROM facts AS f
    JOIN valid_geographies AS g ON g.indicator_id = f.indicator_id AND g.area_type = f.feature_type
    WHERE g.aggregation = 'intensive'
),
final AS (
    SELECT * FROM extensive
    UNION ALL
    SELECT * FROM intensive
)
SELECT * FROM final
