-- disclosure_family_states (temp working table, remade every pass of complementary suppression)
-- grain: one row per indicator x period (ip) x family of disclosure_families touched by a cell
-- hidden in the previous pass (disclosure_frontier) — as a child or as the parent: a family no
-- frontier cell belongs to cannot have changed since it was last examined.
-- Each family is the equation parent = Σ children. State: is the parent hidden; how many
-- children the family has, how many are published and how many hidden (suppressed or unknown
-- at source); and the visible child with the smallest numerator (ties: smallest code, i.e.
-- smallest area id), the complement exposed_cells.sql uses.
WITH parents AS (
    SELECT DISTINCT family, parent FROM disclosure_families
),
touched AS (
    SELECT f.ip, m.family FROM disclosure_frontier AS f JOIN disclosure_families AS m ON m.child = f.area
    UNION
    SELECT f.ip, p.family FROM disclosure_frontier AS f JOIN parents AS p ON p.parent = f.area
),
members AS (
    SELECT t.ip, t.family, m.parent, c.area, c.numerator, c.is_hidden
    FROM touched AS t
    JOIN disclosure_families AS m USING (family)
    LEFT JOIN disclosure_cells AS c ON c.ip = t.ip AND c.area = m.child
),
families AS (
    SELECT ip, family, any_value(parent) AS parent,
           count(*) AS children,
           count(area) AS published_children,
           count(*) FILTER (WHERE is_hidden) AS hidden_children,
           arg_min(area, (numerator, area)) FILTER (WHERE NOT is_hidden) AS complement
    FROM members
    GROUP BY ip, family
)
SELECT f.*, p.is_hidden AS parent_hidden
FROM families AS f
JOIN disclosure_cells AS p ON p.ip = f.ip AND p.area = f.parent
