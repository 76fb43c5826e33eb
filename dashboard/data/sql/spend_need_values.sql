-- One need measure for every area of one type in one council, in the one period nearest the
-- spend's $year (the later on a tie) that the council's areas have values for, with the
-- council's own value for that period (the line that splits higher from lower need). Withheld
-- values (disclosure control) stay NULL. Grain: one row per area, plus one row for the council
-- (is_council = true).
with areas as (
    select area_code, area_name
    from marts.areas
    where area_type = $area_type and council_code = $council
),

area_values as (
    select v.area_code, v.period_label, v.period_year, v.value, v.is_suppressed
    from marts.indicator_values as v
    inner join areas as a using (area_code)
    where v.area_type = $area_type and v.indicator_id = $indicator
),

period as (
    select period_label, period_year
    from area_values
    where value is not null
    group by period_label, period_year
    order by abs(period_year - $year), period_year desc, period_label desc
    limit 1
),

final as (
    select a.area_code, a.area_name, p.period_label as need_period, v.value as need_value,
           coalesce(v.is_suppressed, false) as is_suppressed, false as is_council
    from areas as a
    cross join period as p
    left join area_values as v on v.area_code = a.area_code and v.period_label = p.period_label
    union all
    select v.area_code, null as area_name, p.period_label, v.value, v.is_suppressed, true
    from marts.indicator_values as v
    inner join period as p using (period_label)
    where v.area_type = 'council' and v.area_code = $council and v.indicator_id = $indicator
)

select *
from final
order by is_council, area_code
