-- The cells a user-made area's sums are made from (dashboard/data/cell_facts.py): every data zone
-- and intermediate zone holding build-level counts of an extensive indicator, with how many
-- fact rows each holds, in the order cell_facts.sql returns the rows.
SELECT f.feature_type, f.feature_code, count(*) AS fact_rows
FROM core.fct_indicator_feature AS f
JOIN meta.indicators AS i USING (indicator_id)
WHERE f.is_build_level AND i.aggregation = 'extensive' AND f.feature_type IN ('datazone', 'intermediate_zone')
GROUP BY ALL
ORDER BY f.feature_type, f.feature_code
