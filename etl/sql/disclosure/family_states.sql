-- disclosure_family_states (temp working table, remade every pass of complementary suppression)
-- grain: one row per indicator x period (ip) x family of disclosure_families touched by a cell
-- hidden in the previous pass (disclosure_frontier) — as a child or as the parent: a family no
-- frontier cell belongs to cannot have changed since it was last examined.
-- Each family is the equation parent = Σ children. State: is the parent hidden; how many
-- children the family has, how many are published and how many hidden (suppressed or unknown
-- at source); whether the hidden children's counts add up to less than the indicator's
-- min_count (for a percentage: or their complements do) — `is_small`; and the complement
-- exposed_cells.sql hides when the parent is visible and the hidden part is one cell or small:
-- the visible child with the smallest count that lifts the hidden part (and, for a percentage,
-- its complement) to min_count (ties: smallest code), else the one that lifts it most.
WITH parents AS (
    SELECT DISTINCT family, parent FROM disclosure_families
),
touched AS (
    SELECT f.ip, m.family FROM disclosure_frontier AS f JOIN disclosure_families AS m ON m.child = f.area
    UNION
    SELECT f.ip, p.family FROM disclosure_frontier AS f JOIN parents AS p ON p.parent = f.area
),
members AS (
    SELECT t.ip, t.family, m.parent, c.area, c.numerator, c.is_hidden, c.true_numerator, c.true_complement
    FROM touched AS t
    JOIN disclosure_families AS m USING (family)
    LEFT JOIN disclosure_cells AS c ON c.ip = t.ip AND c.area = m.child
),
families AS (
    SELECT ip, family, any_value(parent) AS parent,
           count(*) AS children,
           count(area) AS published_children,
           count(*) FILTER (WHERE is_hidden) AS hidden_children,
           sum(true_numerator) FILTER (WHERE is_hidden) AS hidden_sum,
           sum(true_complement) FILTER (WHERE is_hidden) AS hidden_complement,
           count(*) FILTER (WHERE is_hidden AND true_numerator IS NULL) AS hidden_unknown
    FROM members
    GROUP BY ip, family
),
states AS (
    SELECT f.*, p.is_hidden AS parent_hidden,
           f.hidden_unknown = 0 AND (f.hidden_sum < d.min_count
                                     OR (d.is_percentage AND f.hidden_complement < d.min_count)) AS is_small
    FROM families AS f
    JOIN disclosure_cells AS p ON p.ip = f.ip AND p.area = f.parent
    JOIN disclosure_periods AS d ON d.ip = f.ip
),
exposed_parts AS (
    SELECT s.*, d.min_count, d.is_percentage
    FROM states AS s JOIN disclosure_periods AS d USING (ip)
    WHERE NOT s.parent_hidden AND s.hidden_children >= 1 AND (s.hidden_children = 1 OR s.is_small)
),
part_members AS (
    SELECT * FROM members
),
complements AS (
/*choose_complement*/
)
SELECT s.*, c.complement
FROM states AS s
LEFT JOIN complements AS c USING (ip, family)
