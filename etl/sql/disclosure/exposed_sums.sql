-- disclosure_sums from the area families, rule 2 of complementary suppression
-- (result: ip, equation, area — the visible parts of each exposed equation).
-- A hidden parent whose children (of one partitioning type) are all published and visible is
-- just the sum of those children: the equation parent = Σ children has one hidden cell. Once a
-- complementary cell is worked out this way, the cell it protected is recovered too, by
-- subtraction in its own family. So one child has to be hidden as well; complement_choice.sql
-- picks which. Families come from disclosure_family_states, which includes those whose parent
-- the previous pass hid.
SELECT s.ip, s.family AS equation, m.child AS area
FROM disclosure_family_states AS s
JOIN disclosure_families AS m USING (family)
WHERE s.parent_hidden AND s.hidden_children = 0 AND s.published_children = s.children
