-- One area (zero rows when the type/code pair does not exist), with its best-fit caveat:
-- fit_quality / footprint_share from marts.areas and the area type's caveat sentence.
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
    t.caveat as fit_caveat
from marts.areas as a
left join meta.area_types as t using (area_type)
where a.area_type = $area_type and a.area_code = $area_code
