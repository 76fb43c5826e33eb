-- core.fct_indicator_feature
-- grain: one row per indicator x feature (data zone, intermediate zone, council or Scotland)
-- x period x age band (age band only for age-standardised indicators): the counts (or an
-- intensive value) that areas are built from.
-- Numerators, denominators and values are picked from the newest release of each observation
-- by the catalogue's declarative mapping (meta.indicator_mappings); population denominators
-- are summed from core.fct_population_datazone over the ages and years the mapping names
-- (ratio of sums for multi-year periods), or taken from NRS's intermediate-zone estimates
-- (staging.nrs__population_iz) for a zone and year with no data-zone estimates. A missing
-- source value stays NULL: never zero.
--
-- is_build_level: the finest feature type with counts for the indicator. Only those features
-- are summed into areas; counts a publisher gives for a coarser area (CPOP's intermediate-zone
-- counts beside its data-zone counts) are that area's own figures (marts.indicator_sums,
-- "direct"), because publishers round each geography separately.
--
-- Cells withheld at source (is_withheld: the publisher's '..' or '*') have numerator NULL. For
-- an indicator whose catalogue gives disclosure.withheld_range [lower, upper], each withheld
-- data zone gets numerator_lower/upper = those bounds and numerator_estimate = the rest of its
-- intermediate zone's own published count (same indicator and period) shared equally among the
-- zone's withheld data zones, clamped to the bounds; the midpoint of the bounds when the
-- intermediate zone's count is not published. Visible cells have estimate = bounds = count.
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
        o.value, o.is_withheld, o.is_revised, o.source_release
    FROM mappings AS m
    JOIN core.fct_observation AS o
        ON o.dataset = m.dataset
       AND o.measurement = m.measurement
       AND o.units = m.units
       AND list_has_all(map_entries(o.dimensions), map_entries(m.dimensions))
    WHERE m.dataset IS NOT NULL AND m.side IN ('numerator', 'denominator', 'value') AND o.is_newest
),
side_sums AS (
    -- several rows can share an age band (e.g. 0-4 and 5-9 both in band 0 only when bands are finer)
    SELECT indicator_id, side, feature_code, period_label,
        any_value(period_year) AS period_year,
        any_value(population_year_from) AS population_year_from,
        any_value(population_year_to) AS population_year_to,
        age_band,
        CASE WHEN count(value) = count(*) THEN sum(value) END AS value,
        bool_or(is_withheld) AS is_withheld,
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
population_by_zone AS (
    -- NRS's own intermediate-zone estimates, for years with no data-zone estimates
    SELECT s.age_from AS side_from, s.age_to AS side_to, s.by_band, p.intermediate_zone_code AS feature_code, p.year,
        CASE WHEN s.by_band THEN least(90, (p.age_from // 5) * 5) END AS age_band,
        sum(p.population) AS population
    FROM staging.nrs__population_iz AS p
    JOIN population_sides AS s
        ON (p.age_from >= s.age_from AND p.age_to <= s.age_to)
        OR (p.age_from IS NULL AND s.age_from = 0 AND s.age_to = 90 AND NOT s.by_band)
    WHERE p.sex = 'All'
    GROUP BY ALL
),
populations AS (
    SELECT * FROM population_by_side
    UNION ALL
    SELECT z.* FROM population_by_zone AS z
    ANTI JOIN (SELECT DISTINCT feature_code, year FROM population_by_side) AS d USING (feature_code, year)
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
    -- Each year matches at most one row (one numerator or value side and one denominator per
    -- indicator; one population row per side x feature x year x band), so count(*) counts years.
    SELECT y.indicator_id, y.feature_code, y.period_label, y.age_band,
        sum(p.population) AS denominator
    FROM numerator_years AS y
    JOIN populations AS p
        ON p.side_from = y.population_age_from AND p.side_to = y.population_age_to
       AND p.by_band = y.population_by_age_band AND p.feature_code = y.feature_code AND p.year = y.year
       AND p.age_band IS NOT DISTINCT FROM y.age_band
    GROUP BY ALL
    HAVING count(*) = max(y.years_needed)
),
joined AS (
    SELECT
        n.indicator_id,
        ft.feature_type,
        n.feature_code,
        n.period_label,
        n.period_year,
        n.age_band,
        n.side,
        CASE WHEN n.side = 'numerator' THEN n.value END AS numerator,
        coalesce(dd.value, pd.denominator) AS denominator,
        CASE WHEN n.side = 'value' THEN n.value END AS value,
        n.is_withheld,
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
),
build_levels AS (
    -- the finest feature type with counts (data zone < intermediate zone < council < Scotland)
    SELECT indicator_id,
           arg_min(feature_type, CASE feature_type WHEN 'datazone' THEN 1 WHEN 'intermediate_zone' THEN 2
                                                   WHEN 'council' THEN 3 ELSE 4 END) AS build_type
    FROM joined WHERE side = 'numerator'
    GROUP BY indicator_id
),
bounds AS (
    SELECT indicator_id, withheld_lower, withheld_upper FROM meta.indicators WHERE withheld_upper IS NOT NULL
),
datazone_cells AS (
    SELECT j.indicator_id, j.feature_code, j.period_label, j.age_band, j.numerator, j.is_withheld,
           b.area_code AS intermediate_zone_code
    FROM joined AS j
    JOIN core.bridge_datazone_area AS b ON b.datazone_code = j.feature_code AND b.area_type = 'intermediate_zone'
    WHERE j.side = 'numerator' AND j.feature_type = 'datazone'
      AND j.indicator_id IN (SELECT indicator_id FROM bounds)
),
zone_rests AS (
    -- per intermediate zone: its own published count minus its visible data zones, per withheld one
    SELECT c.indicator_id, c.intermediate_zone_code, c.period_label, c.age_band,
           (any_value(iz.numerator) - sum(c.numerator)) / count(*) FILTER (WHERE c.is_withheld) AS rest_per_cell
    FROM datazone_cells AS c
    JOIN joined AS iz
        ON iz.indicator_id = c.indicator_id AND iz.feature_code = c.intermediate_zone_code AND iz.side = 'numerator'
       AND iz.period_label = c.period_label AND iz.age_band IS NOT DISTINCT FROM c.age_band
       AND iz.numerator IS NOT NULL
    GROUP BY ALL
    HAVING count(*) FILTER (WHERE c.is_withheld) > 0
),
estimates AS (
    SELECT c.indicator_id, c.feature_code, c.period_label, c.age_band,
           least(b.withheld_upper, greatest(b.withheld_lower,
                 coalesce(r.rest_per_cell, (b.withheld_lower + b.withheld_upper) / 2))) AS estimate,
           b.withheld_lower, b.withheld_upper
    FROM datazone_cells AS c
    JOIN bounds AS b USING (indicator_id)
    LEFT JOIN zone_rests AS r
        ON r.indicator_id = c.indicator_id AND r.intermediate_zone_code = c.intermediate_zone_code
       AND r.period_label = c.period_label AND r.age_band IS NOT DISTINCT FROM c.age_band
    WHERE c.is_withheld AND c.age_band IS NULL
),
final AS (
    SELECT
        j.indicator_id, j.feature_type, j.feature_code, j.period_label, j.period_year, j.age_band,
        j.numerator, j.denominator, j.value, j.is_withheld,
        coalesce(j.numerator, e.estimate) AS numerator_estimate,
        coalesce(j.numerator, e.withheld_lower) AS numerator_lower,
        coalesce(j.numerator, e.withheld_upper) AS numerator_upper,
        j.feature_type = coalesce(bl.build_type, j.feature_type) AS is_build_level,
        j.is_revised, j.source_release
    FROM joined AS j
    LEFT JOIN build_levels AS bl USING (indicator_id)
    LEFT JOIN estimates AS e
        ON e.indicator_id = j.indicator_id AND e.feature_code = j.feature_code AND e.period_label = j.period_label
       AND e.age_band IS NOT DISTINCT FROM j.age_band AND j.feature_type = 'datazone'
)
SELECT * FROM final
-- ordered by feature so on-demand queries for a few data zones (user-made areas) skip row groups
ORDER BY feature_type, feature_code, indicator_id, period_label
