-- severity: warning
-- For percentages the numerator is part of the denominator. Real small-area data breaks this
-- now and then (a data zone with 130 children in low-income families and a 0-15 population
-- estimate of 120: the count and the estimate come from different sources), so it is a
-- warning, shown on the value (marts.indicator_values.note), not an abort. Each row names the
-- publisher's file and row the count came from, when it came from one.
WITH bad AS (
    SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.numerator, v.denominator
    FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
    WHERE i.measure_type = 'percentage' AND v.numerator > v.denominator
),
sources AS (
    SELECT b.indicator_id, b.area_code, b.period_label,
           string_agg(DISTINCT o._source_file || coalesce(' sheet ' || o._source_sheet, '') || ' row ' || o._source_row,
                      '; ') AS source
    FROM bad AS b
    JOIN meta.indicator_mappings AS m ON m.indicator_id = b.indicator_id AND m.side = 'numerator'
    JOIN core.fct_observation AS o
      ON o.dataset = m.dataset AND o.measurement = m.measurement AND o.units = m.units
     AND o.feature_code = b.area_code AND o.period_label = b.period_label AND o.is_newest
    GROUP BY ALL
)
SELECT b.*, s.source
FROM bad AS b
LEFT JOIN sources AS s USING (indicator_id, area_code, period_label)
ORDER BY b.indicator_id, b.area_type, b.area_code, b.period_label
