-- How many of the given codes are data zones of this warehouse, their summed population
-- (NULL when no population is known) and the council holding most of them (My areas status
-- line; the council a saved area's map opens on). One row.
with chosen as (
    select area_code, population, council_code
    from marts.areas
    where area_type = 'datazone' and area_code in (select unnest($codes::varchar[]))
),

main_council as (
    select council_code
    from chosen
    where council_code is not null
    group by council_code
    order by count(*) desc, council_code
    limit 1
),

final as (
    select
        (select count(*) from chosen)::integer as datazone_count,
        (select sum(population) from chosen)::bigint as population,
        (select council_code from main_council) as council_code
)

select datazone_count, population, council_code
from final
