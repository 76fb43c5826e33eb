-- The indicator catalogue fields the dashboard shows (one row per indicator).
select
    indicator_id,
    title,
    short_title,
    soa_priority,
    soa_priority_label,
    definition,
    measure_type,
    unit_label,
    polarity,
    ci_method,
    period_type,
    rolling_years
from meta.indicators
order by soa_priority, indicator_id
