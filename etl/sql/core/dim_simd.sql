-- core.dim_simd
-- grain: one row per SIMD edition x data zone.
-- National ranks and bands as published, plus local quintiles and deciles within each council
-- (population-weighted: each band holds about a fifth / tenth of the council's people).
WITH simd AS (
    SELECT * FROM staging.simd__datazone
),
with_council AS (
    SELECT s.*, d.council_code
    FROM simd AS s JOIN core.dim_datazone AS d USING (datazone_code)
),
cumulative AS (
    SELECT *,
        (sum(simd_population) OVER (PARTITION BY simd_edition, council_code ORDER BY simd_rank
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - simd_population / 2.0)
        / sum(simd_population) OVER (PARTITION BY simd_edition, council_code) AS council_population_midpoint
    FROM with_council
),
final AS (
    SELECT
        simd_edition, simd_year, datazone_code, council_code,
        simd_rank, simd_vigintile, simd_decile, simd_quintile,
        least(5, 1 + floor(council_population_midpoint * 5))::INTEGER AS local_quintile,
        least(10, 1 + floor(council_population_midpoint * 10))::INTEGER AS local_decile,
        income_domain_rank, employment_domain_rank, education_domain_rank, health_domain_rank,
        access_domain_rank, crime_domain_rank, housing_domain_rank,
        simd_population, simd_working_age_population
    FROM cumulative
)
SELECT * FROM final
