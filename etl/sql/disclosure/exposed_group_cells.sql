-- Data zones to hide so that no deprivation group (see group_members.sql) has exactly one
-- hidden data zone, or hidden data zones whose counts (for a percentage: or complements) add up
-- to less than the indicator's min_count — the same rule as exposed_cells.sql for area
-- families, with the same choice: the visible member with the smallest count that lifts the
-- hidden part to min_count (ties: smallest code), else the one that lifts it most (result: ip,
-- area). Only groups touched by the cells the last pass hid (disclosure_frontier) can have
-- changed, so only they are examined.
WITH touched AS (
    SELECT DISTINCT m.ip, m.family
    FROM disclosure_frontier AS f
    JOIN disclosure_group_members AS m ON m.ip = f.ip AND m.area = f.area
),
members AS (
    SELECT m.ip, m.family, c.area, c.numerator, c.is_hidden, c.true_numerator, c.true_complement
    FROM disclosure_group_members AS m
    SEMI JOIN touched AS t ON t.ip = m.ip AND t.family = m.family
    JOIN disclosure_cells AS c ON c.ip = m.ip AND c.area = m.area
),
states AS (
    SELECT m.ip, m.family,
           count(*) FILTER (WHERE m.is_hidden) AS hidden_members,
           sum(m.true_numerator) FILTER (WHERE m.is_hidden) AS hidden_sum,
           sum(m.true_complement) FILTER (WHERE m.is_hidden) AS hidden_complement,
           count(*) FILTER (WHERE m.is_hidden AND m.true_numerator IS NULL) AS hidden_unknown,
           any_value(d.min_count) AS min_count, any_value(d.is_percentage) AS is_percentage
    FROM members AS m JOIN disclosure_periods AS d USING (ip)
    GROUP BY m.ip, m.family
),
exposed_parts AS (
    SELECT * FROM states
    WHERE hidden_members = 1
       OR (hidden_members > 1 AND hidden_unknown = 0
           AND (hidden_sum < min_count OR (is_percentage AND hidden_complement < min_count)))
),
part_members AS (
    SELECT * FROM members
),
complements AS (
/*choose_complement*/
)
SELECT DISTINCT ip, complement AS area
FROM complements
WHERE complement IS NOT NULL
