-- marts.comparisons
-- grain: one row per indicator x area x period x comparator.
-- Each value against Scotland, the area's council, and the same area in the baseline year:
-- better / similar / worse when the area's confidence interval excludes the comparator's
-- value, on the good side by the indicator's polarity, at 95 % and 99.8 %.
-- 99.8 % limits are recomputed from numerator and denominator (Wilson; Byar with exact
-- Poisson below 10); for age-standardised rates the 95 % Dobson half-widths are scaled by
-- 3.0902 / 1.96 (an approximation, stated in docs/methods.md). Suppressed or missing values,
-- and measures without an interval, are 'not comparable'.
WITH v AS (
    SELECT v.*, i.polarity, i.measure_type, i.multiplier, i.ci_method, i.baseline_year
    FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
),
areas AS (
    SELECT area_type, area_code, council_code FROM marts.areas
),
with_998 AS (
    SELECT v.*,
        CASE v.ci_method
            WHEN 'wilson' THEN wilson_lower(v.numerator, v.denominator, 3.090232306167813) * v.multiplier
            WHEN 'byar' THEN (CASE WHEN v.numerator < 10 THEN p.lower ELSE byar_lower_count(v.numerator, 3.090232306167813) END)
                             / v.denominator * CASE WHEN v.measure_type = 'count' THEN v.denominator ELSE v.multiplier END
            WHEN 'dobson' THEN v.value - (v.value - v.ci_lower) * 3.090232306167813 / 1.959963984540054
        END AS ci_lower_998,
        CASE v.ci_method
            WHEN 'wilson' THEN wilson_upper(v.numerator, v.denominator, 3.090232306167813) * v.multiplier
            WHEN 'byar' THEN (CASE WHEN v.numerator < 10 THEN p.upper ELSE byar_upper_count(v.numerator, 3.090232306167813) END)
                             / v.denominator * CASE WHEN v.measure_type = 'count' THEN v.denominator ELSE v.multiplier END
            WHEN 'dobson' THEN v.value + (v.ci_upper - v.value) * 3.090232306167813 / 1.959963984540054
        END AS ci_upper_998
    FROM v LEFT JOIN core.ref_poisson_exact_998 AS p ON p.observed = v.numerator
),
pairs AS (
    SELECT a.*, 'scotland' AS comparator, c.area_type AS comparator_area_type, c.area_code AS comparator_area_code,
           c.period_label AS comparator_period_label, c.value AS comparator_value
    FROM with_998 AS a
    JOIN v AS c ON c.indicator_id = a.indicator_id AND c.period_label = a.period_label
               AND c.area_type = 'scotland'
    WHERE a.area_type <> 'scotland'
    UNION ALL
    SELECT a.*, 'council', c.area_type, c.area_code, c.period_label, c.value
    FROM with_998 AS a
    JOIN areas AS ar ON ar.area_type = a.area_type AND ar.area_code = a.area_code
    JOIN v AS c ON c.indicator_id = a.indicator_id AND c.period_label = a.period_label
               AND c.area_type = 'council' AND c.area_code = ar.council_code
    WHERE a.area_type NOT IN ('council', 'scotland', 'hscp', 'health_board')
    UNION ALL
    SELECT a.*, 'baseline', b.area_type, b.area_code, b.period_label, b.value
    FROM with_998 AS a
    JOIN v AS b ON b.indicator_id = a.indicator_id AND b.area_type = a.area_type AND b.area_code = a.area_code
               AND b.period_year = a.baseline_year
    WHERE a.period_year > a.baseline_year
),
final AS (
    SELECT
        indicator_id, area_type, area_code, period_label, period_year, comparator,
        comparator_area_type, comparator_area_code, comparator_period_label, comparator_value,
        CASE
            WHEN value IS NULL OR comparator_value IS NULL OR ci_lower IS NULL OR ci_upper IS NULL THEN 'not comparable'
            WHEN ci_lower > comparator_value THEN CASE WHEN polarity = 'high_is_good' THEN 'better' ELSE 'worse' END
            WHEN ci_upper < comparator_value THEN CASE WHEN polarity = 'high_is_good' THEN 'worse' ELSE 'better' END
            ELSE 'similar'
        END AS verdict_95,
        CASE
            WHEN value IS NULL OR comparator_value IS NULL OR ci_lower_998 IS NULL OR ci_upper_998 IS NULL THEN 'not comparable'
            WHEN ci_lower_998 > comparator_value THEN CASE WHEN polarity = 'high_is_good' THEN 'better' ELSE 'worse' END
            WHEN ci_upper_998 < comparator_value THEN CASE WHEN polarity = 'high_is_good' THEN 'worse' ELSE 'better' END
            ELSE 'similar'
        END AS verdict_998,
        ci_lower_998,
        ci_upper_998
    FROM pairs
)
SELECT * FROM final
