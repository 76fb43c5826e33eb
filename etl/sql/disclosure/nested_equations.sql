-- The published equations in the hidden cells (result: ip, equation, leaf, numerator,
-- complement; one row per equation x hidden cell), read by etl.disclosure._nested_pass.
-- A hidden cell (`leaf`) is a hidden area at the indicator's native geography; `numerator` and
-- `complement` are its true count and, for a percentage, denominator − count (NULL when unknown
-- at source). An equation is a visible area that holds hidden cells (`equation` = its area id)
-- or a deprivation group of disclosure_group_members (`equation` = − its family id; every group
-- counts as published, as in exposed_group_cells.sql: a withheld one protects nothing less), or
-- a family of disclosure_families with a visible parent, whose children are not the native
-- cells (`equation` = 2^30 + its family id): parent − visible children = Σ the hidden cells of its
-- hidden children, which a reader learns too.
WITH leaves AS (
    SELECT c.ip, c.area, c.true_numerator AS numerator, c.true_complement AS complement, a.area_type
    FROM disclosure_cells AS c
    JOIN disclosure_areas AS a USING (area)
    JOIN disclosure_periods AS p USING (ip)
    WHERE c.is_hidden AND a.area_type = p.native_geography
)
SELECT l.ip, m.area AS equation, l.area AS leaf, l.numerator, l.complement
FROM leaves AS l
JOIN disclosure_native_members AS m ON m.member = l.area AND m.native_type = l.area_type
JOIN disclosure_cells AS e ON e.ip = l.ip AND e.area = m.area
WHERE NOT e.is_hidden
UNION ALL
SELECT l.ip, -g.family, l.area, l.numerator, l.complement
FROM leaves AS l
JOIN disclosure_group_members AS g ON g.ip = l.ip AND g.area = l.area
UNION ALL
SELECT l.ip, 1073741824 + f.family, l.area, l.numerator, l.complement
FROM disclosure_families AS f
JOIN disclosure_cells AS p ON p.area = f.parent AND NOT p.is_hidden
JOIN disclosure_cells AS c ON c.ip = p.ip AND c.area = f.child AND c.is_hidden
JOIN disclosure_native_members AS m ON m.area = f.child
JOIN leaves AS l ON l.ip = p.ip AND l.area = m.member AND l.area_type = m.native_type
