-- Dashboard exception report for one area (a council or a locality), both halves of it.
-- needs_attention: worsening, worse than Scotland, rated red by the Improvement Service's CPOP
-- (worse than Scotland and improving more slowly), a gap between the most and least deprived that
-- is widening (where marts.inequality_trend has the area), or a target at risk or off track (where
-- marts.targets has one). going_well: none of those, and improving, better than Scotland, a gap
-- narrowing or a target on track. Grain: one row per indicator of the area with a trend row, most
-- urgent first. Scotland's (and, below council level, the council's) value in the same period
-- says by how much.
with area_trend as (
    select * from marts.trend where area_type = $area_type and area_code = $area_code
),

latest_comparisons as (
    select
        c.indicator_id,
        max(c.verdict_95) filter (where c.comparator = 'scotland') as vs_scotland,
        max(c.comparator_value) filter (where c.comparator = 'scotland') as scotland_value,
        max(c.verdict_95) filter (where c.comparator = 'council') as vs_council,
        max(c.comparator_value) filter (where c.comparator = 'council') as council_value
    from marts.comparisons as c
    join area_trend as t on t.indicator_id = c.indicator_id and c.period_label = t.latest_period_label
    where c.area_type = $area_type and c.area_code = $area_code and c.comparator in ('scotland', 'council')
    group by c.indicator_id
),

gaps as (
    select indicator_id, verdict as gap_verdict
    from marts.inequality_trend
    where area_type = $area_type and area_code = $area_code and is_headline
),

final as (
    select
        t.indicator_id, i.short_title, i.soa_priority, i.soa_priority_label, i.unit_label, i.polarity,
        t.baseline_period_label, t.baseline_value, t.latest_period_label, t.latest_value,
        t.change_abs, t.trend_verdict, s.vs_scotland, s.scotland_value, s.vs_council, s.council_value,
        t.cpop_rating, t.cpop_rating_words, t.cpop_improvement_rate, t.cpop_baseline_period, t.cpop_latest_period,
        g.gap_verdict, tg.target_value, tg.target_year, tg.trajectory_value_latest, tg.projected_value,
        tg.probability_of_meeting, tg.status as target_status
    from area_trend as t
    join meta.indicators as i using (indicator_id)
    left join latest_comparisons as s using (indicator_id)
    left join gaps as g using (indicator_id)
    left join marts.targets as tg
        on tg.indicator_id = t.indicator_id and tg.area_type = $area_type and tg.area_code = $area_code
),

flagged as (
    select *,
        coalesce(trend_verdict = 'worsening' or vs_scotland = 'worse' or gap_verdict = 'widening'
                 or target_status in ('at risk', 'off track') or cpop_rating = 'red', false) as needs_attention,
        coalesce(trend_verdict = 'improving' or vs_scotland = 'better' or gap_verdict = 'narrowing'
                 or target_status = 'on track', false) as is_positive
    from final
)

select * exclude (is_positive), not needs_attention and is_positive as going_well
from flagged
order by (target_status = 'off track') desc nulls last, (trend_verdict = 'worsening') desc, soa_priority,
         short_title
