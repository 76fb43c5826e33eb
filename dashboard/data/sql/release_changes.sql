-- What changed in the newest release: one row per indicator x area x period x dataset of a shown figure
-- (marts.indicator_releases.is_shown) that the newest release revised or added.
--   comparison release: $since when given, else, per indicator, the release before its newest one
--                       (an indicator with a single release is not compared);
--   revised:    the figure was in a release at or before the comparison release (same dataset) and
--               its value differs (or it became withheld, or stopped being withheld);
--   new period: no release at or before the comparison release had this indicator, area and period,
--               though it had other periods of the area;
--   first published: no release at or before the comparison release had the indicator for the area.
-- verdicts_changed lists, for the indicator and area, the verdicts that differ from the previous
-- build's (marts.previous_verdicts); verdicts_known is FALSE when no previous build was kept.
with releases as (
    select indicator_id, release from marts.indicator_releases group by all
),
baseline as (
    select
        indicator_id,
        coalesce(cast($since as varchar),
                 (select max(r.release) from releases as r
                  where r.indicator_id = n.indicator_id and r.release < n.newest_release)) as since_release
    from (select indicator_id, max(release) as newest_release from releases group by all) as n
),
shown as (
    select s.*, b.since_release
    from marts.indicator_releases as s
    join baseline as b using (indicator_id)
    where s.is_shown and s.release > b.since_release
),
earlier as (  -- the figure as the comparison release (or the latest before it) had it
    select
        s.indicator_id, s.area_type, s.area_code, s.period_label, s.dataset,
        e.release as old_release, e.value as old_value, e.is_withheld as old_is_withheld
    from shown as s
    join marts.indicator_releases as e
        on e.indicator_id = s.indicator_id and e.area_type = s.area_type and e.area_code = s.area_code
        and e.period_label = s.period_label and e.dataset = s.dataset and e.release <= s.since_release
    qualify row_number() over (
        partition by s.indicator_id, s.area_type, s.area_code, s.period_label, s.dataset
        order by e.release desc) = 1
),
known_periods as (  -- indicator x area x period published at or before the comparison release
    select distinct p.indicator_id, p.area_type, p.area_code, p.period_label
    from marts.indicator_releases as p
    join baseline as b using (indicator_id)
    where p.release <= b.since_release
),
known_areas as (  -- indicator x area with any figure at or before the comparison release
    select distinct indicator_id, area_type, area_code from known_periods
),
figures as (
    select
        s.indicator_id, s.area_type, s.area_code, s.period_label, s.period_year, s.dataset, s.value_type,
        s.since_release, e.old_release, e.old_value, coalesce(e.old_is_withheld, false) as old_is_withheld,
        s.release as new_release, s.value as new_value, s.is_withheld as new_is_withheld,
        case
            when e.old_release is not null then 'revised'
            when k.period_label is not null then null  -- in an earlier release, under another dataset
            when a.area_code is not null then 'new period'
            else 'first published'
        end as change
    from shown as s
    left join earlier as e using (indicator_id, area_type, area_code, period_label, dataset)
    left join known_periods as k using (indicator_id, area_type, area_code, period_label)
    left join known_areas as a using (indicator_id, area_type, area_code)
),
changed as (
    select * from figures
    where change in ('new period', 'first published')
       or (change = 'revised' and (old_is_withheld <> new_is_withheld
           or (old_value is null) <> (new_value is null)
           or abs(new_value - old_value) > 1e-9 * greatest(abs(new_value), 1)))
),
verdicts as (
    select
        n.indicator_id, n.area_type, n.area_code,
        string_agg(n.verdict_kind || ': ' || p.verdict || ' → ' || n.verdict, '; ' order by n.verdict_kind)
            as verdicts_changed
    from marts.verdicts as n
    join marts.previous_verdicts as p using (indicator_id, area_type, area_code, verdict_kind)
    where n.verdict <> p.verdict
    group by all
),
final as (
    select
        c.indicator_id, i.title, c.area_type, c.area_code, a.area_name, a.council_code, a.council_name,
        c.period_label, c.period_year, c.dataset, c.change, c.value_type,
        c.old_release, c.old_value, c.old_is_withheld,
        c.new_release, c.new_value, c.new_is_withheld,
        c.new_value - c.old_value as difference,
        v.verdicts_changed,
        (select count(*) from meta.previous_build) > 0 as verdicts_known
    from changed as c
    join meta.indicators as i using (indicator_id)
    left join marts.areas as a using (area_type, area_code)
    left join verdicts as v using (indicator_id, area_type, area_code)
)
select * from final
order by indicator_id, area_type, area_code, period_year, dataset
