-- Raw files behind this build (About page).
select source, release, file_name, size_bytes, sha256 from meta.sources order by source, release, file_name
