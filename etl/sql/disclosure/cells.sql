-- disclosure_cells (temp working table of complementary suppression)
-- grain: one row per published cell of an extensive indicator (ip x area), with its count and
-- whether it is hidden (suppressed, or unknown at source). The passes mark cells hidden here;
-- marts.indicator_values is updated once at the end. `true_numerator` and `true_complement`
-- (denominator − numerator, for percentages) are the pre-suppression counts
-- (core.agg_indicator_totals), NULL when unknown at source: the rules make the hidden part of
-- every equation add up to at least the indicator's min_count, so they must know it.
SELECT p.ip, a.area, v.numerator, v.is_suppressed OR v.numerator IS NULL AS is_hidden,
       coalesce(v.numerator, t.numerator) AS true_numerator,
       CASE WHEN i.measure_type = 'percentage' THEN coalesce(v.denominator, t.denominator) - coalesce(v.numerator, t.numerator)
       END AS true_complement
FROM marts.indicator_values AS v
JOIN disclosure_periods AS p USING (indicator_id, period_label)
JOIN disclosure_areas AS a USING (area_type, area_code)
JOIN meta.indicators AS i USING (indicator_id)
LEFT JOIN core.agg_indicator_totals AS t USING (indicator_id, period_label, area_type, area_code)
