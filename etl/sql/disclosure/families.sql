-- disclosure_families (temp working table of complementary suppression)
-- grain: one row per child of a family of core.bridge_area_parent (a parent area and the
-- children of one type that exactly partition it); `family` numbers (parent, child type).
SELECT (dense_rank() OVER (ORDER BY b.parent_type, b.parent_code, b.child_type))::INTEGER AS family,
       p.area AS parent, c.area AS child
FROM core.bridge_area_parent AS b
JOIN disclosure_areas AS p ON p.area_type = b.parent_type AND p.area_code = b.parent_code
JOIN disclosure_areas AS c ON c.area_type = b.child_type AND c.area_code = b.child_code
