-- disclosure_audit_leaves (temp working table of the disclosure audit, etl/disclosure_audit.py)
-- grain: one row per hidden cell (core.fct_hidden_cell: a withheld or unpublished area at the
-- indicator's native geography, the finest pieces a reader can add up) whose count cpop holds.
-- These are the unknowns of the audit's equations; `numerator` is the true count (one feasible
-- solution), `cap` the most it can be for a reader who knows the published denominator
-- (percentages: the count cannot exceed it; NULL otherwise, or where small-area population
-- estimates put the count above its denominator). Sorted so that each indicator x period is a
-- contiguous block of `leaf` numbers.
SELECT (row_number() OVER (ORDER BY h.indicator_id, h.period_label, h.cell_type, h.cell_code))::INTEGER - 1 AS leaf,
       h.indicator_id, h.period_label, h.cell_type, h.cell_code, h.numerator,
       CASE WHEN i.measure_type = 'percentage' AND h.complement >= 0 THEN h.numerator + h.complement END AS cap,
       i.disclosure_min_count AS min_count
FROM core.fct_hidden_cell AS h
JOIN meta.indicators AS i USING (indicator_id)
WHERE h.numerator IS NOT NULL
ORDER BY leaf
