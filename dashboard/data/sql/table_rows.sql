-- Advanced Tables: values for chosen indicators x one area type (optionally within a council), with
-- what kind of value each is (Queries.table_rows adds the dataset each comes from).
select
    i.short_title as indicator,
    a.area_name,
    v.area_code,
    v.period_label as period,
    v.numerator,
    v.denominator,
    v.value,
    v.ci_lower,
    v.ci_upper,
    i.unit_label as unit,
    v.is_suppressed as suppressed,
    v.suppression_reason,
    v.is_revised as revised,
    v.is_low_reliability as low_reliability,
    v.value_type,
    v.value_source,
    v.note,
    v.source_release,
    i.publisher,
    v.indicator_id,
    v.area_type,
    v.period_year
from marts.indicator_values as v
join marts.areas as a using (area_type, area_code)
join meta.indicators as i using (indicator_id)
where v.indicator_id in (select unnest($indicators::varchar[]))
  and v.area_type = $area_type
  and ($council is null or a.council_code = $council or v.area_code = $council)
order by i.short_title, a.area_name, v.period_year
