-- Which part to hide in each exposed equation of disclosure_sums (result: ip, area; one cell
-- per equation). An equation here is a hidden total whose parts are all visible (rules 2
-- and 3: exposed_sums.sql, withheld_group_sums.sql); hiding one part leaves two unknowns.
-- The choice is deliberate: the part should actually protect, not be pinned down elsewhere
-- the moment it is hidden. A part is pinned by (counting the area families of
-- disclosure_families; deprivation groups are left to exposed_group_cells.sql)
--   * a family it is a child of, with a visible parent, in which it would be the only unknown
--     (parent − visible children gives it), or in which the unknowns would add up to 0
--     (parent = visible children, and the part is 0: counts are never negative, so every
--     unknown of that family is 0 — this is why a zero whose family adds up elsewhere protects
--     nothing), or
--   * a family it is the parent of whose children are all published and visible (their sum), or
--   * a visible twin (disclosure_twins: an area of the same data zones, hence the same count).
-- So the part chosen is the one with the fewest such families, then the smallest numerator
-- (the least information withheld), then the smallest code. Pinning families still get their
-- own complement from the next passes (rules 1 and 2), so the equations always end with 0 or
-- at least 2 hidden cells whichever part is chosen; the order only decides how much protection
-- that buys and how many cells it costs.
WITH candidates AS (
    SELECT s.ip, s.equation, s.area, c.numerator
    FROM disclosure_sums AS s
    JOIN disclosure_cells AS c ON c.ip = s.ip AND c.area = s.area
),
parts AS (
    SELECT DISTINCT ip, area, numerator FROM candidates
),
child_families AS (
    SELECT DISTINCT k.ip, m.family FROM parts AS k JOIN disclosure_families AS m ON m.child = k.area
),
child_family_states AS (
    SELECT f.ip, f.family, any_value(m.parent) AS parent,
           count(*) - count(*) FILTER (WHERE NOT c.is_hidden) AS unknown_children,
           sum(c.numerator) FILTER (WHERE NOT c.is_hidden) AS visible_sum
    FROM child_families AS f
    JOIN disclosure_families AS m USING (family)
    LEFT JOIN disclosure_cells AS c ON c.ip = f.ip AND c.area = m.child
    GROUP BY f.ip, f.family
),
pinned_as_child AS (
    SELECT k.ip, k.area,
           NOT p.is_hidden AND (s.unknown_children = 0 OR (k.numerator = 0 AND p.numerator - s.visible_sum <= 0))
               AS is_pinned
    FROM parts AS k
    JOIN disclosure_families AS m ON m.child = k.area
    JOIN child_family_states AS s ON s.ip = k.ip AND s.family = m.family
    JOIN disclosure_cells AS p ON p.ip = k.ip AND p.area = s.parent
),
pinned_as_parent AS (
    SELECT k.ip, k.area, count(*) = count(*) FILTER (WHERE NOT c.is_hidden) AS is_pinned
    FROM parts AS k
    JOIN disclosure_families AS m ON m.parent = k.area
    LEFT JOIN disclosure_cells AS c ON c.ip = k.ip AND c.area = m.child
    GROUP BY k.ip, k.area, m.family
),
pinned_as_twin AS (
    SELECT k.ip, k.area, NOT c.is_hidden AS is_pinned
    FROM parts AS k
    JOIN disclosure_twins AS t ON t.area = k.area
    JOIN disclosure_cells AS c ON c.ip = k.ip AND c.area = t.twin
),
pins AS (
    SELECT ip, area, count(*) FILTER (WHERE is_pinned) AS pins
    FROM (SELECT * FROM pinned_as_child UNION ALL SELECT * FROM pinned_as_parent UNION ALL SELECT * FROM pinned_as_twin)
    GROUP BY ip, area
)
SELECT DISTINCT k.ip, arg_min(k.area, (coalesce(p.pins, 0), k.numerator, k.area)) AS area
FROM candidates AS k
LEFT JOIN pins AS p USING (ip, area)
GROUP BY k.ip, k.equation
