-- disclosure_cells (temp working table of complementary suppression)
-- grain: one row per published cell of an extensive indicator (ip x area), with its count and
-- whether it is hidden (suppressed, or unknown at source). The passes mark cells hidden here;
-- marts.indicator_values is updated once at the end.
SELECT p.ip, a.area, v.numerator, v.is_suppressed OR v.numerator IS NULL AS is_hidden
FROM marts.indicator_values AS v
JOIN disclosure_periods AS p USING (indicator_id, period_label)
JOIN disclosure_areas AS a USING (area_type, area_code)
