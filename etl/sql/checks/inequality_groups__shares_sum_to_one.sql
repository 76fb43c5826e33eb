-- Within each parent, period and basis the groups' population shares add up to 1.
SELECT indicator_id, area_type, area_code, period_label, basis, sum(population_share) AS total_share
FROM marts.inequality_groups GROUP BY ALL
HAVING count(population_share) = count(*) AND abs(sum(population_share) - 1) > 1e-9
