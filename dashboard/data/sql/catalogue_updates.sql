-- When each indicator's source was last updated and is next due (one row per indicator).
select indicator_id, last_update, next_update
from meta.indicators
order by indicator_id
