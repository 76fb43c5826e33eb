-- Every area, one row each, with its best-fit caveat: fit_quality / footprint_share from
-- marts.areas, the area type's caveat sentence, and whether any area of the type has a measured
-- fit (wards: only when the build had ward boundaries). Read once per build (Queries.area looks
-- one area up in it), so a page's first request does not query its area and parent one by one.
select
    a.area_type,
    a.area_code,
    a.area_name,
    a.council_code,
    a.council_name,
    a.population,
    a.datazone_count,
    a.fit_quality,
    a.footprint_share,
    coalesce(t.is_best_fit, false) as is_best_fit,
    t.caveat as fit_caveat,
    -- is the fit measured for this area type at all (wards: only with ward boundaries)?
    bool_or(a.fit_quality is not null) over (partition by a.area_type) as type_fit_measured
from marts.areas as a
left join meta.area_types as t using (area_type)
order by a.area_type, a.area_code
