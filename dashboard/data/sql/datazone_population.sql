-- Every data zone of the build and its population (NULL when not known): a user-made area's
-- population, and whether each of its codes is a data zone, without a query per profile
-- (dashboard/data/cell_facts.py, user_areas._population).
SELECT d.datazone_code, a.population
FROM core.dim_datazone AS d
LEFT JOIN marts.areas AS a ON a.area_type = 'datazone' AND a.area_code = d.datazone_code
