-- marts.indicator_releases
-- grain: one row per indicator x area x period x release x dataset of a publisher's own figure.
-- Every release that loaded stays queryable here (marts.indicator_values shows one, is_shown):
-- the Improvement Service's Aug-2022 and Sep-2023 CPOP releases side by side, and CPOP's CPP
-- workbook beside the same release's web-app CSV, for example.
-- is_revised: this release differs from the one before it (changed, withheld or newly released).
WITH valid_geographies AS (
    SELECT indicator_id, unnest(geographies) AS area_type FROM meta.indicators
),
final AS (
    SELECT
        p.indicator_id, p.area_type, p.area_code, p.period_label, p.period_year,
        p.release, p.dataset, p.is_shown, p.value, p.is_withheld, p.value_type, p.ci_lower, p.ci_upper,
        p.previous_release, p.previous_value,
        p.previous_release IS NOT NULL AND (
            (p.value IS NULL) <> (p.previous_value IS NULL)
            OR abs(p.value - p.previous_value) > 1e-9 * greatest(abs(p.value), 1)) AS is_revised,
        p._source_file AS source_file, p._source_sheet AS source_sheet, p._source_row AS source_row
    FROM core.fct_published_value AS p
    SEMI JOIN valid_geographies AS g USING (indicator_id, area_type)
)
SELECT * FROM final
ORDER BY indicator_id, area_type, area_code, period_year, release, dataset
