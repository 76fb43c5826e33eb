-- Area Profiles: rates by deprivation group for a parent area (council or Scotland).
select g.period_label, g.period_year, g.basis, g.group_number, g.value, g.ci_lower, g.ci_upper, g.is_suppressed,
       i.sii, i.sii_lower, i.sii_upper, i.absolute_gap, i.rii, t.verdict as gap_verdict
from marts.inequality_groups as g
left join marts.inequality as i using (indicator_id, area_type, area_code, period_label, basis)
left join marts.inequality_trend as t
  on t.indicator_id = g.indicator_id and t.area_type = g.area_type and t.area_code = g.area_code
 and t.is_headline
where g.indicator_id = $indicator and g.area_type = $parent_type and g.area_code = $parent_code
order by g.period_year, g.basis, g.group_number
