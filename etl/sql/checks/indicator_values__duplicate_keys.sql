-- One row per indicator x area x period.
SELECT indicator_id, area_type, area_code, period_label, count(*) AS rows
FROM marts.indicator_values GROUP BY ALL HAVING count(*) > 1
