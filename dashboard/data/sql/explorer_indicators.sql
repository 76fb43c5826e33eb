-- Every indicator with its metadata and coverage: first and last period with data, the
-- area types it has values for (Data Explorer), and the first council (by code) with a
-- published value, where "Open map" opens its Area Profile; how each area type gets its values
-- (the publisher's own figures, computed from counts, estimated where cells were withheld at
-- source), which periods the publisher imputed or projected, and every release of its published
-- figures (marts.indicator_releases: dataset, release, whether it is the one shown).
with coverage as (
    select indicator_id,
           arg_min(period_label, period_year) as first_period,
           arg_max(period_label, period_year) as last_period,
           count(distinct period_label) as periods,
           list(distinct area_type order by area_type) as area_types,
           min(area_code) filter (where area_type = 'council') as first_council_code,
           bool_or(area_type = 'scotland') as has_scotland,
           list(distinct area_type order by area_type) filter (where value_source = 'published') as published_types,
           list(distinct area_type order by area_type) filter (where value_source = 'computed') as computed_types,
           list(distinct area_type order by area_type) filter (where value_source = 'estimated') as estimated_types,
           arg_min(period_label, period_year) filter (where value_type = 'imputed') as first_imputed,
           arg_max(period_label, period_year) filter (where value_type = 'imputed') as last_imputed,
           arg_min(period_label, period_year) filter (where value_type = 'projected') as first_projected,
           arg_max(period_label, period_year) filter (where value_type = 'projected') as last_projected,
           bool_or(is_revised) as has_revisions
    from marts.indicator_values
    where value is not null
    group by indicator_id
),

release_list as (
    select indicator_id, dataset, release, bool_or(is_shown) as is_shown, bool_or(is_revised) as has_revised
    from marts.indicator_releases
    group by indicator_id, dataset, release
),

releases as (
    select indicator_id,
           list({'dataset': dataset, 'release': release, 'is_shown': is_shown, 'has_revised': has_revised}
                order by release desc, dataset) as releases
    from release_list
    group by indicator_id
)

select i.*, c.first_period, c.last_period, c.periods, c.area_types, c.first_council_code, c.has_scotland,
       c.published_types, c.computed_types, c.estimated_types, c.first_imputed, c.last_imputed,
       c.first_projected, c.last_projected, c.has_revisions, r.releases
from meta.indicators as i
left join coverage as c using (indicator_id)
left join releases as r using (indicator_id)
order by i.soa_priority, i.indicator_id
