-- marts.comparisons
-- grain: one row per indicator x area x period x comparator.
-- Each value against Scotland, the council the area lies in (areas inside a council), the
-- council's LGBF deprivation family group (councils only; the other councils of the group,
-- from the working table family_group_values made by etl/marts/comparisons.py) and the same
-- area in the indicator's baseline year (periods after it; the period whose period_year =
-- meta.indicators.baseline_year). Verdict: better / worse when the area's interval lies wholly
-- on one side of the comparator's value (a limit equal to it is 'similar'), good side by
-- polarity, at 95 % and 99.8 % (docs/methods.md); 'not comparable' when the area's value or
-- interval or the comparator's value is missing or withheld. Against the baseline year, which
-- is an estimate as uncertain as the area's own, the difference itself is tested (macro
-- difference_direction: both intervals' standard errors); 'not comparable' when either
-- interval is missing.
-- 99.8 % limits of the area: Wilson and Byar (exact Poisson below 10 events) recomputed from the
-- numerator and denominator at z = 3.0902; Dobson (age-standardised rates) exactly, without the
-- age bands: the published 95 % upper limit gives the Dobson scale sqrt(var/O) =
-- (U95 - DSR) / (O_U95 - O), then limits = DSR + scale * (O_L998 - O, O_U998 - O).
WITH ind AS (
    SELECT indicator_id, polarity, measure_type, multiplier, ci_method, baseline_year FROM meta.indicators
),
v AS (
    SELECT indicator_id, area_type, area_code, period_label, period_year, numerator, denominator, value,
           ci_lower, ci_upper
    FROM marts.indicator_values
),
counts AS (
    SELECT v.*, i.polarity, i.measure_type, i.multiplier, i.ci_method, i.baseline_year,
        CASE WHEN v.numerator < 10 THEN p95.upper ELSE byar_upper_count(v.numerator, z95()) END AS o_upper_95,
        CASE WHEN v.numerator < 10 THEN p.lower ELSE byar_lower_count(v.numerator, z998()) END AS o_lower_998,
        CASE WHEN v.numerator < 10 THEN p.upper ELSE byar_upper_count(v.numerator, z998()) END AS o_upper_998
    FROM v
    JOIN ind AS i USING (indicator_id)
    LEFT JOIN core.ref_poisson_exact_998 AS p ON p.observed = v.numerator
    LEFT JOIN core.ref_poisson_exact AS p95 ON p95.observed = v.numerator
),
area AS (
    SELECT indicator_id, area_type, area_code, period_label, period_year, value, ci_lower, ci_upper,
        polarity, baseline_year,
        CASE WHEN value IS NOT NULL THEN CASE ci_method
            WHEN 'wilson' THEN wilson_lower(numerator, denominator, z998()) * multiplier
            WHEN 'byar' THEN CASE WHEN measure_type = 'count' THEN o_lower_998
                                  WHEN denominator > 0 THEN o_lower_998 / denominator * multiplier END
            WHEN 'dobson' THEN CASE WHEN numerator > 0 AND o_upper_95 > numerator
                THEN greatest(0, value + (ci_upper - value) / (o_upper_95 - numerator) * (o_lower_998 - numerator)) END
        END END AS ci_lower_998,
        CASE WHEN value IS NOT NULL THEN CASE ci_method
            WHEN 'wilson' THEN wilson_upper(numerator, denominator, z998()) * multiplier
            WHEN 'byar' THEN CASE WHEN measure_type = 'count' THEN o_upper_998
                                  WHEN denominator > 0 THEN o_upper_998 / denominator * multiplier END
            WHEN 'dobson' THEN CASE WHEN numerator > 0 AND o_upper_95 > numerator
                THEN value + (ci_upper - value) / (o_upper_95 - numerator) * (o_upper_998 - numerator) END
        END END AS ci_upper_998
    FROM counts
),
inside_council AS (
    SELECT area_type, area_code, council_code FROM marts.areas
    WHERE council_code IS NOT NULL AND area_type NOT IN ('council', 'scotland')
),
pairs AS (
    SELECT a.*, 'scotland' AS comparator, c.area_type AS comparator_area_type, c.area_code AS comparator_area_code,
           c.period_label AS comparator_period_label, c.value AS comparator_value,
           c.ci_lower AS comparator_ci_lower, c.ci_upper AS comparator_ci_upper
    FROM area AS a
    JOIN v AS c ON c.indicator_id = a.indicator_id AND c.period_year = a.period_year AND c.area_type = 'scotland'
    WHERE a.area_type <> 'scotland'
    UNION ALL
    SELECT a.*, 'council', c.area_type, c.area_code, c.period_label, c.value, c.ci_lower, c.ci_upper
    FROM area AS a
    JOIN inside_council AS ic ON ic.area_type = a.area_type AND ic.area_code = a.area_code
    JOIN v AS c ON c.indicator_id = a.indicator_id AND c.period_year = a.period_year
               AND c.area_type = 'council' AND c.area_code = ic.council_code
    UNION ALL
    SELECT a.*, 'family_group', 'family_group', 'deprivation_' || f.deprivation_group, a.period_label,
           g.value, g.ci_lower, g.ci_upper
    FROM area AS a
    JOIN marts.family_groups AS f ON f.council_code = a.area_code
    LEFT JOIN family_group_values AS g
      ON g.indicator_id = a.indicator_id AND g.area_code = a.area_code AND g.period_year = a.period_year
    WHERE a.area_type = 'council'
    UNION ALL
    SELECT a.*, 'baseline', b.area_type, b.area_code, b.period_label, b.value, b.ci_lower, b.ci_upper
    FROM area AS a
    JOIN v AS b ON b.indicator_id = a.indicator_id AND b.area_type = a.area_type AND b.area_code = a.area_code
               AND b.period_year = a.baseline_year
    WHERE a.period_year > a.baseline_year
),
tested AS (
    SELECT *,
        -- the baseline is an estimate too: the difference is tested, not the area's interval
        CASE WHEN comparator = 'baseline' THEN difference_direction(value, ci_lower, ci_upper, comparator_value,
            comparator_ci_lower, comparator_ci_upper, z95()) END AS baseline_direction_95,
        CASE WHEN comparator = 'baseline' THEN difference_direction(value, ci_lower, ci_upper, comparator_value,
            comparator_ci_lower, comparator_ci_upper, z998()) END AS baseline_direction_998
    FROM pairs
),
final AS (
    SELECT
        indicator_id, area_type, area_code, period_label, period_year, comparator,
        comparator_area_type, comparator_area_code, comparator_period_label, comparator_value,
        comparator_ci_lower, comparator_ci_upper,
        CASE
            WHEN comparator = 'baseline' THEN CASE baseline_direction_95
                WHEN 0 THEN 'similar'
                WHEN 1 THEN CASE WHEN polarity = 'high_is_good' THEN 'better' ELSE 'worse' END
                WHEN -1 THEN CASE WHEN polarity = 'high_is_good' THEN 'worse' ELSE 'better' END
                ELSE 'not comparable' END
            WHEN value IS NULL OR comparator_value IS NULL OR ci_lower IS NULL OR ci_upper IS NULL THEN 'not comparable'
            WHEN ci_lower > comparator_value THEN CASE WHEN polarity = 'high_is_good' THEN 'better' ELSE 'worse' END
            WHEN ci_upper < comparator_value THEN CASE WHEN polarity = 'high_is_good' THEN 'worse' ELSE 'better' END
            ELSE 'similar'
        END AS verdict_95,
        CASE
            WHEN comparator = 'baseline' THEN CASE baseline_direction_998
                WHEN 0 THEN 'similar'
                WHEN 1 THEN CASE WHEN polarity = 'high_is_good' THEN 'better' ELSE 'worse' END
                WHEN -1 THEN CASE WHEN polarity = 'high_is_good' THEN 'worse' ELSE 'better' END
                ELSE 'not comparable' END
            WHEN value IS NULL OR comparator_value IS NULL OR ci_lower_998 IS NULL OR ci_upper_998 IS NULL
                THEN 'not comparable'
            WHEN ci_lower_998 > comparator_value THEN CASE WHEN polarity = 'high_is_good' THEN 'better' ELSE 'worse' END
            WHEN ci_upper_998 < comparator_value THEN CASE WHEN polarity = 'high_is_good' THEN 'worse' ELSE 'better' END
            ELSE 'similar'
        END AS verdict_998,
        ci_lower_998,
        ci_upper_998
    FROM tested
)
SELECT * FROM final
