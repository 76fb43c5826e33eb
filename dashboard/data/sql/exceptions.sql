-- Dashboard exception report for one council: indicators that are worsening, worse than
-- Scotland, or whose target is at risk or off track.
with council_trend as (
    select * from marts.trend where area_type = 'council' and area_code = $council
),
vs_scotland as (
    select c.indicator_id, c.verdict_95 from marts.comparisons as c
    join council_trend as t on t.indicator_id = c.indicator_id and c.period_label = t.latest_period_label
    where c.area_type = 'council' and c.area_code = $council and c.comparator = 'scotland'
),
gaps as (
    select indicator_id, verdict as gap_verdict from marts.inequality_trend
    where area_type = 'council' and area_code = $council and basis = 'national_quintile' and measure = 'absolute_gap'
)
select
    t.indicator_id, i.short_title, i.soa_priority_label, i.unit_label, i.polarity,
    t.baseline_period_label, t.baseline_value, t.latest_period_label, t.latest_value,
    t.change_abs, t.trend_verdict, s.verdict_95 as vs_scotland, g.gap_verdict,
    tg.target_value, tg.target_year, tg.trajectory_value_latest, tg.projected_value,
    tg.probability_of_meeting, tg.status as target_status
from council_trend as t
join meta.indicators as i using (indicator_id)
left join vs_scotland as s using (indicator_id)
left join gaps as g using (indicator_id)
left join marts.targets as tg
    on tg.indicator_id = t.indicator_id and tg.area_type = 'council' and tg.area_code = $council
where t.trend_verdict = 'worsening' or s.verdict_95 = 'worse' or g.gap_verdict = 'widening'
   or tg.status in ('at risk', 'off track')
order by (tg.status = 'off track') desc nulls last, (t.trend_verdict = 'worsening') desc, i.soa_priority
