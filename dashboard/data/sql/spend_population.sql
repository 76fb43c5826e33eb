-- Population (NRS small-area estimates, all persons) of the given areas of one type in the
-- estimate year nearest $year (the later one on a tie): the denominator of spend per head.
-- Grain: one row per area.
with years as (
    select distinct year
    from core.fct_population_datazone
    where sex = 'All'
),

chosen as (
    select year
    from years
    order by abs(year - $year), year desc
    limit 1
),

final as (
    select b.area_code, c.year as population_year, sum(p.population)::bigint as population
    from core.fct_population_datazone as p
    inner join chosen as c using (year)
    inner join core.bridge_datazone_area as b using (datazone_code)
    where p.sex = 'All' and b.area_type = $area_type
      and b.area_code in (select unnest($codes::varchar[]))
    group by all
)

select area_code, population_year, population
from final
order by area_code
