-- The areas a spend file can be by (data zones, intermediate zones, wards, localities), each
-- with its council. Grain: one row per area.
select area_type, area_code, area_name, council_code, council_name
from marts.areas
where area_type in ('datazone', 'intermediate_zone', 'ward', 'locality')
order by area_type, area_code
