-- For percentages the numerator is part of the denominator.
SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.numerator, v.denominator
FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
WHERE i.measure_type = 'percentage' AND v.numerator > v.denominator
