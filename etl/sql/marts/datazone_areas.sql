-- marts.datazone_areas
-- grain: one row per data zone x area type (datazone_code, area_type).
-- Which area of each type every data zone belongs to: core.bridge_datazone_area, the membership
-- the build aggregates by (best fit for wards and file-defined types). Published so researchers
-- can build their own areas from data zones without the internal file; it holds no counts.
SELECT datazone_code, area_type, area_code
FROM core.bridge_datazone_area
ORDER BY datazone_code, area_type
