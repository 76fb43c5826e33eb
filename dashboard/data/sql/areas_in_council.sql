-- Areas of one type lying in one council (e.g. its localities), by name. Grain: one row per area.
select area_code, area_name
from marts.areas
where area_type = $area_type and council_code = $council
order by area_name, area_code
