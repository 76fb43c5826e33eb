-- Is the gap between the most and least deprived narrowing? One row per indicator x basis x
-- measure for a parent area (a council, or Scotland) from marts.inequality_trend.
select indicator_id, basis, measure, is_headline, verdict, p_value, n_points, first_period_label, last_period_label
from marts.inequality_trend
where area_type = $parent_type and area_code = $parent_code
order by indicator_id, basis, measure
