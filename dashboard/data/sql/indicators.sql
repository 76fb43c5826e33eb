-- The indicator catalogue fields the dashboard shows (one row per indicator), with the local
-- dataset's marking (is_local, its organisation and sharing restriction; NULL for national ones).
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
    rolling_years,
    is_local,
    local_organisation,
    sharing_restriction
from meta.indicators
order by soa_priority, indicator_id
