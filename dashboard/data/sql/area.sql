-- One area (zero rows when the type/code pair does not exist).
select area_type, area_code, area_name, council_code, council_name, population, datazone_count
from marts.areas
where area_type = $area_type and area_code = $area_code
