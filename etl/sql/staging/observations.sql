-- staging.observations
-- grain: one row per landed observation, from every source of series: statistics.gov.scot tidy
-- downloads and the publishers' own files (CPOP, SIMD indicators, ScotPHO). The two staging
-- tables have the same columns; everything downstream (validation, core.fct_observation,
-- the checks) reads this one. A view (etl/build.py VIEWS): a copy would cost ~2 s and buy nothing.
SELECT * FROM staging.statistics_gov_scot__observations
UNION ALL BY NAME
SELECT * FROM staging.published__observations
