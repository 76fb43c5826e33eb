-- Type-ahead: areas of one type whose name or code contains $text (case-insensitive).
-- Best matches first: exact, then prefix, then word-prefix, then anywhere; then by name.
with params as (
    select lower(trim($text)) as needle
),

candidates as (
    select
        a.area_code,
        a.area_name,
        a.council_name,
        lower(a.area_name) as name_lc,
        lower(a.area_code) as code_lc,
        p.needle
    from marts.areas as a
    cross join params as p
    where a.area_type = $area_type
      and (p.needle = '' or contains(lower(a.area_name), p.needle) or contains(lower(a.area_code), p.needle))
),

final as (
    select
        area_code,
        area_name,
        council_name,
        case
            when needle = '' then 3
            when name_lc = needle or code_lc = needle then 0
            when starts_with(name_lc, needle) or starts_with(code_lc, needle) then 1
            when contains(' ' || name_lc, ' ' || needle) then 2
            else 3
        end as match_rank
    from candidates
)

select area_code, area_name, council_name, match_rank
from final
order by match_rank, area_name, area_code
limit $limit
