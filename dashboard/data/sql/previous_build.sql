-- The build this warehouse replaced (no row when none was kept).
select build_id, built_at, code_version, demo, source_releases
from meta.previous_build
