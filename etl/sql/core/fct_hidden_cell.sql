-- core.fct_hidden_cell  (internal: pre-suppression, never published)
-- grain: one row per indicator x period x hidden cell.
-- A cell is a published area at the indicator's native geography (a data zone, or an
-- intermediate zone for series published only for intermediate zones): the finest pieces a
-- reader can add up. A cell is hidden when marts.indicator_values withholds it (primary or
-- complementary suppression), has no count, or is not published at all. Its pre-suppression
-- count and, for percentages, complement (denominator - numerator) are what a user-made area
-- could reveal by differencing (dashboard/data/sql/user_area_differencing.sql), so they stay
-- here, ordered by cell so that an area's cells are read by code range.
WITH cells AS (
    SELECT t.indicator_id, t.period_label, t.area_type, t.area_code, t.numerator, t.denominator
    FROM core.agg_indicator_totals AS t
    JOIN meta.indicators AS i
      ON i.indicator_id = t.indicator_id AND i.native_geography = t.area_type
    WHERE i.aggregation = 'extensive' AND i.disclosure_applied_by = 'cpop' AND t.area_type IN ('datazone', 'intermediate_zone')
),

final AS (
    SELECT
        c.area_type AS cell_type,
        c.area_code AS cell_code,
        c.indicator_id,
        c.period_label,
        c.numerator,
        c.denominator - c.numerator AS complement
    FROM cells AS c
    LEFT JOIN marts.indicator_values AS v
      ON v.indicator_id = c.indicator_id AND v.period_label = c.period_label
     AND v.area_type = c.area_type AND v.area_code = c.area_code
    WHERE v.indicator_id IS NULL OR v.is_suppressed OR v.numerator IS NULL
)

SELECT * FROM final
ORDER BY cell_type, cell_code, indicator_id, period_label
