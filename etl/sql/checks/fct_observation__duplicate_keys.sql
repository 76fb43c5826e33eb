-- Within one release, an observation appears once (two rows for the same key would be summed twice).
WITH obs AS (
    SELECT *, hash(dataset, release, feature_code, period_label, measurement, units, CAST(dimensions AS VARCHAR)) AS key_hash
    FROM staging.statistics_gov_scot__observations
),
suspects AS (
    -- rows with the same key have the same hash: only keys sharing a hash can be duplicates
    SELECT key_hash FROM obs GROUP BY key_hash HAVING count(*) > 1
)
SELECT dataset, release, feature_code, period_label, measurement, units, CAST(dimensions AS VARCHAR) AS dimensions,
       count(*) AS rows, min(_source_row) AS first_row, max(_source_row) AS second_row, any_value(_source_file) AS file
FROM obs SEMI JOIN suspects USING (key_hash)
GROUP BY dataset, release, feature_code, period_label, measurement, units, CAST(dimensions AS VARCHAR)
HAVING count(*) > 1
