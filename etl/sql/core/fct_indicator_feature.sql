-- core.fct_indicator_feature
-- grain: one row per indicator x published feature (data zone, intermediate zone, council or
-- Scotland) x period x age band (age band only for age-standardised indicators).
-- Numerators, denominators and values picked from the observations by the catalogue's
-- declarative mapping (meta.indicator_mappings); population denominators are summed from
-- core.fct_population_datazone over the ages and years the mapping names (ratio of sums for
-- multi-year periods). A missing source value stays NULL: it is never treated as zero.
WITH mappings AS (
    SELECT * FROM meta.indicator_mappings
),
feature_types AS (
    SELECT area_code AS feature_code, min(area_type) AS feature_type
    FROM core.dim_area
    WHERE area_type IN ('datazone', 'intermediate_zone', 'council', 'scotland')
    GROUP BY ALL
),
picked AS (
    SELECT
        m.indicator_id, m.side, o.feature_code, o.period_label, o.period_year,
        o.population_year_from, o.population_year_to,
        CASE WHEN m.age_dimension IS NOT NULL
             THEN least(90, (CAST(regexp_extract(o.dimensions[m.age_dimension], '^\s*(\d+)', 1) AS INTEGER) // 5) * 5)
        END AS age_band,
        o.value, o.is_revised, o.source_release
    FROM mappings AS m
    JOIN core.fct_observation AS o
        ON o.dataset = m.dataset
       AND o.measurement = m.measurement
       AND o.units = m.units
       AND list_has_all(map_entries(o.dimensions), map_entries(m.dimensions))
    WHERE m.dataset IS NOT NULL
),
side_sums AS (
    -- several rows can share an age band (e.g. 0-4 and 5-9 both in band 0 only when bands are finer)
    SELECT indicator_id, side, feature_code, period_label,
        any_value(period_year) AS period_year,
        any_value(population_year_from) AS population_year_from,
        any_value(population_year_to) AS population_year_to,
        age_band,
        CASE WHEN count(value) = count(*) THEN sum(value) END AS value,
        bool_or(is_revised) AS is_revised,
        max(source_release) AS source_release
    FROM picked GROUP BY indicator_id, side, feature_code, period_label, age_band
),
numerators AS (
    SELECT * FROM side_sums WHERE side IN ('numerator', 'value')
),
dataset_denominators AS (
    SELECT * FROM side_sums WHERE side = 'denominator'
),
population_sides AS (
    SELECT DISTINCT population_age_from AS age_from, population_age_to AS age_to, population_by_age_band AS by_band
    FROM mappings WHERE side = 'denominator' AND population_age_from IS NOT NULL
),
population_by_side AS (
    -- each distinct population denominator once per feature (data zone or IZ) x year (x band)
    SELECT s.age_from AS side_from, s.age_to AS side_to, s.by_band, b.area_code AS feature_code, p.year,
        CASE WHEN s.by_band THEN least(90, (p.age_from // 5) * 5) END AS age_band,
        sum(p.population) AS population
    FROM core.fct_population_datazone AS p
    JOIN core.bridge_datazone_area AS b USING (datazone_code)
    JOIN population_sides AS s
        ON (p.age_from >= s.age_from AND p.age_to <= s.age_to)
        -- a year published as totals only serves all-ages denominators
        OR (p.age_from IS NULL AND s.age_from = 0 AND s.age_to = 90 AND NOT s.by_band)
    WHERE p.sex = 'All' AND b.area_type IN ('datazone', 'intermediate_zone')
    GROUP BY ALL
),
numerator_years AS (
    SELECT n.indicator_id, n.feature_code, n.period_label, n.age_band,
        m.population_age_from, m.population_age_to, m.population_by_age_band,
        n.population_year_to - n.population_year_from + 1 AS years_needed,
        unnest(range(n.population_year_from, n.population_year_to + 1)) AS year
    FROM numerators AS n
    JOIN mappings AS m ON m.indicator_id = n.indicator_id AND m.side = 'denominator' AND m.population_age_from IS NOT NULL
),
population_denominators AS (
    -- ratio of sums for multi-year periods: the population of every year in the period is summed.
    -- Each year matches at most one row: numerator_years has one row per year (the catalogue
    -- gives an indicator one numerator or value side and one denominator) and population_by_side
    -- one per side x feature x year x band, so count(*) counts the years found (count(DISTINCT)
    -- gave the same, at a quarter of this stage's time).
    SELECT y.indicator_id, y.feature_code, y.period_label, y.age_band,
        sum(p.population) AS denominator
    FROM numerator_years AS y
    JOIN population_by_side AS p
        ON p.side_from = y.population_age_from AND p.side_to = y.population_age_to
       AND p.by_band = y.population_by_age_band AND p.feature_code = y.feature_code AND p.year = y.year
       AND p.age_band IS NOT DISTINCT FROM y.age_band
    GROUP BY ALL
    HAVING count(*) = max(y.years_needed)
),
final AS (
    SELECT
        n.indicator_id,
        ft.feature_type,
        n.feature_code,
        n.period_label,
        n.period_year,
        n.age_band,
        CASE WHEN n.side = 'numerator' THEN n.value END AS numerator,
        coalesce(dd.value, pd.denominator) AS denominator,
        CASE WHEN n.side = 'value' THEN n.value END AS value,
        n.is_revised OR coalesce(dd.is_revised, false) AS is_revised,
        greatest(n.source_release, coalesce(dd.source_release, n.source_release)) AS source_release
    FROM numerators AS n
    JOIN feature_types AS ft USING (feature_code)
    LEFT JOIN dataset_denominators AS dd
        ON dd.indicator_id = n.indicator_id AND dd.feature_code = n.feature_code
       AND dd.period_label = n.period_label AND dd.age_band IS NOT DISTINCT FROM n.age_band
    LEFT JOIN population_denominators AS pd
        ON pd.indicator_id = n.indicator_id AND pd.feature_code = n.feature_code
       AND pd.period_label = n.period_label AND pd.age_band IS NOT DISTINCT FROM n.age_band
)
SELECT * FROM final
-- ordered by feature so on-demand queries for a few data zones (user-made areas) skip row groups
ORDER BY feature_type, feature_code, indicator_id, period_label
