-- Populations are never negative.
SELECT datazone_code, year, sex, age_from, population FROM core.fct_population_datazone WHERE population < 0
