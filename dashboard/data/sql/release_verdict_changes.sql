-- Verdicts this build gives differently from the build it replaced (marts.verdicts against
-- marts.previous_verdicts): one row per indicator x area x verdict kind whose verdict changed.
-- Empty when no previous build was kept (meta.previous_build says whether one was).
with changed as (
    select
        n.indicator_id, n.area_type, n.area_code, n.verdict_kind,
        p.verdict as verdict_before, n.verdict as verdict_now,
        p.period_label as period_before, n.period_label as period_now
    from marts.verdicts as n
    join marts.previous_verdicts as p using (indicator_id, area_type, area_code, verdict_kind)
    where n.verdict <> p.verdict
),
final as (
    select c.indicator_id, i.title, c.area_type, c.area_code, a.area_name, a.council_code, a.council_name,
           c.verdict_kind, c.verdict_before, c.verdict_now, c.period_before, c.period_now
    from changed as c
    join meta.indicators as i using (indicator_id)
    left join marts.areas as a using (area_type, area_code)
)
select * from final
order by indicator_id, area_type, area_code, verdict_kind
