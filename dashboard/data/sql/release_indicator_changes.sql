-- Indicators added or removed: against the build this one replaced (meta.previous_indicators) when
-- one was kept, and indicators first published after the comparison release ($since, else the
-- release before the newest of all).
with releases as (
    select indicator_id, min(release) as first_release, max(release) as newest_release
    from marts.indicator_releases group by all
),
since as (
    select coalesce(cast($since as varchar),
                    (select max(release) from marts.indicator_releases
                     where release < (select max(release) from marts.indicator_releases))) as since_release
),
kept as (
    select count(*) > 0 as has_previous from meta.previous_build
),
final as (
    select i.indicator_id, i.title, 'added' as change, 'not in the previous build' as basis, r.first_release
    from meta.indicators as i
    left join releases as r using (indicator_id)
    where (select has_previous from kept)
      and i.indicator_id not in (select indicator_id from meta.previous_indicators)
    union all
    select p.indicator_id, p.title, 'removed', 'in the previous build, not in this one', null
    from meta.previous_indicators as p
    where (select has_previous from kept)
      and p.indicator_id not in (select indicator_id from meta.indicators)
    union all
    select i.indicator_id, i.title, 'added', 'first published in release ' || r.first_release, r.first_release
    from meta.indicators as i
    join releases as r using (indicator_id)
    where r.first_release > (select since_release from since)
      and not ((select has_previous from kept)
               and i.indicator_id not in (select indicator_id from meta.previous_indicators))
)
select * from final
order by change, indicator_id
