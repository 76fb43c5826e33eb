-- Which public tables this warehouse has (statistics marts land one by one): one row each.
select table_schema || '.' || table_name as table_name
from information_schema.tables
where table_schema in ('marts', 'meta')
order by 1
