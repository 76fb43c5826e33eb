-- The groups of a user-made area's sums (dashboard/data/cell_facts.py): one row per indicator x
-- period x age band with build-level counts at data zone or intermediate zone level, as
-- marts/indicator_sums.sql groups them. feature_types and period_years let the loader refuse a
-- build where a group mixes cell types or years (indicator_sums.sql then takes any_value of
-- the members or the year; the in-memory sums could not promise the same answer).
SELECT f.indicator_id, f.period_label, f.age_band,
       min(f.period_year) AS period_year,
       count(DISTINCT f.period_year) AS period_years,
       min(f.feature_type) AS feature_type,
       count(DISTINCT f.feature_type) AS feature_types
FROM core.fct_indicator_feature AS f
JOIN meta.indicators AS i USING (indicator_id)
WHERE f.is_build_level AND i.aggregation = 'extensive' AND f.feature_type IN ('datazone', 'intermediate_zone')
GROUP BY ALL
ORDER BY f.indicator_id, f.period_label, f.age_band NULLS LAST
