-- marts.indicator_values
-- grain: one row per indicator x area x period.
-- The rate is recomputed from the summed numerator and denominator (ratio of sums), never an
-- average of rates; age-standardised rates are directly standardised to ESP2013 from summed
-- age-band counts. 95 % CIs: Wilson (percentages), Byar with exact Poisson below 10 events
-- (crude rates), Dobson (age-standardised rates). Primary disclosure control: counts from 1
-- to the indicator's min_count - 1 (and, for percentages, denominator - numerator in that
-- range) are withheld with the value and CI computed from them.
WITH sums AS (
    SELECT * FROM marts.indicator_sums
),
ind AS (
    SELECT * FROM meta.indicators
),
poisson AS (
    SELECT * FROM core.ref_poisson_exact
),
standardised AS (
    SELECT
        s.indicator_id, s.area_type, s.area_code, s.period_label,
        any_value(s.period_year) AS period_year,
        CASE WHEN count(s.numerator) = count(*) THEN sum(s.numerator) END AS numerator,
        CASE WHEN count(s.denominator) = count(*) THEN sum(s.denominator) END AS denominator,
        sum(CASE WHEN s.denominator > 0 THEN s.numerator * w.weight / s.denominator ELSE 0 END) / sum(w.weight) AS rate,
        sum(CASE WHEN s.denominator > 0 THEN s.numerator * w.weight * w.weight / (s.denominator * s.denominator) ELSE 0 END)
            / (sum(w.weight) * sum(w.weight)) AS rate_variance,
        bool_or(s.is_revised) AS is_revised,
        max(s.source_release) AS source_release,
        count(*) = count(DISTINCT w.age_from) AND count(*) = any_value(bands.expected) AS is_complete
    FROM sums AS s
    JOIN ind AS i USING (indicator_id)
    JOIN core.ref_esp2013 AS w ON w.age_from = s.age_band
    JOIN (SELECT m.indicator_id, count(*) AS expected
          FROM meta.indicator_mappings AS m JOIN core.ref_esp2013 AS r
            ON r.age_from BETWEEN m.population_age_from AND m.population_age_to
          WHERE m.side = 'denominator' AND m.population_by_age_band
          GROUP BY ALL) AS bands USING (indicator_id)
    WHERE i.measure_type = 'age_standardised_rate'
    GROUP BY s.indicator_id, s.area_type, s.area_code, s.period_label
),
crude AS (
    SELECT
        s.indicator_id, s.area_type, s.area_code, s.period_label, s.period_year,
        s.numerator, s.denominator,
        CASE
            WHEN i.aggregation = 'intensive' THEN s.value
            WHEN i.measure_type = 'count' THEN s.numerator
            WHEN s.denominator > 0 THEN s.numerator / s.denominator
        END AS rate,
        NULL::DOUBLE AS rate_variance,
        s.is_revised, s.source_release, true AS is_complete
    FROM sums AS s JOIN ind AS i USING (indicator_id)
    WHERE i.measure_type <> 'age_standardised_rate'
),
combined AS (
    SELECT * FROM crude
    UNION ALL
    SELECT * FROM standardised WHERE is_complete
),
with_ci AS (
    SELECT
        c.*, i.measure_type, i.aggregation, i.multiplier, i.ci_method, i.disclosure_min_count, i.disclosure_suppress_zero,
        CASE WHEN c.numerator < 10 THEN p.lower ELSE byar_lower_count(c.numerator, 1.959963984540054) END AS count_lower,
        CASE WHEN c.numerator < 10 THEN p.upper ELSE byar_upper_count(c.numerator, 1.959963984540054) END AS count_upper
    FROM combined AS c
    JOIN ind AS i USING (indicator_id)
    LEFT JOIN poisson AS p ON p.observed = c.numerator
),
valued AS (
    SELECT
        *,
        CASE WHEN aggregation = 'intensive' OR measure_type = 'count' THEN rate ELSE rate * multiplier END AS value,
        CASE ci_method
            WHEN 'wilson' THEN wilson_lower(numerator, denominator, 1.959963984540054) * multiplier
            WHEN 'byar' THEN CASE WHEN measure_type = 'count' THEN count_lower
                                  WHEN denominator > 0 THEN count_lower / denominator * multiplier END
            WHEN 'dobson' THEN CASE WHEN numerator > 0
                THEN greatest(0, rate + sqrt(rate_variance / numerator) * (count_lower - numerator)) * multiplier END
        END AS ci_lower,
        CASE ci_method
            WHEN 'wilson' THEN wilson_upper(numerator, denominator, 1.959963984540054) * multiplier
            WHEN 'byar' THEN CASE WHEN measure_type = 'count' THEN count_upper
                                  WHEN denominator > 0 THEN count_upper / denominator * multiplier END
            WHEN 'dobson' THEN CASE WHEN numerator > 0
                THEN (rate + sqrt(rate_variance / numerator) * (count_upper - numerator)) * multiplier END
        END AS ci_upper,
        aggregation = 'extensive' AND numerator IS NOT NULL AND (
            (numerator >= 1 AND numerator < disclosure_min_count) OR (disclosure_suppress_zero AND numerator = 0)
            -- for a percentage the complement (e.g. babies NOT at a healthy weight) is a count too
            OR (measure_type = 'percentage' AND denominator - numerator >= 1
                AND denominator - numerator < disclosure_min_count)
        ) AS is_suppressed
    FROM with_ci
),
final AS (
    SELECT
        indicator_id,
        area_type,
        area_code,
        period_label,
        period_year,
        CASE WHEN NOT is_suppressed THEN numerator END AS numerator,
        denominator,
        CASE WHEN NOT is_suppressed THEN value END AS value,
        CASE WHEN NOT is_suppressed THEN ci_lower END AS ci_lower,
        CASE WHEN NOT is_suppressed THEN ci_upper END AS ci_upper,
        is_suppressed,
        CASE WHEN is_suppressed THEN printf('primary: a count (or, for a percentage, its complement) between 1 and %d',
                                            disclosure_min_count - 1) END AS suppression_reason,
        is_revised,
        'raw' AS value_type,
        source_release,
        -- fewer than 20 events (rates) or a base below 50 (percentages, means): wide intervals
        NOT is_suppressed AND aggregation = 'extensive' AND (
            (measure_type IN ('crude_rate', 'age_standardised_rate', 'count') AND numerator < 20)
            OR (measure_type IN ('percentage', 'mean') AND denominator < 50)
        ) AS is_low_reliability
    FROM valued
)
SELECT * FROM final
ORDER BY indicator_id, area_type, area_code, period_year
