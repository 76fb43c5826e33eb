-- disclosure_areas (temp working table of complementary suppression)
-- grain: one row per area (area_type, area_code) that has a published value or belongs to a
-- family in core.bridge_area_parent. `area` is a small integer key numbered in
-- (area_type, area_code) order, so among areas of one type the smaller id is the smaller code
-- (the rules below break ties by the smallest code, and compare ids).
WITH areas AS (
    SELECT area_type, area_code FROM marts.indicator_values
    UNION SELECT child_type, child_code FROM core.bridge_area_parent
    UNION SELECT parent_type, parent_code FROM core.bridge_area_parent
)
SELECT (row_number() OVER (ORDER BY area_type, area_code))::INTEGER AS area, area_type, area_code
FROM areas
