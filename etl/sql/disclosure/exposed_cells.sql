-- Cells to hide in one pass of complementary suppression, rule 1 (result: ip, area).
-- Every family (a parent and the children of one type that partition it) is the equation
-- parent = Σ children. With the parent visible, parent − Σ visible children is the sum of the
-- hidden children, which a reader learns exactly. So that sum must neither be one cell (it
-- would be that cell) nor add up to less than the indicator's min_count (counts are never
-- negative, so each hidden child would be known to lie between 0 and that small sum — for a
-- percentage the same holds for the complements). Such a family gets a further child hidden,
-- the one disclosure_family_states chose (only families touched by the previous pass are
-- there). The opposite case, a hidden parent with no hidden child, is exposed_sums.sql.
SELECT DISTINCT ip, complement AS area
FROM disclosure_family_states
WHERE complement IS NOT NULL
