-- comparisons_family_group_intensive  (working table for marts.comparisons; never published)
-- grain: one row per intensive indicator x council x period.
-- Intensive measures (medians, published indices) cannot be summed, so their family-group
-- comparator is the unweighted mean of the OTHER member councils' published values (the
-- "family group average" of LGBF benchmarking: a typical similar council, not an aggregate).
-- The same for councils' figures a publisher gives without counts (CPOP's CPP values).
-- Made only when every other member has a published value; no interval.
-- Needs the working table family_group_pairs (comparisons_family_group_pairs.sql).
SELECT v.indicator_id, p.council_code AS area_code, v.period_label, any_value(v.period_year) AS period_year,
       avg(v.value) AS value, NULL::DOUBLE AS ci_lower, NULL::DOUBLE AS ci_upper
FROM family_group_pairs AS p
JOIN marts.indicator_values AS v ON v.area_type = 'council' AND v.area_code = p.member_code
JOIN meta.indicators AS i USING (indicator_id)
WHERE i.aggregation = 'intensive' OR v.numerator IS NULL
GROUP BY v.indicator_id, p.council_code, v.period_label
HAVING count(v.value) = any_value(p.group_size) - 1
