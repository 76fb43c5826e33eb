-- The sources and releases read for this build (About page): one row per source x release, with how
-- many files; file names, sizes and checksums stay in meta.sources for researchers.
select source, release, count(*) as files from meta.sources group by source, release order by source, release
