-- Which publisher's dataset a value comes from (where "Source" lines get their words).
-- Published figures: the dataset shown for the indicator, area type and release
-- (marts.indicator_releases, is_shown; one dataset per indicator x area type x release).
-- Values computed from counts: the dataset of the numerator's counts (meta.indicator_mappings), with
-- area_type and release NULL. Grain: one row per indicator x value_source x area type x release.
with published as (
    select indicator_id, 'published' as value_source, area_type, release, min(dataset) as dataset
    from marts.indicator_releases
    where is_shown
    group by indicator_id, area_type, release
),

counted as (
    select indicator_id, 'computed' as value_source, null as area_type, null as release, min(dataset) as dataset
    from meta.indicator_mappings
    where side = 'numerator' and dataset is not null
    group by indicator_id
)

select * from published
union all
select * from counted
order by indicator_id, value_source, area_type, release
