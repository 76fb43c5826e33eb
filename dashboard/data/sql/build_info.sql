-- Provenance of the build shown in the page footer (one row).
select build_id, built_at, code_version, schema_version, demo
from meta.build_info
limit 1
