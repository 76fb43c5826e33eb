-- How many ESP2013 age bands each age-standardised indicator's denominator is split into (the
-- ``bands`` subquery of etl/sql/marts/computed_values.sql): a user-made area's standardised rate
-- is made only from a complete set (dashboard/data/area_values.py).
SELECT m.indicator_id, count(*) AS expected
FROM meta.indicator_mappings AS m
JOIN core.ref_esp2013 AS r ON r.age_from BETWEEN m.population_age_from AND m.population_age_to
WHERE m.side = 'denominator' AND m.population_by_age_band
GROUP BY ALL
