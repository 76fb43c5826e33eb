-- core.fct_published_value
-- grain: one row per indicator x area x period x release x dataset: the publisher's own figure
-- for an area it publishes (the catalogue's data.published entries), exactly as published, with
-- its value type (raw, imputed, projected), published interval and release. Every release and
-- every dataset is kept. is_shown marks the one marts.indicator_values shows: the newest
-- release, and within a release the dataset the catalogue lists first (CPOP's CPP workbook
-- before the same release's app CSV, see etl/sources/cpop/csvs.py).
WITH mappings AS (
    SELECT * FROM meta.indicator_mappings WHERE side = 'published'
),
area_types AS (
    SELECT area_code, min(area_type) AS area_type
    FROM core.dim_area
    WHERE area_type IN ('datazone', 'intermediate_zone', 'council', 'health_board', 'scotland')
    GROUP BY ALL
),
picked AS (
    SELECT
        m.indicator_id, m.side_index, o.dataset, a.area_type, o.feature_code AS area_code, o.period_label,
        o.period_year, o.value, o.is_withheld, o.value_type, o.ci_lower, o.ci_upper, o.source_release AS release,
        o.is_revised, o.previous_value, o.previous_release,
        o._source_file, o._source_sheet, o._source_row, o._source_column
    FROM mappings AS m
    JOIN core.fct_observation AS o
        ON o.dataset = m.dataset
       AND o.measurement = m.measurement
       AND o.units = m.units
       AND list_has_all(map_entries(o.dimensions), map_entries(m.dimensions))
    JOIN area_types AS a ON a.area_code = o.feature_code
),
final AS (
    SELECT * EXCLUDE (side_index),
        row_number() OVER (PARTITION BY indicator_id, area_type, area_code, period_label
                           ORDER BY release DESC, side_index) = 1 AS is_shown
    FROM picked
    -- one row per dataset and release (two entries naming one dataset would repeat it)
    QUALIFY row_number() OVER (PARTITION BY indicator_id, area_type, area_code, period_label, release, dataset
                               ORDER BY side_index) = 1
)
SELECT * FROM final
ORDER BY indicator_id, area_type, area_code, period_label, release, dataset
