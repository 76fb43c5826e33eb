-- Home tiles: per indicator, is the gap between most and least deprived (national quintiles,
-- absolute gap) narrowing or widening in the parent area (a council, or Scotland)?
select indicator_id, verdict as gap_verdict
from marts.inequality_trend
where area_type = $parent_type and area_code = $parent_code and basis = 'national_quintile'
  and measure = 'absolute_gap'
