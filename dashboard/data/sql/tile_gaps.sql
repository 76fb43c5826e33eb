-- Home tiles: per indicator, the headline deprivation-gap verdict (is_headline: the one every
-- page and export shows) in the parent area (a council, or Scotland).
select indicator_id, verdict as gap_verdict
from marts.inequality_trend
where area_type = $parent_type and area_code = $parent_code and is_headline
