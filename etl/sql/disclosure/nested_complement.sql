-- Cells to hide so that no difference of two nested equations gives a hidden count away
-- (rule 5 of etl.disclosure; result: ip, area). disclosure_nested_exposed (ip, outer_eq,
-- inner_eq, part, part_complement, unknown) lists each equation (nested_equations.sql: an area
-- id, − a deprivation group's family id, or 2^30 + an area family's id) whose hidden cells hold
-- all those of `inner_eq` (0: none, the equation alone) where the difference has one hidden cell, or hidden cells whose
-- counts (`part`; for a percentage, complements) add up to less than min_count. The difference
-- is outer − inner, so the cell hidden must lie in the outer equation and not in the inner one:
-- the visible one with the smallest count that lifts the part to min_count (ties: smallest
-- code), else the one that lifts it most — as choose_complement.sql. Where the outer equation
-- has no visible cell outside the inner one, hiding a cell cannot widen the difference: a family
-- gets its visible child with the smallest count hidden (rule 2 then hides one of that child's
-- cells, which joins the family's hidden part; hiding the family's parent, a council, would
-- cost a board its headline figure); an area is hidden itself (it is then no longer
-- published); a deprivation group, the inner area or family instead.
WITH exposed AS (
    SELECT x.*, p.min_count, p.is_percentage, p.native_geography
    FROM disclosure_nested_exposed AS x JOIN disclosure_periods AS p USING (ip)
),
members AS (
    -- the cells of each equation named, outer and inner
    SELECT x.ip, x.outer_eq, x.inner_eq, e.eq, m.member AS area
    FROM exposed AS x
    CROSS JOIN LATERAL (SELECT x.outer_eq AS eq UNION ALL SELECT x.inner_eq WHERE x.inner_eq <> 0) AS e
    JOIN disclosure_native_members AS m ON m.area = e.eq AND m.native_type = x.native_geography
    UNION ALL
    SELECT x.ip, x.outer_eq, x.inner_eq, e.eq, g.area
    FROM exposed AS x
    CROSS JOIN LATERAL (SELECT x.outer_eq AS eq UNION ALL SELECT x.inner_eq WHERE x.inner_eq <> 0) AS e
    JOIN disclosure_group_members AS g ON g.ip = x.ip AND g.family = -e.eq
    UNION ALL
    -- a family's cells: those of its hidden children
    SELECT x.ip, x.outer_eq, x.inner_eq, e.eq, m.member
    FROM exposed AS x
    CROSS JOIN LATERAL (SELECT x.outer_eq AS eq UNION ALL SELECT x.inner_eq WHERE x.inner_eq <> 0) AS e
    JOIN disclosure_families AS f ON f.family = e.eq - 1073741824
    JOIN disclosure_cells AS c ON c.ip = x.ip AND c.area = f.child AND c.is_hidden
    JOIN disclosure_native_members AS m ON m.area = f.child AND m.native_type = x.native_geography
),
whole AS (
    -- the area whose publication an equation is: itself, or a family's parent
    SELECT DISTINCT e.eq, coalesce(f.parent, e.eq) AS area
    FROM (SELECT outer_eq AS eq FROM exposed UNION SELECT inner_eq FROM exposed) AS e
    LEFT JOIN disclosure_families AS f ON f.family = e.eq - 1073741824
    WHERE e.eq > 0
),
candidates AS (
    SELECT m.ip, m.outer_eq, m.inner_eq, m.area, c.numerator, c.true_complement
    FROM members AS m
    JOIN disclosure_cells AS c ON c.ip = m.ip AND c.area = m.area AND NOT c.is_hidden
    WHERE m.eq = m.outer_eq AND NOT EXISTS (
        SELECT 1 FROM members AS i
        WHERE i.ip = m.ip AND i.outer_eq = m.outer_eq AND i.inner_eq = m.inner_eq AND i.eq = m.inner_eq
          AND i.area = m.area)
),
chosen AS (
    SELECT x.ip, x.outer_eq, x.inner_eq,
           coalesce(arg_min(k.area, (k.numerator, k.area)) FILTER (WHERE lifts_hidden_part(
                        x.unknown, x.part, x.part_complement, k.numerator, k.true_complement,
                        x.min_count, x.is_percentage)),
                    arg_max(k.area, (hidden_part_lift(k.numerator, k.true_complement), -k.area))) AS area
    FROM exposed AS x
    LEFT JOIN candidates AS k USING (ip, outer_eq, inner_eq)
    GROUP BY x.ip, x.outer_eq, x.inner_eq
),
family_children AS (
    -- a family with no visible cell left in its hidden children: its visible child with the smallest count
    SELECT c.ip, c.outer_eq, c.inner_eq, arg_min(f.child, (k.numerator, f.child)) AS area
    FROM chosen AS c
    JOIN disclosure_families AS f ON f.family = c.outer_eq - 1073741824
    JOIN disclosure_cells AS k ON k.ip = c.ip AND k.area = f.child AND NOT k.is_hidden
    WHERE c.area IS NULL
    GROUP BY c.ip, c.outer_eq, c.inner_eq
)
SELECT DISTINCT ip, area FROM chosen WHERE area IS NOT NULL
UNION
SELECT ip, area FROM family_children
UNION
SELECT c.ip, coalesce(o.area, i.area)
FROM chosen AS c
LEFT JOIN whole AS o ON o.eq = c.outer_eq AND c.outer_eq < 1073741824
LEFT JOIN whole AS i ON i.eq = c.inner_eq
WHERE c.area IS NULL AND coalesce(o.area, i.area) IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM family_children AS f
                  WHERE f.ip = c.ip AND f.outer_eq = c.outer_eq AND f.inner_eq = c.inner_eq)
