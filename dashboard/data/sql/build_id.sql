-- The identity of the build being read; keys the query cache (one row).
select build_id from meta.build_info limit 1
