-- Communities "in the round" for one council: one summary row per intermediate zone
-- (indicator_id = 'all'), z-scores signed so that positive = better; rank 1 = most vulnerable.
select
    c.intermediate_zone_code as area_code, a.area_name, c.outcomes, c.outcomes_with_change,
    c.total_level_z_council, c.total_level_z_scotland, c.total_z_council, c.total_z_scotland,
    c.rank_in_council, c.is_most_vulnerable
from marts.communities as c
left join marts.areas as a on a.area_type = 'intermediate_zone' and a.area_code = c.intermediate_zone_code
where c.council_code = $council and c.indicator_id = 'all'
order by c.rank_in_council nulls last, a.area_name
