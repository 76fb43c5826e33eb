-- Denominators are positive wherever a rate was computed, and never negative.
SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.denominator
FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
WHERE v.denominator < 0 OR (v.denominator = 0 AND v.value IS NOT NULL AND i.measure_type <> 'count')
