-- Data Explorer: the datasets behind this build. Grain: one row per dataset - a statistics.gov.scot
-- download (one file per release), or the whole folder of any other source (SIMD, population
-- estimates, boundaries, ...). Its releases, the newest release's files with their sha256, and
-- the indicators that use it (meta.indicator_mappings: a side names its dataset; a population
-- side without one reads the NRS small-area population estimates).
with files as (
    select
        source,
        case when source = 'statistics_gov_scot' then regexp_replace(file_name, '\.csv$', '') else source end
            as dataset,
        release, file_name, size_bytes, sha256
    from meta.sources
),

releases as (
    select source, dataset, max(release) as newest_release, list(distinct release order by release) as releases
    from files
    group by source, dataset
),

newest_files as (
    select
        f.source, f.dataset,
        list(f.file_name order by f.file_name) as file_names,
        list(f.sha256 order by f.file_name) as sha256s,
        sum(f.size_bytes) as size_bytes
    from files as f
    join releases as r on r.source = f.source and r.dataset = f.dataset and r.newest_release = f.release
    group by f.source, f.dataset
),

known_sources as (
    select distinct source from meta.sources
),

-- a mapping's dataset belongs to the source folder named like it (simd-indicators -> simd_indicators,
-- cpop-cpp -> cpop, scotpho-ca -> scotpho); any other dataset is a statistics.gov.scot download, and a
-- population side without a dataset reads the NRS small-area population estimates
uses as (
    select distinct
        coalesce(s1.source, s2.source,
                 case when m.dataset is null then 'nrs_sape' else 'statistics_gov_scot' end) as source,
        coalesce(s1.source, s2.source, coalesce(m.dataset, 'nrs_sape')) as dataset,
        m.indicator_id
    from meta.indicator_mappings as m
    left join known_sources as s1 on s1.source = replace(m.dataset, '-', '_')
    left join known_sources as s2 on s2.source = split_part(m.dataset, '-', 1)
),

used_by as (
    select
        u.source, u.dataset,
        list(u.indicator_id order by i.soa_priority, u.indicator_id) as indicator_ids,
        list(i.title order by i.soa_priority, u.indicator_id) as indicator_titles,
        list(distinct i.soa_priority order by i.soa_priority) as soa_priorities
    from uses as u
    join meta.indicators as i using (indicator_id)
    group by u.source, u.dataset
),

final as (
    select
        r.source, r.dataset, r.newest_release, r.releases, n.file_names, n.sha256s, n.size_bytes,
        coalesce(b.indicator_ids, []) as indicator_ids,
        coalesce(b.indicator_titles, []) as indicator_titles,
        coalesce(b.soa_priorities, []) as soa_priorities
    from releases as r
    join newest_files as n using (source, dataset)
    left join used_by as b using (source, dataset)
)

select * from final
order by source, dataset
