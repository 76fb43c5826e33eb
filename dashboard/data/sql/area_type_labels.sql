-- Every area type of the catalogue with its labels, in display order (one row per area type;
-- the columns of meta.area_types, so an older warehouse without plural labels still answers).
select * from meta.area_types
order by sort_order, area_type
