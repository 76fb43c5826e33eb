-- core.bridge_area_area
-- grain: one row per child area x parent area it lies wholly within.
-- Series published for intermediate zones (or data zones) aggregate to a parent area type only
-- when every child of that type nests in exactly one parent (a true coarsening), so no area
-- value is ever made from part of its population.
WITH bridge AS (
    SELECT * FROM core.bridge_datazone_area
),
pairs AS (
    SELECT c.area_type AS child_type, c.area_code AS child_code, p.area_type, p.area_code,
           count(*) AS shared_datazones
    FROM bridge AS c
    JOIN bridge AS p USING (datazone_code)
    WHERE c.area_type IN ('datazone', 'intermediate_zone')
    GROUP BY ALL
),
child_sizes AS (
    SELECT area_type AS child_type, area_code AS child_code, count(*) AS datazones
    FROM bridge GROUP BY ALL
),
nests AS (
    SELECT p.*, p.shared_datazones = s.datazones AS is_whole
    FROM pairs AS p JOIN child_sizes AS s USING (child_type, child_code)
),
type_nests AS (
    -- a parent type is usable for a child type only if every child of that type nests
    SELECT child_type, area_type, bool_and(is_whole) AS all_nest
    FROM nests GROUP BY ALL
),
final AS (
    SELECT n.child_type, n.child_code, n.area_type, n.area_code
    FROM nests AS n
    JOIN type_nests AS t USING (child_type, area_type)
    WHERE t.all_nest OR n.area_type = 'locality' AND n.is_whole
)
SELECT * FROM final
