-- marts.inequality_groups has one row per indicator x parent area x period x basis x group.
SELECT indicator_id, area_type, area_code, period_label, basis, group_number, count(*) AS rows
FROM marts.inequality_groups GROUP BY ALL HAVING count(*) > 1
