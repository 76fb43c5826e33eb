-- Area Profiles: the inequality measures of one indicator for a parent area over time
-- (SII/RII with CIs, gaps, Duncan index, best and worst community with their names; duncan_iz_count,
-- the council's number of communities, lets a caption say why a Duncan index or best/worst is blank).
select
    i.period_label, i.period_year, i.basis, i.overall_value, i.most_deprived_value, i.least_deprived_value,
    i.absolute_gap, i.relative_gap, i.sii, i.sii_lower, i.sii_upper, i.rii, i.rii_lower, i.rii_upper,
    i.par_pct, i.duncan_index, i.duncan_iz_count, i.best_iz_code, b.area_name as best_iz_name, i.best_iz_value,
    i.worst_iz_code, w.area_name as worst_iz_name, i.worst_iz_value, i.iz_gap
from marts.inequality as i
left join marts.areas as b on b.area_type = 'intermediate_zone' and b.area_code = i.best_iz_code
left join marts.areas as w on w.area_type = 'intermediate_zone' and w.area_code = i.worst_iz_code
where i.indicator_id = $indicator and i.area_type = $parent_type and i.area_code = $parent_code
order by i.basis, i.period_year, i.period_label
