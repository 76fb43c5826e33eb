-- Every indicator with its metadata and coverage: first and last period with data, the
-- area types it has values for (Data Explorer), and the first council (by code) with a
-- published value, where "Open map" opens its Area Profile.
with coverage as (
    select indicator_id,
           arg_min(period_label, period_year) as first_period,
           arg_max(period_label, period_year) as last_period,
           count(distinct period_label) as periods,
           list(distinct area_type order by area_type) as area_types,
           min(area_code) filter (where area_type = 'council') as first_council_code
    from marts.indicator_values
    where value is not null
    group by indicator_id
)
select i.*, c.first_period, c.last_period, c.periods, c.area_types, c.first_council_code
from meta.indicators as i
left join coverage as c using (indicator_id)
order by i.soa_priority, i.indicator_id
