-- Cells to hide in one pass of complementary suppression (result: ip, area).
-- For every family of disclosure_families (a parent and the children of one type that
-- partition it) touched by a cell hidden in the previous pass (temp table disclosure_frontier),
-- when the parent is visible and exactly one child is hidden (suppressed or unknown), parent
-- minus the visible children would reveal that child: return the visible child with the
-- smallest numerator (ties: smallest code, i.e. smallest area id) to be hidden as well.
-- Families not touched by the frontier cannot have changed, so they are not re-examined.
WITH touched AS (
    SELECT DISTINCT f.ip, m.family
    FROM disclosure_frontier AS f
    JOIN disclosure_families AS m ON m.child = f.area
),
members AS (
    SELECT t.ip, t.family, m.parent, c.area, c.numerator, c.is_hidden
    FROM touched AS t
    JOIN disclosure_families AS m USING (family)
    JOIN disclosure_cells AS c ON c.ip = t.ip AND c.area = m.child
),
families AS (
    SELECT ip, family, any_value(parent) AS parent,
           count(*) FILTER (WHERE is_hidden) AS hidden_children,
           arg_min(area, (numerator, area)) FILTER (WHERE NOT is_hidden) AS complement
    FROM members
    GROUP BY ip, family
)
SELECT DISTINCT f.ip, f.complement AS area
FROM families AS f
JOIN disclosure_cells AS p ON p.ip = f.ip AND p.area = f.parent
WHERE NOT p.is_hidden AND f.hidden_children = 1 AND f.complement IS NOT NULL
