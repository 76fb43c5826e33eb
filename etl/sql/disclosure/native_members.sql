-- disclosure_native_members (temp working table of complementary suppression)
-- grain: one row per area x each cell of a native geography that lies wholly in it (data zones,
-- and intermediate zones for series published only for them), from core.bridge_datazone_area
-- as core.bridge_area_area makes it (which the build writes only after suppression). `area` is
-- the area, `member` the cell, `native_type` the cell's area type. An area is then, for every
-- indicator whose native geography is `native_type` and for which it is published, the equation
-- Σ its hidden cells = its count − its visible cells, which nested_equations.sql reads.
WITH bridge AS (
    SELECT area_type, area_code, datazone_code FROM core.bridge_datazone_area
),
sizes AS (
    SELECT area_type, area_code, count(*) AS datazones FROM bridge GROUP BY ALL
),
pairs AS (
    SELECT c.area_type AS native_type, c.area_code AS member_code, p.area_type, p.area_code,
           count(*) AS shared
    FROM bridge AS c JOIN bridge AS p USING (datazone_code)
    WHERE c.area_type IN ('datazone', 'intermediate_zone') AND p.area_type <> c.area_type
    GROUP BY ALL
)
SELECT a.area, m.area AS member, p.native_type
FROM pairs AS p
JOIN sizes AS s ON s.area_type = p.native_type AND s.area_code = p.member_code AND s.datazones = p.shared
JOIN disclosure_areas AS a ON a.area_type = p.area_type AND a.area_code = p.area_code
JOIN disclosure_areas AS m ON m.area_type = p.native_type AND m.area_code = p.member_code
