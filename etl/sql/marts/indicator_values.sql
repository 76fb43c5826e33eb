-- marts.indicator_values
-- grain: one row per indicator x area x period.
-- The publisher's figure first: where the catalogue names a published figure for an area
-- (core.fct_published_value.is_shown: the newest release), it is shown exactly as published, with its value
-- type (raw, imputed, projected), release and published interval. Counts that reproduce it (to
-- 4 significant figures; the publisher's own counts for that area, or their sum) are shown
-- beside it, with the interval computed from them when the publisher gives none. Every other area (the ones no publisher publishes:
-- wards, localities, HSCPs, health boards, user-made areas; and every area of a series that only
-- comes as counts) is computed from summed counts (marts.computed_values: ratio of sums,
-- intervals, disclosure control, estimates for cells withheld at source).
-- A figure the publisher withheld stays withheld: it is never filled in from counts.
WITH computed AS (
    SELECT * FROM marts.computed_values
),
valid_geographies AS (
    SELECT indicator_id, unnest(geographies) AS area_type FROM meta.indicators
),
published AS (
    SELECT p.* FROM core.fct_published_value AS p
    SEMI JOIN valid_geographies AS g USING (indicator_id, area_type)
    WHERE p.is_shown
),
paired AS (
    SELECT
        coalesce(p.indicator_id, c.indicator_id) AS indicator_id,
        coalesce(p.area_type, c.area_type) AS area_type,
        coalesce(p.area_code, c.area_code) AS area_code,
        coalesce(p.period_label, c.period_label) AS period_label,
        coalesce(p.period_year, c.period_year) AS period_year,
        p.indicator_id IS NOT NULL AS is_published,
        p.value AS published_value, p.is_withheld AS published_withheld, p.value_type AS published_type,
        p.ci_lower AS published_lower, p.ci_upper AS published_upper, p.release AS published_release,
        p.is_revised AS published_revised,
        -- counts that reproduce the published figure (to 4 significant figures: within half a
        -- unit of its 4th significant figure) go with it
        c.value IS NOT NULL AND p.value IS NOT NULL AND NOT c.is_estimated
            AND CASE WHEN p.value = 0 THEN c.value = 0
                     ELSE abs(c.value - p.value) <= 0.5 * pow(10, floor(log10(abs(p.value))) - 3) END
            AS counts_agree,
        c.* EXCLUDE (indicator_id, area_type, area_code, period_label, period_year)
    FROM published AS p
    FULL OUTER JOIN computed AS c
        ON c.indicator_id = p.indicator_id AND c.area_type = p.area_type AND c.area_code = p.area_code
       AND c.period_label = p.period_label
),
final AS (
    SELECT
        indicator_id,
        area_type,
        area_code,
        period_label,
        period_year,
        CASE WHEN NOT is_published OR counts_agree THEN numerator END AS numerator,
        CASE WHEN NOT is_published OR counts_agree THEN denominator END AS denominator,
        CASE WHEN is_published THEN published_value ELSE value END AS value,
        CASE WHEN NOT is_published THEN ci_lower
             WHEN published_lower IS NOT NULL THEN published_lower
             WHEN counts_agree THEN ci_lower END AS ci_lower,
        CASE WHEN NOT is_published THEN ci_upper
             WHEN published_upper IS NOT NULL THEN published_upper
             WHEN counts_agree THEN ci_upper END AS ci_upper,
        -- a published figure the publisher left blank where its own count is withheld is withheld too
        CASE WHEN is_published THEN published_withheld OR (published_value IS NULL AND coalesce(is_suppressed, false))
             ELSE is_suppressed END AS is_suppressed,
        CASE WHEN NOT is_published THEN suppression_reason
             WHEN published_withheld THEN 'withheld at source by the publisher'
             WHEN published_value IS NULL AND coalesce(is_suppressed, false) THEN suppression_reason END
            AS suppression_reason,
        CASE WHEN is_published THEN coalesce(published_revised, false) ELSE is_revised END AS is_revised,
        CASE WHEN is_published THEN published_type ELSE value_type END AS value_type,
        CASE WHEN is_published THEN 'published' ELSE value_source END AS value_source,
        CASE WHEN is_published THEN false ELSE is_estimated END AS is_estimated,
        CASE WHEN is_published THEN 0 ELSE withheld_members END AS withheld_members,
        members,
        CASE WHEN is_published THEN published_release ELSE source_release END AS source_release,
        coalesce(CASE WHEN is_published THEN counts_agree AND is_low_reliability ELSE is_low_reliability END, false)
            AS is_low_reliability,
        CASE WHEN NOT is_published OR counts_agree THEN note END AS note
    FROM paired
)
SELECT * FROM final
ORDER BY indicator_id, area_type, area_code, period_year
