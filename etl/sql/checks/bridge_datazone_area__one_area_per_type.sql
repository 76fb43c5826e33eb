-- Every data zone belongs to exactly one area of each partitioning area type.
SELECT d.datazone_code, t.area_type, count(b.area_code) AS areas
FROM core.dim_datazone AS d
CROSS JOIN (SELECT area_type FROM meta.area_types WHERE is_partition) AS t
LEFT JOIN core.bridge_datazone_area AS b ON b.datazone_code = d.datazone_code AND b.area_type = t.area_type
WHERE t.area_type <> 'hscp' OR d.hscp_code IS NOT NULL
GROUP BY d.datazone_code, t.area_type
HAVING count(b.area_code) <> 1
