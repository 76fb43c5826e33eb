-- marts.datazone_simd
-- grain: one row per data zone (datazone_code).
-- Each data zone's rank, decile and quintile in the SIMD edition the build uses (national,
-- 1 = most deprived): as published by the Scottish Government, so it holds no counts.
SELECT datazone_code, simd_edition, simd_rank, simd_decile, simd_quintile
FROM core.dim_datazone
ORDER BY datazone_code
