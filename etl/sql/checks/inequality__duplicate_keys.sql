-- marts.inequality has one row per indicator x parent area x period x basis.
SELECT indicator_id, area_type, area_code, period_label, basis, count(*) AS rows
FROM marts.inequality GROUP BY ALL HAVING count(*) > 1
