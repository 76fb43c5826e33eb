-- The comparators of a user-made area: Scotland's series for every indicator and, when the
-- area lies in one council ($council_code, else NULL), that council's. Two filtered reads (each
-- skips the row groups of other area types), not one read with OR.
with scotland as (
    select 'scotland' as role, v.*
    from marts.indicator_values as v
    where v.area_type = 'scotland'
),

council as (
    select 'council' as role, v.*
    from marts.indicator_values as v
    where v.area_type = 'council' and v.area_code = $council_code
)

select c.role, a.area_name, c.* exclude (role)
from (select * from scotland union all select * from council) as c
inner join marts.areas as a using (area_type, area_code)
order by c.role desc, c.indicator_id, c.period_year, c.period_label
