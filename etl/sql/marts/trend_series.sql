-- trend_series  (working table for marts.trend; never published)
-- grain: one row per indicator x area with any row in marts.indicator_values.
-- The ends of each series: the latest period with a published value, and the baseline period
-- (the first published period whose period_year >= meta.indicators.baseline_year: the
-- baseline year itself unless it is withheld or missing), and Scotland's published values in
-- those same two periods (so the improvement-rate RAG compares like with like). series_id
-- numbers the series in (indicator_id, area_type, area_code) order.
-- Only observations count (value_type 'raw'): a publisher's imputed or projected values are
-- shown, never tested or used as a series' end.
WITH v AS (
    SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.period_year, v.value,
           i.polarity, i.measure_type, i.ci_method, i.rolling_years, i.baseline_year
    FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
    WHERE v.value_type = 'raw'
),
series AS (
    SELECT
        indicator_id, area_type, area_code,
        any_value(polarity) AS polarity,
        any_value(measure_type) AS measure_type,
        any_value(ci_method) AS ci_method,
        any_value(rolling_years) AS rolling_years,
        arg_min(period_label, period_year) FILTER (WHERE value IS NOT NULL AND period_year >= baseline_year)
            AS baseline_period_label,
        min(period_year) FILTER (WHERE value IS NOT NULL AND period_year >= baseline_year) AS baseline_period_year,
        arg_min(value, period_year) FILTER (WHERE value IS NOT NULL AND period_year >= baseline_year) AS baseline_value,
        arg_max(period_label, period_year) FILTER (WHERE value IS NOT NULL) AS latest_period_label,
        max(period_year) FILTER (WHERE value IS NOT NULL) AS latest_period_year,
        arg_max(value, period_year) FILTER (WHERE value IS NOT NULL) AS latest_value
    FROM v
    GROUP BY indicator_id, area_type, area_code
),
scotland AS (
    SELECT indicator_id, period_year, value FROM v WHERE area_type = 'scotland'
),
final AS (
    SELECT
        row_number() OVER (ORDER BY s.indicator_id, s.area_type, s.area_code) AS series_id,
        s.*,
        sb.value AS scotland_baseline_value,
        sl.value AS scotland_latest_value
    FROM series AS s
    LEFT JOIN scotland AS sb ON sb.indicator_id = s.indicator_id AND sb.period_year = s.baseline_period_year
    LEFT JOIN scotland AS sl ON sl.indicator_id = s.indicator_id AND sl.period_year = s.latest_period_year
)
SELECT * FROM final
