-- marts.inequality_group_sums  (working table, dropped when the inequality marts are made)
-- grain: one row per indicator x parent area (council, Scotland) x period x basis x group
-- (x age band for age-standardised indicators); group 0 (basis 'total') is the parent as a whole.
-- Input: the data zone sums of core.agg_indicator_area (the pre-suppression sums behind
-- published values, so n-year rolling periods are already ratio-of-sums windows). Each
-- published period's data zones are grouped by ONE SIMD edition, the one nearest the period's
-- year (ties: the later edition), so a group is a fixed union of data zones for the whole
-- window. Bases: national quintiles and deciles as published; local quintiles (population-
-- weighted fifths of the council's own data zones, core.dim_simd.local_quintile).
-- A group sum is NULL when any member's count is missing: never treated as zero. Data zones
-- withheld at source with known bounds carry their estimates and bounds up to the group
-- (marts/computed_values.sql decides whether a group is estimated).
-- Shaped like marts.indicator_sums with area_code = '<parent>|<basis>|<group>', so values,
-- intervals and primary disclosure come from the same SQL as published values.
WITH ind AS (
    SELECT indicator_id FROM meta.indicators WHERE aggregation = 'extensive' AND native_geography = 'datazone'
),
dz AS (
    SELECT s.* FROM core.agg_indicator_area AS s SEMI JOIN ind USING (indicator_id)
    WHERE s.area_type = 'datazone'
),
editions AS (
    SELECT DISTINCT simd_edition, simd_year FROM core.dim_simd
),
periods AS (
    SELECT DISTINCT indicator_id, period_label, period_year FROM dz
),
nearest AS (
    -- nearest edition year; on a tie the later edition (larger year sorts first in the key)
    SELECT p.indicator_id, p.period_label,
           arg_min(e.simd_edition, abs(e.simd_year - p.period_year) * 10000 - e.simd_year) AS simd_edition
    FROM periods AS p CROSS JOIN editions AS e
    GROUP BY ALL
),
cells AS (
    -- pre-aggregate to council x decile x quintile x local quintile: every basis is a coarsening
    SELECT d.indicator_id, d.period_label, any_value(d.period_year) AS period_year, d.age_band,
           n.simd_edition, s.council_code, s.simd_decile, s.simd_quintile, s.local_quintile,
           sum(d.numerator) AS numerator, count(d.numerator) AS numerators_known,
           sum(d.denominator) AS denominator, count(d.denominator) AS denominators_known,
           sum(d.numerator_estimate) AS numerator_estimate, count(d.numerator_estimate) AS estimates_known,
           sum(d.numerator_lower) AS numerator_lower, sum(d.numerator_upper) AS numerator_upper,
           sum(d.withheld_members) AS withheld_members, sum(d.withheld_denominator) AS withheld_denominator,
           count(*) AS members,
           bool_or(d.is_revised) AS is_revised, max(d.source_release) AS source_release
    FROM dz AS d
    JOIN nearest AS n USING (indicator_id, period_label)
    JOIN core.dim_simd AS s ON s.simd_edition = n.simd_edition AND s.datazone_code = d.area_code
    GROUP BY ALL
),
hidden AS (
    -- member data zones whose published value is withheld, per cell (for differencing control)
    SELECT v.indicator_id, v.period_label, s.council_code, s.simd_decile, s.simd_quintile, s.local_quintile,
           count(*) AS hidden_members
    FROM marts.indicator_values AS v
    JOIN nearest AS n USING (indicator_id, period_label)
    JOIN core.dim_simd AS s ON s.simd_edition = n.simd_edition AND s.datazone_code = v.area_code
    WHERE v.area_type = 'datazone' AND (v.is_suppressed OR v.numerator IS NULL)
    GROUP BY ALL
),
with_hidden AS (
    -- the count is repeated on every age band of a cell; the caller reads it once per group
    SELECT c.*, coalesce(h.hidden_members, 0) AS hidden_members
    FROM cells AS c
    LEFT JOIN hidden AS h USING (indicator_id, period_label, council_code, simd_decile, simd_quintile, local_quintile)
),
long AS (
    SELECT *, 'national_quintile' AS basis, simd_quintile AS group_number FROM with_hidden
    UNION ALL SELECT *, 'local_quintile', local_quintile FROM with_hidden
    UNION ALL SELECT *, 'national_decile', simd_decile FROM with_hidden
    UNION ALL SELECT *, 'total', 0 FROM with_hidden
),
by_parent AS (
    SELECT *, 'council' AS parent_type, council_code AS parent_code FROM long
    UNION ALL
    SELECT *, 'scotland', 'S92000003' FROM long WHERE basis <> 'local_quintile'
),
final AS (
    SELECT
        indicator_id, parent_type AS area_type,
        parent_code || '|' || basis || '|' || group_number AS area_code,
        period_label, any_value(period_year) AS period_year, age_band,
        CASE WHEN sum(numerators_known) = sum(members) THEN sum(numerator) END AS numerator,
        CASE WHEN sum(denominators_known) = sum(members) THEN sum(denominator) END AS denominator,
        NULL::DOUBLE AS value,
        CASE WHEN sum(estimates_known) = sum(members) THEN sum(numerator_estimate) END AS numerator_estimate,
        CASE WHEN sum(estimates_known) = sum(members) THEN sum(numerator_lower) END AS numerator_lower,
        CASE WHEN sum(estimates_known) = sum(members) THEN sum(numerator_upper) END AS numerator_upper,
        sum(withheld_members) AS withheld_members,
        sum(withheld_denominator) AS withheld_denominator,
        bool_or(is_revised) AS is_revised,
        max(source_release) AS source_release,
        sum(members) AS members_present,
        sum(members) AS members_expected,
        false AS is_direct,
        any_value(simd_edition) AS simd_edition,
        sum(hidden_members) AS hidden_members
    FROM by_parent
    GROUP BY indicator_id, parent_type, parent_code, basis, group_number, period_label, age_band
)
SELECT * FROM final
