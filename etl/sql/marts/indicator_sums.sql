-- marts.indicator_sums  (internal working table, dropped before publication)
-- grain: one row per indicator x area x period x age band.
-- Numerators and denominators summed from the published features up to every area the
-- indicator is valid for (one join to the bridge, one GROUP BY). An area's sum is NULL when
-- any member feature is missing or its source value was withheld: a missing count is never 0.
-- Indicators with rolling_years > 1 are published as n-year rolling periods (ratio of sums).
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
rolling_indicators AS (
    SELECT indicator_id, rolling_years FROM meta.indicators WHERE aggregation = 'extensive' AND rolling_years > 1
),
rolled AS (
    -- n-year rolling periods as a ratio of sums: numerators and denominators of n consecutive
    -- years are summed separately; a window with a missing year or a missing count is not made
    SELECT
        cur.indicator_id, cur.area_type, cur.area_code,
        arg_min(prev.period_label, prev.period_year) || '-' || cur.period_label AS period_label,
        cur.period_year, cur.age_band,
        CASE WHEN count(prev.numerator) = any_value(r.rolling_years) THEN sum(prev.numerator) END AS numerator,
        CASE WHEN count(prev.denominator) = any_value(r.rolling_years) THEN sum(prev.denominator) END AS denominator,
        NULL::DOUBLE AS value,
        bool_or(prev.is_revised) AS is_revised,
        max(prev.source_release) AS source_release,
        sum(prev.members_present) AS members_present,
        sum(prev.members_expected) AS members_expected
    FROM extensive AS cur
    JOIN rolling_indicators AS r USING (indicator_id)
    JOIN extensive AS prev
      ON prev.indicator_id = cur.indicator_id AND prev.area_type = cur.area_type AND prev.area_code = cur.area_code
     AND prev.age_band IS NOT DISTINCT FROM cur.age_band
     AND prev.period_year BETWEEN cur.period_year - r.rolling_years + 1 AND cur.period_year
    GROUP BY cur.indicator_id, cur.area_type, cur.area_code, cur.period_label, cur.period_year, cur.age_band
    HAVING count(*) = any_value(r.rolling_years)
),
final AS (
    SELECT * FROM extensive WHERE indicator_id NOT IN (SELECT indicator_id FROM rolling_indicators)
    UNION ALL
    SELECT * FROM rolled
    UNION ALL
    SELECT * FROM intensive
)
SELECT * FROM final
