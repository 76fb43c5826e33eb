-- The public tables present in this build (statistics marts land over time).
select schema_name, table_name
from duckdb_tables()
where schema_name in ('marts', 'meta')
order by schema_name, table_name
