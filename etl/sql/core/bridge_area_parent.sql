-- core.bridge_area_parent
-- grain: one row per child area x parent area, for every pair of area types where the
-- children of one type exactly partition the parent (each child lies wholly inside it and
-- together they cover all its data zones).
-- Disclosure control uses it: for every such family, parent minus visible children must never
-- reveal a single hidden child.
WITH bridge AS (
    SELECT * FROM core.bridge_datazone_area
),
sizes AS (
    SELECT area_type, area_code, count(*) AS datazones FROM bridge GROUP BY ALL
),
pairs AS (
    SELECT c.area_type AS child_type, c.area_code AS child_code, p.area_type AS parent_type,
           p.area_code AS parent_code, count(*) AS shared
    FROM bridge AS c JOIN bridge AS p USING (datazone_code)
    WHERE c.area_type <> p.area_type
    GROUP BY ALL
),
whole_children AS (
    SELECT pr.*, cs.datazones AS child_datazones
    FROM pairs AS pr JOIN sizes AS cs ON cs.area_type = pr.child_type AND cs.area_code = pr.child_code
    WHERE pr.shared = cs.datazones
),
covering AS (
    SELECT w.parent_type, w.parent_code, w.child_type
    FROM whole_children AS w
    JOIN sizes AS ps ON ps.area_type = w.parent_type AND ps.area_code = w.parent_code
    GROUP BY w.parent_type, w.parent_code, w.child_type
    HAVING sum(w.child_datazones) = any_value(ps.datazones) AND count(*) > 1
),
final AS (
    SELECT w.child_type, w.child_code, w.parent_type, w.parent_code
    FROM whole_children AS w
    JOIN covering AS c USING (parent_type, parent_code, child_type)
)
SELECT * FROM final
