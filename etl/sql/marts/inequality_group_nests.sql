-- Deprivation groups of one council that lie inside one another by their data zones
-- (read by etl.marts.inequality.group_nests for protect_groups).
-- grain: one row per indicator x period x council x (outer group, inner group) pair where every
-- data zone of the inner group is one of the outer group's; a local quintile is one of the pair
-- (a national decile inside a national quintile is structural and protect_groups knows it).
-- Which local quintiles and national groups nest depends on the council's data zones, so it is
-- read from core.dim_simd by the SIMD edition each period's groups use.
-- outer − inner = the data zones of the outer group outside the inner one (the "rest"):
-- rest_members counts them; rest_hidden says every one of them is withheld or missing in
-- marts.indicator_values now, so no data zone is left that could still be withheld to widen it.
WITH dz AS (
    -- group_nest_editions (indicator_id, period_label, simd_edition): the edition each period's
    -- groups use, as inequality_group_sums.sql chose it
    SELECT DISTINCT s.indicator_id, s.period_label, e.simd_edition, s.area_code
    FROM core.agg_indicator_area AS s
    JOIN group_nest_editions AS e USING (indicator_id, period_label)
    WHERE s.area_type = 'datazone'
),
cells AS (
    -- one row per council x decile x quintile x local quintile present: every basis is a coarsening
    SELECT d.indicator_id, d.period_label, s.council_code, s.simd_decile, s.simd_quintile, s.local_quintile,
           count(*) AS members,
           count(*) FILTER (WHERE NOT coalesce(v.is_suppressed OR v.numerator IS NULL, true)) AS visible
    FROM dz AS d
    JOIN core.dim_simd AS s ON s.simd_edition = d.simd_edition AND s.datazone_code = d.area_code
    LEFT JOIN marts.indicator_values AS v
      ON v.indicator_id = d.indicator_id AND v.period_label = d.period_label
     AND v.area_type = 'datazone' AND v.area_code = d.area_code
    GROUP BY ALL
),
long AS (
    SELECT *, 'national_quintile' AS basis, simd_quintile AS group_number FROM cells
    UNION ALL SELECT *, 'national_decile', simd_decile FROM cells
    UNION ALL SELECT *, 'local_quintile', local_quintile FROM cells
),
groups AS (
    SELECT indicator_id, period_label, council_code, basis, group_number,
           count(*) AS combos, sum(members) AS members, sum(visible) AS visible
    FROM long GROUP BY ALL
),
shared AS (
    SELECT i.indicator_id, i.period_label, i.council_code, o.basis AS outer_basis, o.group_number AS outer_group,
           i.basis AS inner_basis, i.group_number AS inner_group, count(*) AS combos
    FROM long AS i
    JOIN long AS o USING (indicator_id, period_label, council_code, simd_decile, simd_quintile, local_quintile)
    WHERE i.basis <> o.basis AND 'local_quintile' IN (i.basis, o.basis)
    GROUP BY ALL
)
SELECT s.indicator_id, s.period_label, s.council_code AS area_code, s.outer_basis, s.outer_group,
       s.inner_basis, s.inner_group, go.members - gi.members AS rest_members,
       go.members > gi.members AND go.visible = gi.visible AS rest_hidden
FROM shared AS s
JOIN groups AS gi
  ON gi.indicator_id = s.indicator_id AND gi.period_label = s.period_label AND gi.council_code = s.council_code
 AND gi.basis = s.inner_basis AND gi.group_number = s.inner_group
JOIN groups AS go
  ON go.indicator_id = s.indicator_id AND go.period_label = s.period_label AND go.council_code = s.council_code
 AND go.basis = s.outer_basis AND go.group_number = s.outer_group
WHERE s.combos = gi.combos
