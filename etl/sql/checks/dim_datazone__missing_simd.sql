-- Every data zone in the lookup has a SIMD rank in the newest edition.
SELECT datazone_code FROM core.dim_datazone WHERE simd_rank IS NULL
