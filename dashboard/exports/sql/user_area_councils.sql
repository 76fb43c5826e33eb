-- The councils a set of data zones lies in (one join + GROUP BY over the data zone bridge).
select b.area_code as council_code, a.area_name as council_name, count(*) as datazones
from core.bridge_datazone_area as b
inner join marts.areas as a on a.area_type = 'council' and a.area_code = b.area_code
where b.area_type = 'council' and b.datazone_code in (select unnest($codes::varchar[]))
group by all
order by datazones desc
