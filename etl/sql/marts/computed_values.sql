-- marts.computed_values  (internal working table, dropped before publication; this SQL is also
-- run on other tables of sums: inequality groups, family groups, and user-made areas when their
-- counts are not held in memory). dashboard/data/area_values.py makes user-made areas' values by
-- these same rules in numpy: change both (tests/unit/dashboard/test_dashboard_area_values.py and
-- the equivalence tests fail on any figure, flag, reason or note that differs).
-- grain: one row per indicator x area x period.
-- The rate is recomputed from the summed numerator and denominator (ratio of sums), never an
-- average of rates; age-standardised rates are directly standardised to ESP2013 from summed
-- age-band counts: no standardised rate when any band's count or population is missing, nor from
-- fewer than 10 events (the count is shown, the rate withheld with a note; 10-19 events are
-- flagged is_low_reliability). 95 % CIs: Wilson (percentages), Byar with exact Poisson below 10
-- events (crude rates), Dobson (age-standardised rates).
-- Primary disclosure control (indicators whose rule cpop applies): counts from 1 to the
-- indicator's min_count - 1 (and, for percentages, denominator - numerator in that range) are
-- withheld with the value and CI computed from them. Indicators whose publisher applied its
-- own rule (disclosure_applied_by = 'publisher') get no suppression from cpop: every count in
-- the publisher's files is public. Their cells withheld at source are withheld here too; an
-- area built from data zones some of which were withheld is estimated (numerator_estimate)
-- when the withheld data zones hold at most half its denominator, and its interval runs from
-- the lower limit at the lowest possible count to the upper limit at the highest.
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
        -- no rate when any band's count or population is missing (a missing band is not a zero
        -- one), nor when a band has events but nobody to divide them by
        CASE WHEN count(s.numerator) = count(*) AND count(s.denominator) = count(*)
                  AND NOT bool_or(s.denominator = 0 AND s.numerator > 0) THEN
            sum(CASE WHEN s.denominator > 0 THEN s.numerator * w.weight / s.denominator ELSE 0 END) / sum(w.weight)
        END AS rate,
        CASE WHEN count(s.numerator) = count(*) AND count(s.denominator) = count(*)
                  AND NOT bool_or(s.denominator = 0 AND s.numerator > 0) THEN
            sum(CASE WHEN s.denominator > 0 THEN s.numerator * w.weight * w.weight / (s.denominator * s.denominator)
                     ELSE 0 END) / (sum(w.weight) * sum(w.weight))
        END AS rate_variance,
        bool_or(s.is_revised) AS is_revised,
        max(s.source_release) AS source_release,
        count(*) = count(DISTINCT w.age_from) AND count(*) = any_value(bands.expected) AS is_complete,
        CASE WHEN count(s.numerator) = count(*) THEN sum(s.numerator) END AS count_low,
        CASE WHEN count(s.numerator) = count(*) THEN sum(s.numerator) END AS count_high,
        false AS is_estimated,
        max(s.withheld_members) AS withheld_members,
        max(s.members_expected) AS members
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
crude_counts AS (
    SELECT s.*, i.measure_type, i.aggregation,
        -- estimated: some member data zones withheld at source, bounds known, at most half the denominator
        s.numerator IS NULL AND s.numerator_estimate IS NOT NULL AND s.withheld_members > 0
            AND s.area_type <> 'datazone' AND s.denominator > 0
            AND s.withheld_denominator <= 0.5 * s.denominator AS is_estimated
    FROM sums AS s JOIN ind AS i USING (indicator_id)
    WHERE i.measure_type <> 'age_standardised_rate'
),
crude AS (
    SELECT
        indicator_id, area_type, area_code, period_label, period_year,
        CASE WHEN is_estimated THEN numerator_estimate ELSE numerator END AS numerator,
        denominator,
        CASE
            WHEN aggregation = 'intensive' THEN value
            WHEN measure_type = 'count' THEN CASE WHEN is_estimated THEN numerator_estimate ELSE numerator END
            WHEN denominator > 0 THEN CASE WHEN is_estimated THEN numerator_estimate ELSE numerator END / denominator
        END AS rate,
        NULL::DOUBLE AS rate_variance,
        is_revised, source_release, true AS is_complete,
        CASE WHEN is_estimated THEN numerator_lower ELSE numerator END AS count_low,
        CASE WHEN is_estimated THEN numerator_upper ELSE numerator END AS count_high,
        is_estimated, withheld_members, members_expected AS members
    FROM crude_counts
),
combined AS (
    SELECT * FROM crude
    UNION ALL
    SELECT * FROM standardised WHERE is_complete
),
with_ci AS (
    SELECT
        c.*, i.measure_type, i.aggregation, i.multiplier, i.ci_method, i.disclosure_min_count, i.disclosure_suppress_zero,
        i.disclosure_applied_by,
        CASE WHEN c.count_low < 10 THEN lo.lower ELSE byar_lower_count(c.count_low, z95()) END AS count_lower,
        CASE WHEN c.count_high < 10 THEN hi.upper ELSE byar_upper_count(c.count_high, z95()) END AS count_upper
    FROM combined AS c
    JOIN ind AS i USING (indicator_id)
    LEFT JOIN poisson AS lo ON lo.observed = c.count_low
    LEFT JOIN poisson AS hi ON hi.observed = c.count_high
),
valued AS (
    SELECT
        *,
        CASE WHEN aggregation = 'intensive' OR measure_type = 'count' THEN rate ELSE rate * multiplier END AS value,
        CASE ci_method
            WHEN 'wilson' THEN wilson_lower(count_low, denominator, z95()) * multiplier
            WHEN 'byar' THEN CASE WHEN measure_type = 'count' THEN count_lower
                                  WHEN denominator > 0 THEN count_lower / denominator * multiplier END
            WHEN 'dobson' THEN CASE WHEN numerator > 0
                THEN greatest(0, rate + sqrt(rate_variance / numerator) * (count_lower - numerator)) * multiplier END
        END AS ci_lower,
        CASE ci_method
            WHEN 'wilson' THEN wilson_upper(count_high, denominator, z95()) * multiplier
            WHEN 'byar' THEN CASE WHEN measure_type = 'count' THEN count_upper
                                  WHEN denominator > 0 THEN count_upper / denominator * multiplier END
            WHEN 'dobson' THEN CASE WHEN numerator > 0
                THEN (rate + sqrt(rate_variance / numerator) * (count_upper - numerator)) * multiplier END
        END AS ci_upper,
        disclosure_applied_by = 'cpop' AND aggregation = 'extensive' AND numerator IS NOT NULL AND (
            (numerator >= 1 AND numerator < disclosure_min_count) OR (disclosure_suppress_zero AND numerator = 0)
            -- for a percentage the complement (e.g. babies NOT at a healthy weight) is a count too
            OR (measure_type = 'percentage' AND denominator - numerator >= 1
                AND denominator - numerator < disclosure_min_count)
        ) AS is_primary,
        -- withheld by the publisher and not estimated here
        numerator IS NULL AND withheld_members > 0 AS is_withheld_at_source,
        -- no standardised rate from fewer than 10 events (PHE, ScotPHO): too unstable to read;
        -- the count itself is not withheld (etl.stats.intervals.MIN_DSR_EVENTS is the same 10)
        coalesce(measure_type = 'age_standardised_rate' AND numerator < 10, false) AS is_too_few_events
    FROM with_ci
),
final AS (
    SELECT
        indicator_id,
        area_type,
        area_code,
        period_label,
        period_year,
        CASE WHEN NOT is_primary THEN numerator END AS numerator,
        denominator,
        CASE WHEN NOT is_primary AND NOT is_too_few_events THEN value END AS value,
        -- no interval without a value (a count withheld at source gives Byar a lower limit of 0)
        CASE WHEN NOT is_primary AND NOT is_too_few_events AND value IS NOT NULL THEN ci_lower END AS ci_lower,
        CASE WHEN NOT is_primary AND NOT is_too_few_events AND value IS NOT NULL THEN ci_upper END AS ci_upper,
        is_primary OR is_withheld_at_source AS is_suppressed,
        CASE
            -- the one reason of every cell cpop withholds (etl/withheld.py): never primary vs complementary
            WHEN is_primary THEN 'disclosure control: a small count, or a figure from which one could be worked out'
            WHEN is_withheld_at_source AND members = 1 THEN 'withheld at source by the publisher'
            WHEN is_withheld_at_source THEN printf('not estimated: %d of %d data zones withheld at source by the publisher',
                                                   withheld_members, members)
        END AS suppression_reason,
        is_revised,
        'raw' AS value_type,
        CASE WHEN is_estimated THEN 'estimated' ELSE 'computed' END AS value_source,
        is_estimated,
        withheld_members,
        members,
        source_release,
        -- fewer than 20 events (rates) or a base below 50 (percentages, means): wide intervals
        NOT is_primary AND NOT is_too_few_events AND aggregation = 'extensive' AND (
            (measure_type IN ('crude_rate', 'age_standardised_rate', 'count') AND numerator < 20)
            OR (measure_type IN ('percentage', 'mean') AND denominator < 50)
        ) AS is_low_reliability,
        CASE
            WHEN is_too_few_events AND NOT is_primary
                THEN printf('No age-standardised rate: %d events are fewer than the 10 a standardised rate needs '
                            '(public-health practice publishes none below 10).', CAST(numerator AS BIGINT))
            WHEN is_estimated THEN printf('Estimated: %d of %d data zones withheld at source by the publisher; '
                                          'the interval covers every value they could take.', withheld_members, members)
            WHEN NOT is_primary AND measure_type = 'percentage' AND numerator > denominator
                THEN printf('The count (%s) is above the population it is divided by (%s): small-area population '
                            'estimates do not always match the counts.',
                            regexp_replace(CAST(round(numerator, 2) AS VARCHAR), '\.0$', ''),
                            regexp_replace(CAST(round(denominator, 2) AS VARCHAR), '\.0$', ''))
        END AS note
    FROM valued
)
SELECT * FROM final
ORDER BY indicator_id, area_type, area_code, period_year
