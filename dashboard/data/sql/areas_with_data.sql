-- Area pickers: areas of one type that have at least one published (unsuppressed) value of
-- the indicator, matching $text (name or code, case-insensitive); best matches first.
with has_data as (
    select distinct area_code
    from marts.indicator_values
    where indicator_id = $indicator and area_type = $area_type and value is not null
),

candidates as (
    select a.area_code, a.area_name, a.council_name, lower(a.area_name) as name_lc, lower(a.area_code) as code_lc,
           lower(trim($text)) as needle
    from marts.areas as a
    semi join has_data as h using (area_code)
    where a.area_type = $area_type
)

select area_code, area_name, council_name,
       case when needle = '' then 3
            when name_lc = needle or code_lc = needle then 0
            when starts_with(name_lc, needle) or starts_with(code_lc, needle) then 1
            when contains(' ' || name_lc, ' ' || needle) then 2
            else 3 end as match_rank
from candidates
where needle = '' or contains(name_lc, needle) or contains(code_lc, needle)
order by match_rank, area_name, area_code
limit $limit
