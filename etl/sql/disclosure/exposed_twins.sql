-- Cells to hide in one pass of complementary suppression, rule 4 (result: ip, area).
-- An area and its twin (disclosure_twins: the same data zones, so the same count) form the
-- equation a = b; when a cell hidden in the previous pass (disclosure_frontier) has a visible
-- twin, the twin would show it, so the twin is hidden too.
SELECT DISTINCT f.ip, t.twin AS area
FROM disclosure_frontier AS f
JOIN disclosure_twins AS t ON t.area = f.area
JOIN disclosure_cells AS c ON c.ip = f.ip AND c.area = t.twin
WHERE NOT c.is_hidden
