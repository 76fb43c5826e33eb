-- The complement of each exposed equation (rules 1 of exposed_cells.sql and exposed_group_cells.sql;
-- result: ip, family, complement). Spliced into those files where they write
-- /*choose_complement*/, after CTEs `exposed_parts` (ip, family, hidden_sum, hidden_complement,
-- hidden_unknown, min_count, is_percentage: the equations whose hidden part is one cell or adds
-- up to less than min_count) and `part_members` (ip, family, area, numerator, true_complement,
-- is_hidden). The visible part with the smallest count that lifts the hidden part (and, for a
-- percentage, its complement) to min_count (ties: smallest code); where none does, the one that
-- lifts it most.
SELECT s.ip, s.family,
       coalesce(arg_min(m.area, (m.numerator, m.area)) FILTER (WHERE lifts_hidden_part(
                    s.hidden_unknown, s.hidden_sum, s.hidden_complement, m.numerator, m.true_complement,
                    s.min_count, s.is_percentage)),
                arg_max(m.area, (hidden_part_lift(m.numerator, m.true_complement), -m.area))) AS complement
FROM exposed_parts AS s
JOIN part_members AS m ON m.ip = s.ip AND m.family = s.family AND NOT m.is_hidden
GROUP BY s.ip, s.family
