-- The build-level counts of every extensive indicator in every data zone and intermediate zone,
-- as numbers only (dashboard/data/cell_facts.py keeps them in memory, once per build):
-- group_index is the row of the group in cell_fact_keys.sql ($indicator_ids, $period_labels,
-- $age_bands in that order), is_revised is -1 when unknown, release is the position of
-- source_release in $releases (sorted; 0 when unknown). Rows come cell by cell in the order of
-- cell_fact_cells.sql.
WITH groups AS (
    SELECT unnest($indicator_ids::VARCHAR[]) AS indicator_id, unnest($period_labels::VARCHAR[]) AS period_label,
           unnest($age_bands::INTEGER[]) AS age_band, unnest(range(len($indicator_ids::VARCHAR[]))) AS group_index
)
SELECT g.group_index::INTEGER AS group_index,
       f.numerator, f.denominator, f.numerator_estimate, f.numerator_lower, f.numerator_upper,
       coalesce(f.is_withheld, false) AS is_withheld,
       coalesce(f.is_revised::TINYINT, -1::TINYINT) AS is_revised,
       coalesce(list_position($releases::VARCHAR[], f.source_release), 0)::SMALLINT AS release
FROM core.fct_indicator_feature AS f
JOIN meta.indicators AS i USING (indicator_id)
JOIN groups AS g
  ON g.indicator_id = f.indicator_id AND g.period_label = f.period_label AND g.age_band IS NOT DISTINCT FROM f.age_band
WHERE f.is_build_level AND i.aggregation = 'extensive' AND f.feature_type IN ('datazone', 'intermediate_zone')
ORDER BY f.feature_type, f.feature_code
