-- Simplified WGS84 boundaries of every area of a type (within a council when given).
select b.area_code, b.geojson
from marts.area_boundaries as b
join marts.areas as a using (area_type, area_code)
where b.area_type = $area_type and ($council is null or a.council_code = $council or a.area_code = $council)
