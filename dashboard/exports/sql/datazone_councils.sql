-- The council of every data zone (read once per build: a user-made area's council is looked up
-- from it, dashboard/exports/profile.py _user_context).
select b.datazone_code, b.area_code as council_code, a.area_name as council_name
from core.bridge_datazone_area as b
inner join marts.areas as a on a.area_type = 'council' and a.area_code = b.area_code
where b.area_type = 'council'
order by b.datazone_code
