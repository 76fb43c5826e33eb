-- Cells to hide in one pass of complementary suppression, rule 1 (result: ip, area).
-- Every family (a parent and the children of one type that partition it) is the equation
-- parent = Σ children, and no equation may have exactly one hidden cell. Here: a visible
-- parent with exactly one hidden child (suppressed or unknown) — parent minus the visible
-- children would reveal that child — so the visible child with the smallest numerator (ties:
-- smallest code) is hidden as well. Families come from disclosure_family_states (only those
-- touched by the previous pass). The opposite case, a hidden parent with no hidden child, is
-- exposed_sums.sql.
SELECT DISTINCT ip, complement AS area
FROM disclosure_family_states
WHERE NOT parent_hidden AND hidden_children = 1 AND complement IS NOT NULL
