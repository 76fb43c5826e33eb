-- core.fct_published_value
-- grain: one row per indicator x area x period x release x dataset: the publisher's own figure
-- for an area it publishes (the catalogue's data.published entries), exactly as published, with
-- its value type (raw, imputed, projected), published interval and release. Every release and
-- every dataset is kept (marts.indicator_releases).
-- is_shown marks the one marts.indicator_values shows:
-- * a dataset's newer release replaces its whole series for an area (a period the publisher
--   dropped from its newest release is not shown from an older one);
-- * an entry marked fallback (CPOP's app CSV behind its CPP workbook) is used for an area only
--   when no other entry has figures for that area, so two versions of a series never mix;
-- * otherwise the entry the catalogue lists first wins a period (datasets that complement each
--   other, such as a ScotPHO time series and its latest-year extract, both show).
-- Speed: these rules are GROUP BYs joined back, not window functions (DuckDB's windows over
-- hundreds of thousands of small partitions took ~1.5 s more on real Scotland).
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
        m.indicator_id, m.side_index, m.is_fallback, o.dataset, a.area_type, o.feature_code AS area_code,
        o.period_label, o.period_year, o.value, o.is_withheld, o.value_type, o.ci_lower, o.ci_upper,
        o.source_release AS release, o.is_revised, o.previous_value, o.previous_release,
        o._source_file, o._source_sheet, o._source_row, o._source_column
    FROM mappings AS m
    JOIN core.fct_observation AS o
        ON o.dataset = m.dataset
       AND o.measurement = m.measurement
       AND o.units = m.units
       AND list_has_all(map_entries(o.dimensions), map_entries(m.dimensions))
    JOIN area_types AS a ON a.area_code = o.feature_code
    -- one row per dataset and release (two entries naming one dataset would repeat it)
    QUALIFY row_number() OVER (PARTITION BY m.indicator_id, a.area_type, o.feature_code, o.period_label,
                                            o.source_release, o.dataset ORDER BY m.side_index) = 1
),
datasets AS (
    -- per area and dataset: its newest release, and whether the area has a main (not fallback) entry
    SELECT indicator_id, area_type, area_code, dataset, newest_release,
        bool_or(has_main) OVER (PARTITION BY indicator_id, area_type, area_code) AS has_main_entry
    FROM (SELECT indicator_id, area_type, area_code, dataset, max(release) AS newest_release,
                 bool_or(NOT is_fallback) AS has_main
          FROM picked GROUP BY ALL)
),
candidates AS (
    SELECT p.*, p.release = d.newest_release AND (NOT p.is_fallback OR NOT d.has_main_entry) AS is_candidate
    FROM picked AS p JOIN datasets AS d USING (indicator_id, area_type, area_code, dataset)
),
firsts AS (
    -- the candidate the catalogue lists first; a period has at most one candidate per entry (one
    -- row per dataset and release, and only the dataset's newest release is a candidate)
    SELECT indicator_id, area_type, area_code, period_label, min(side_index) AS first_index
    FROM candidates WHERE is_candidate GROUP BY ALL
),
final AS (
    SELECT c.* EXCLUDE (side_index, is_fallback, is_candidate),
        c.is_candidate AND coalesce(c.side_index = f.first_index, false) AS is_shown
    FROM candidates AS c
    LEFT JOIN firsts AS f USING (indicator_id, area_type, area_code, period_label)
)
SELECT * FROM final
ORDER BY indicator_id, area_type, area_code, period_label, release, dataset
