-- Data zones to hide so that no deprivation group (see group_members.sql) has exactly one
-- hidden data zone: the visible member with the smallest numerator (ties: smallest code) is
-- hidden as well (result: ip, area). Only groups touched by the cells the last pass hid
-- (disclosure_frontier) can have changed, so only they are examined.
WITH touched AS (
    SELECT DISTINCT m.ip, m.family
    FROM disclosure_frontier AS f
    JOIN disclosure_group_members AS m ON m.ip = f.ip AND m.area = f.area
),
members AS (
    SELECT m.ip, m.family, c.area, c.numerator, c.is_hidden
    FROM disclosure_group_members AS m
    SEMI JOIN touched AS t ON t.ip = m.ip AND t.family = m.family
    JOIN disclosure_cells AS c ON c.ip = m.ip AND c.area = m.area
),
complements AS (
    SELECT ip, family, arg_min(area, (numerator, area)) FILTER (WHERE NOT is_hidden) AS complement
    FROM members
    GROUP BY ip, family
    HAVING count(*) FILTER (WHERE is_hidden) = 1
)
SELECT DISTINCT ip, complement AS area
FROM complements
WHERE complement IS NOT NULL
