-- Within one release, an observation appears once (two rows for the same key would be summed twice).
SELECT dataset, release, feature_code, period_label, measurement, units, CAST(dimensions AS VARCHAR) AS dimensions,
       count(*) AS rows, min(_source_row) AS first_row, max(_source_row) AS second_row, any_value(_source_file) AS file
FROM staging.statistics_gov_scot__observations
GROUP BY dataset, release, feature_code, period_label, measurement, units, CAST(dimensions AS VARCHAR)
HAVING count(*) > 1
