-- marts.inequality_group_sums  (working table, dropped after marts.inequality_groups is made)
-- grain: one row per indicator x parent area (council, Scotland) x period x basis x group
-- (x age band for age-standardised indicators); group 0 is the parent as a whole.
-- Data zones are grouped by the SIMD edition nearest the period's year (ties: the later
-- edition): national quintiles and deciles as published, local quintiles within the council.
-- Shaped like marts.indicator_sums, with area_code = '<parent>|<basis>|<group>', so the
-- values, intervals and disclosure rule are computed by the same SQL as published areas.
WITH ind AS (
    SELECT indicator_id FROM meta.indicators WHERE aggregation = 'extensive' AND native_geography = 'datazone'
),
facts AS (
    SELECT f.* FROM core.fct_indicator_feature AS f SEMI JOIN ind USING (indicator_id)
    WHERE f.feature_type = 'datazone'
),
editions AS (
    SELECT DISTINCT simd_edition, simd_year FROM core.dim_simd
),
periods AS (
    SELECT DISTINCT indicator_id, period_label, period_year FROM facts
),
nearest AS (
    SELECT p.indicator_id, p.period_label,
           arg_min(e.simd_edition, abs(e.simd_year - p.period_year) * 10000 - e.simd_year) AS simd_edition
    FROM periods AS p CROSS JOIN editions AS e
    GROUP BY ALL
),
groups AS (
    SELECT simd_edition, datazone_code, council_code, 'national_quintile' AS basis, simd_quintile AS group_number FROM core.dim_simd
    UNION ALL SELECT simd_edition, datazone_code, council_code, 'local_quintile', local_quintile FROM core.dim_simd
    UNION ALL SELECT simd_edition, datazone_code, council_code, 'national_decile', simd_decile FROM core.dim_simd
),
placed AS (
    SELECT f.indicator_id, f.period_label, f.period_year, f.age_band, f.numerator, f.denominator, f.is_revised,
           f.source_release, g.basis, g.group_number, g.council_code
    FROM facts AS f
    JOIN nearest AS n USING (indicator_id, period_label)
    JOIN groups AS g ON g.simd_edition = n.simd_edition AND g.datazone_code = f.feature_code
),
by_parent AS (
    SELECT *, 'council' AS parent_type, council_code AS parent_code FROM placed
    UNION ALL
    SELECT *, 'scotland', 'S92000003' FROM placed WHERE basis <> 'local_quintile'
),
final AS (
    SELECT
        indicator_id, parent_type AS area_type,
        parent_code || '|' || basis || '|' || coalesce(group_number, 0) AS area_code,
        period_label, any_value(period_year) AS period_year, age_band,
        CASE WHEN count(numerator) = count(*) THEN sum(numerator) END AS numerator,
        CASE WHEN count(denominator) = count(*) THEN sum(denominator) END AS denominator,
        NULL::DOUBLE AS value,
        bool_or(is_revised) AS is_revised,
        max(source_release) AS source_release,
        count(*) AS members_present,
        count(*) AS members_expected
    FROM by_parent
    GROUP BY GROUPING SETS (
        (indicator_id, parent_type, parent_code, basis, group_number, period_label, age_band),
        (indicator_id, parent_type, parent_code, basis, period_label, age_band)
    )
)
SELECT * FROM final
