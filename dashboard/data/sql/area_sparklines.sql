-- Quick Profile: every indicator's series for one area (sparklines), oldest first; the publisher's
-- projections are left out (a sparkline ends at the latest value the profile shows).
select indicator_id, period_label, period_year, value, is_suppressed, value_type
from marts.indicator_values
where area_type = $area_type and area_code = $area_code and value_type <> 'projected'
order by indicator_id, period_year, period_label
