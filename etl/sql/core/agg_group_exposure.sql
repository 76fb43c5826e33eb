-- core.agg_group_exposure  (internal: pre-suppression, never published)
-- grain: one row per published deprivation group x indicator x period (marts.inequality_groups).
-- Whether the group's count is shown, and the hidden part of it: how many of its data zones are
-- withheld (core.fct_hidden_cell) and what their counts and complements add up to. A published
-- group is an area like any other to a reader who differences a user-made area against it, so
-- the differencing control of user-made areas (dashboard/data/sql/user_area_differencing.sql)
-- compares the two exactly as it does with core.agg_indicator_exposure. The groups and their
-- data zones are those of core.bridge_datazone_group, in the SIMD edition the mart used.
WITH groups AS (
    SELECT
        indicator_id, period_label, simd_edition,
        area_code || '|' || basis || '|' || group_number AS family,
        NOT is_suppressed AND numerator IS NOT NULL AS is_visible
    FROM marts.inequality_groups
),

editions AS (
    SELECT DISTINCT indicator_id, period_label, simd_edition FROM groups
),

hidden AS (
    SELECT
        e.indicator_id, e.period_label, e.simd_edition, b.family,
        count(*) AS hidden_cells,
        sum(h.numerator) AS hidden_numerator,
        sum(h.complement) AS hidden_complement
    FROM core.fct_hidden_cell AS h
    JOIN editions AS e USING (indicator_id, period_label)
    JOIN core.bridge_datazone_group AS b ON b.simd_edition = e.simd_edition AND b.datazone_code = h.cell_code
    WHERE h.cell_type = 'datazone'
    GROUP BY ALL
),

final AS (
    SELECT
        g.simd_edition,
        g.family,
        g.indicator_id,
        g.period_label,
        g.is_visible,
        coalesce(h.hidden_cells, 0) AS hidden_cells,
        coalesce(h.hidden_numerator, 0) AS hidden_numerator,
        coalesce(h.hidden_complement, 0) AS hidden_complement
    FROM groups AS g
    LEFT JOIN hidden AS h USING (indicator_id, period_label, simd_edition, family)
)

SELECT * FROM final
ORDER BY simd_edition, family, indicator_id, period_label
