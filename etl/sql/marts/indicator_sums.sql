-- marts.indicator_sums  (internal working table, dropped before publication)
-- grain: one row per indicator x area x period x age band.
-- Numerators and denominators summed from the features of the indicator's build level (the
-- finest level with counts, core.fct_indicator_feature.is_build_level) up to every area the
-- indicator is valid for (one join to the bridge, one GROUP BY). An area's sum is NULL when
-- any member feature is missing or its source value was withheld: a missing count is never 0.
-- Counts a publisher gives for a coarser area itself ("direct": CPOP's intermediate-zone counts
-- beside its data-zone ones) are that area's figures, not the sum of its parts.
-- Where members were withheld at source with known bounds (disclosure.withheld_range),
-- numerator_estimate / numerator_lower / numerator_upper carry the estimate and its bounds
-- (core.fct_indicator_feature), withheld_members how many were withheld and
-- withheld_denominator their share of the denominator; marts/computed_values.sql decides
-- whether the estimate is shown.
-- is_direct marks those rows (the check that parts add up to Scotland leaves them out).
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
built AS (
    SELECT
        f.indicator_id, b.area_type, b.area_code, f.period_label,
        any_value(f.period_year) AS period_year, f.age_band,
        CASE WHEN count(f.numerator) = any_value(e.members) THEN sum(f.numerator) END AS numerator,
        CASE WHEN count(f.denominator) = any_value(e.members) THEN sum(f.denominator) END AS denominator,
        CAST(NULL AS DOUBLE) AS value,
        CASE WHEN count(f.numerator_estimate) = any_value(e.members) THEN sum(f.numerator_estimate) END AS numerator_estimate,
        CASE WHEN count(f.numerator_lower) = any_value(e.members) THEN sum(f.numerator_lower) END AS numerator_lower,
        CASE WHEN count(f.numerator_upper) = any_value(e.members) THEN sum(f.numerator_upper) END AS numerator_upper,
        count(*) FILTER (WHERE f.is_withheld) AS withheld_members,
        coalesce(sum(f.denominator) FILTER (WHERE f.is_withheld), 0) AS withheld_denominator,
        bool_or(f.is_revised) AS is_revised,
        max(f.source_release) AS source_release,
        count(*) AS members_present,
        any_value(e.members) AS members_expected,
        false AS is_direct
    FROM facts AS f
    JOIN bridge AS b ON b.child_type = f.feature_type AND b.child_code = f.feature_code
    JOIN valid_geographies AS g ON g.indicator_id = f.indicator_id AND g.area_type = b.area_type
    JOIN expected_members AS e ON e.child_type = b.child_type AND e.area_type = b.area_type AND e.area_code = b.area_code
    WHERE g.aggregation = 'extensive' AND f.is_build_level
    GROUP BY f.indicator_id, b.area_type, b.area_code, f.period_label, f.age_band
),
direct AS (
    SELECT f.indicator_id, f.feature_type AS area_type, f.feature_code AS area_code, f.period_label, f.period_year,
        f.age_band, f.numerator, f.denominator, NULL::DOUBLE AS value,
        f.numerator_estimate, f.numerator_lower, f.numerator_upper,
        CASE WHEN f.is_withheld THEN 1 ELSE 0 END AS withheld_members,
        CASE WHEN f.is_withheld THEN coalesce(f.denominator, 0) ELSE 0 END AS withheld_denominator,
        f.is_revised, f.source_release, 1 AS members_present, 1 AS members_expected, true AS is_direct
    FROM facts AS f
    JOIN valid_geographies AS g ON g.indicator_id = f.indicator_id AND g.area_type = f.feature_type
    WHERE g.aggregation = 'extensive' AND NOT f.is_build_level
),
extensive AS (
    SELECT * FROM direct
    UNION ALL
    SELECT b.* FROM built AS b
    ANTI JOIN direct AS d
        ON d.indicator_id = b.indicator_id AND d.area_type = b.area_type AND d.area_code = b.area_code
       AND d.period_label = b.period_label AND d.age_band IS NOT DISTINCT FROM b.age_band
),
intensive AS (
    -- published values (medians, indices) are never summed: only the areas they were published for
    SELECT f.indicator_id, f.feature_type AS area_type, f.feature_code AS area_code, f.period_label,
        f.period_year, f.age_band, NULL::DOUBLE, NULL::DOUBLE, f.value, NULL::DOUBLE, NULL::DOUBLE, NULL::DOUBLE,
        CASE WHEN f.is_withheld THEN 1 ELSE 0 END, 0, f.is_revised, f.source_release, 1, 1, false
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
    -- (ported for user-made areas to dashboard/data/area_values.py: change both)
    SELECT
        cur.indicator_id, cur.area_type, cur.area_code,
        arg_min(prev.period_label, prev.period_year) || '-' || cur.period_label AS period_label,
        cur.period_year, cur.age_band,
        CASE WHEN count(prev.numerator) = any_value(r.rolling_years) THEN sum(prev.numerator) END AS numerator,
        CASE WHEN count(prev.denominator) = any_value(r.rolling_years) THEN sum(prev.denominator) END AS denominator,
        NULL::DOUBLE AS value,
        CASE WHEN count(prev.numerator_estimate) = any_value(r.rolling_years) THEN sum(prev.numerator_estimate) END,
        CASE WHEN count(prev.numerator_lower) = any_value(r.rolling_years) THEN sum(prev.numerator_lower) END,
        CASE WHEN count(prev.numerator_upper) = any_value(r.rolling_years) THEN sum(prev.numerator_upper) END,
        sum(prev.withheld_members),
        sum(prev.withheld_denominator),
        bool_or(prev.is_revised) AS is_revised,
        max(prev.source_release) AS source_release,
        sum(prev.members_present) AS members_present,
        sum(prev.members_expected) AS members_expected,
        bool_or(prev.is_direct) AS is_direct
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
