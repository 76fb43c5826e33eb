-- marts.comparisons has one row per indicator x area x period x comparator.
SELECT indicator_id, area_type, area_code, period_label, comparator, count(*) AS rows
FROM marts.comparisons GROUP BY ALL HAVING count(*) > 1
