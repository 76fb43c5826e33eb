-- core.agg_indicator_exposure  (internal: pre-suppression, never published)
-- grain: one row per published area x indicator x period (extensive indicators), data zones
-- excepted: a data zone is one cell, whose visibility core.fct_hidden_cell already gives.
-- Whether the area's value is visible, and the hidden part of it: how many of its cells
-- (core.fct_hidden_cell) are hidden and what their counts and complements add up to. A reader
-- who subtracts every visible cell from a visible area learns exactly that hidden part, so
-- the differencing control of user-made areas compares hidden parts, not raw totals
-- (docs/geography.md). Ordered by area so that the areas overlapping a user-made area are
-- read without scanning the rest.
WITH hidden_by_area AS (
    SELECT
        b.area_type, b.area_code, h.indicator_id, h.period_label,
        count(*) AS hidden_cells,
        sum(h.numerator) AS hidden_numerator,
        sum(h.complement) AS hidden_complement
    FROM core.fct_hidden_cell AS h
    JOIN core.bridge_area_area AS b ON b.child_type = h.cell_type AND b.child_code = h.cell_code
    GROUP BY ALL
),

final AS (
    SELECT
        v.area_type,
        v.area_code,
        v.indicator_id,
        v.period_label,
        NOT v.is_suppressed AND v.numerator IS NOT NULL AS is_visible,
        coalesce(h.hidden_cells, 0) AS hidden_cells,
        coalesce(h.hidden_numerator, 0) AS hidden_numerator,
        coalesce(h.hidden_complement, 0) AS hidden_complement
    FROM marts.indicator_values AS v
    JOIN meta.indicators AS i USING (indicator_id)
    LEFT JOIN hidden_by_area AS h USING (area_type, area_code, indicator_id, period_label)
    WHERE i.aggregation = 'extensive' AND i.disclosure_applied_by = 'cpop' AND v.area_type <> 'datazone'
)

SELECT * FROM final
ORDER BY area_type, area_code, indicator_id, period_label
