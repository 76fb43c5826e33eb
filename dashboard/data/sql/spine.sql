-- Area Profiles spine chart: for each indicator of one SOA priority, the area's latest observed value
-- (as the Quick profile shows it)
-- and CI, Scotland's value, and the spread (min, quartiles, max) over every area of the
-- same type in the same period. Grain: one row per indicator with data for the area.
with area_latest as (
    select v.indicator_id, v.period_label, v.period_year, v.value, v.ci_lower, v.ci_upper, v.is_suppressed
    from marts.indicator_values as v
    join meta.indicators as i using (indicator_id)
    where v.area_type = $area_type and v.area_code = $area_code and i.soa_priority = $theme
    qualify row_number() over (partition by v.indicator_id
                               order by case v.value_type when 'raw' then 0 when 'projected' then 2 else 1 end,
                                        v.period_year desc, v.period_label desc) = 1
),

spread as (
    select v.indicator_id,
           count(v.value) as areas,
           min(v.value) as min_value,
           quantile_cont(v.value, 0.25) as q1_value,
           median(v.value) as median_value,
           quantile_cont(v.value, 0.75) as q3_value,
           max(v.value) as max_value
    from marts.indicator_values as v
    join area_latest as l on l.indicator_id = v.indicator_id and l.period_label = v.period_label
    where v.area_type = $area_type and v.value is not null
    group by v.indicator_id
),

scotland as (
    select v.indicator_id, v.value as scotland_value
    from marts.indicator_values as v
    join area_latest as l on l.indicator_id = v.indicator_id and l.period_label = v.period_label
    where v.area_type = 'scotland'
)

select l.indicator_id, i.short_title, i.unit_label, i.polarity, l.period_label, l.value, l.ci_lower, l.ci_upper,
       l.is_suppressed, s.scotland_value, p.areas, p.min_value, p.q1_value, p.median_value, p.q3_value, p.max_value
from area_latest as l
join meta.indicators as i using (indicator_id)
left join spread as p using (indicator_id)
left join scotland as s using (indicator_id)
order by i.short_title
