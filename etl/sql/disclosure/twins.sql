-- disclosure_twins (temp working table of complementary suppression)
-- grain: one row per ordered pair of areas of different types made of exactly the same data
-- zones (a council and its coterminous HSCP, an IZ and a locality of that one IZ, a file-defined
-- area of one data zone and that data zone, …), both directions.
-- Twins always have the same count, so each pair is the equation a = b: with exactly one of
-- them hidden, the other gives it away. core.bridge_area_parent leaves these out (a family
-- there has at least two children), so exposed_twins.sql handles them.
WITH members AS (
    SELECT area_type, area_code, list_sort(list(datazone_code)) AS datazones
    FROM core.bridge_datazone_area
    GROUP BY area_type, area_code
),
pairs AS (
    SELECT a.area_type AS type_a, a.area_code AS code_a, b.area_type AS type_b, b.area_code AS code_b
    FROM members AS a
    JOIN members AS b ON b.datazones = a.datazones AND b.area_type <> a.area_type
)
SELECT x.area AS area, y.area AS twin
FROM pairs AS p
JOIN disclosure_areas AS x ON x.area_type = p.type_a AND x.area_code = p.code_a
JOIN disclosure_areas AS y ON y.area_type = p.type_b AND y.area_code = p.code_b
