-- disclosure_sums from the deprivation groups (result: ip, equation, area — the visible data
-- zones of each exposed group).
-- A published deprivation group (group_members.sql) is the equation group = Σ its data zones.
-- marts.inequality_groups withholds groups by its own rules (primary, differencing against the
-- parent, complementary between groups: etl.marts.inequality.protect_groups), which do not look
-- at the data zones; a withheld group whose data zones are all visible is their sum, and the
-- group it protected would follow by subtraction. Read from disclosure_withheld_groups
-- (ip, family), the groups that would be withheld; one data zone of each such group has to be
-- hidden as well (complement_choice.sql picks which).
WITH members AS (
    SELECT w.ip, w.family, m.area, c.is_hidden
    FROM disclosure_withheld_groups AS w
    JOIN disclosure_group_members AS m USING (ip, family)
    LEFT JOIN disclosure_cells AS c ON c.ip = m.ip AND c.area = m.area
),
exposed AS (
    SELECT ip, family
    FROM members
    GROUP BY ip, family
    HAVING count(*) FILTER (WHERE is_hidden IS DISTINCT FROM false) = 0
)
SELECT m.ip, m.family AS equation, m.area
FROM members AS m
SEMI JOIN exposed AS e USING (ip, family)
