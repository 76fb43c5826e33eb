-- Within one release an observation appears once: two rows of one file with the same key would
-- be counted twice, and two files of one release that give it different values contradict each
-- other (identical copies in two files, like CPOP's workbook and its CSV extract, are one).
WITH obs AS (
    SELECT *, hash(dataset, release, feature_code, period_label, measurement, units, CAST(dimensions AS VARCHAR)) AS key_hash
    FROM staging.observations
),
suspects AS (
    -- rows with the same key have the same hash: only keys sharing a hash can be duplicates
    SELECT key_hash FROM obs GROUP BY key_hash HAVING count(*) > 1
)
SELECT dataset, release, feature_code, period_label, measurement, units, CAST(dimensions AS VARCHAR) AS dimensions,
       count(*) AS rows, min(value) AS lowest_value, max(value) AS highest_value,
       string_agg(DISTINCT _source_file || ' row ' || _source_row, '; ') AS files_and_rows
FROM obs SEMI JOIN suspects USING (key_hash)
GROUP BY dataset, release, feature_code, period_label, measurement, units, CAST(dimensions AS VARCHAR)
HAVING count(DISTINCT _source_file) < count(*)
    OR max(value) - min(value) > 1e-9 * greatest(abs(max(value)), 1)
    OR count(value) NOT IN (0, count(*))
