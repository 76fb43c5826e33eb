-- The data zones of one council with the intermediate zone each lies in (My areas map):
-- one row per data zone; names for the map's hover text in both selection modes and the
-- membership that turns a clicked or lassoed intermediate zone into its data zones.
with datazones as (
    select area_code as datazone_code, area_name as datazone_name, population
    from marts.areas
    where area_type = 'datazone' and council_code = $council
),

memberships as (
    select datazone_code, area_code as intermediate_zone_code
    from core.bridge_datazone_area
    where area_type = 'intermediate_zone'
),

final as (
    select
        d.datazone_code,
        d.datazone_name,
        d.population,
        m.intermediate_zone_code,
        i.area_name as intermediate_zone_name
    from datazones as d
    left join memberships as m using (datazone_code)
    left join marts.areas as i
        on i.area_type = 'intermediate_zone' and i.area_code = m.intermediate_zone_code
)

select datazone_code, datazone_name, population, intermediate_zone_code, intermediate_zone_name
from final
order by datazone_code
