-- comparisons_family_group_sums  (working table for marts.comparisons; never published)
-- grain: one row per indicator x council x period x age band.
-- The family-group comparator of a council is the aggregate of the OTHER councils in its LGBF
-- deprivation family group (marts.family_groups): their numerators and denominators summed
-- (age bands kept, so an age-standardised rate is re-standardised from summed bands), in the
-- shape of marts.indicator_sums, so etl/sql/marts/computed_values.sql computes the rate and its
-- 95 % interval exactly as for any published area. area_code = the council being compared.
-- Disclosure: a sum is made only when every other member council's value is published
-- (not withheld, not missing); otherwise the council has no family-group value (its
-- comparison is 'not comparable'), so no withheld count can be recovered by differencing.
-- Needs the working table family_group_pairs (comparisons_family_group_pairs.sql).
WITH complete AS (
    -- (indicator, council, period) whose other members are all published
    SELECT v.indicator_id, p.council_code, v.period_label
    FROM family_group_pairs AS p
    JOIN marts.indicator_values AS v ON v.area_type = 'council' AND v.area_code = p.member_code
    GROUP BY v.indicator_id, p.council_code, v.period_label
    -- every other member shown with its counts (a figure published without counts is compared
    -- with the family group's mean instead: comparisons_family_group_intensive.sql)
    HAVING count(v.value) = any_value(p.group_size) - 1 AND count(v.numerator) = any_value(p.group_size) - 1
),
sums AS (
    SELECT
        s.indicator_id, 'family_group' AS area_type, p.council_code AS area_code, s.period_label,
        any_value(s.period_year) AS period_year, s.age_band,
        CASE WHEN count(s.numerator) = count(*) THEN sum(s.numerator) END AS numerator,
        CASE WHEN count(s.denominator) = count(*) THEN sum(s.denominator) END AS denominator,
        NULL::DOUBLE AS value,
        CASE WHEN count(s.numerator_estimate) = count(*) THEN sum(s.numerator_estimate) END AS numerator_estimate,
        CASE WHEN count(s.numerator_estimate) = count(*) THEN sum(s.numerator_lower) END AS numerator_lower,
        CASE WHEN count(s.numerator_estimate) = count(*) THEN sum(s.numerator_upper) END AS numerator_upper,
        sum(s.withheld_members) AS withheld_members,
        sum(s.withheld_denominator) AS withheld_denominator,
        bool_or(s.is_revised) AS is_revised,
        max(s.source_release) AS source_release,
        count(*) AS members_present,
        count(*) AS members_expected,
        false AS is_direct
    FROM core.agg_indicator_area AS s
    JOIN family_group_pairs AS p ON p.member_code = s.area_code
    JOIN meta.indicators AS i USING (indicator_id)
    SEMI JOIN complete AS c
      ON c.indicator_id = s.indicator_id AND c.council_code = p.council_code AND c.period_label = s.period_label
    WHERE s.area_type = 'council' AND i.aggregation = 'extensive'
    GROUP BY s.indicator_id, p.council_code, s.period_label, s.age_band
)
SELECT * FROM sums
