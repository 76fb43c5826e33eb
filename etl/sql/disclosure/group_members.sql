-- Deprivation-group families for complementary suppression: for every data-zone-native
-- indicator and period, the data zones of each SIMD group that marts.inequality_groups
-- publishes (core.bridge_datazone_group: council national quintile / local quintile / national
-- decile, Scotland national quintile / decile), by the SIMD edition nearest the period (ties: the later edition) — the
-- same grouping the inequality marts use. A published group count minus its visible data
-- zones must never single out one hidden data zone.
WITH ind AS (
    SELECT indicator_id FROM meta.indicators WHERE aggregation = 'extensive' AND native_geography = 'datazone' AND disclosure_applied_by = 'cpop'
),
periods AS (
    SELECT DISTINCT v.indicator_id, v.period_label, v.period_year
    FROM marts.indicator_values AS v SEMI JOIN ind USING (indicator_id)
    WHERE v.area_type = 'datazone'
),
editions AS (
    SELECT DISTINCT simd_edition, simd_year FROM core.dim_simd
),
nearest AS (
    SELECT p.indicator_id, p.period_label,
           arg_min(e.simd_edition, abs(e.simd_year - p.period_year) * 10000 - e.simd_year) AS simd_edition
    FROM periods AS p CROSS JOIN editions AS e
    GROUP BY ALL
)
SELECT n.indicator_id, n.period_label, g.datazone_code, g.family
FROM nearest AS n
JOIN core.bridge_datazone_group AS g USING (simd_edition)
