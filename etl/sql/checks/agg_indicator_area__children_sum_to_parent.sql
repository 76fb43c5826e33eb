-- For every partitioning area type, the areas' numerators and denominators add up to Scotland's
-- (checked before suppression, on core.agg_indicator_area).
-- Counts a publisher gives for an area itself (is_direct) are rounded separately and left out.
WITH sums AS (
    SELECT s.*, t.is_partition FROM core.agg_indicator_area AS s JOIN meta.area_types AS t USING (area_type)
    WHERE NOT s.is_direct
),
by_type AS (
    SELECT indicator_id, period_label, age_band, area_type,
           sum(numerator) AS numerator, sum(denominator) AS denominator, count(*) - count(numerator) AS unknown
    FROM sums WHERE is_partition AND area_type <> 'scotland' GROUP BY ALL
),
country AS (
    SELECT indicator_id, period_label, age_band, numerator, denominator FROM sums WHERE area_type = 'scotland'
)
SELECT b.indicator_id, b.period_label, b.age_band, b.area_type, b.numerator, c.numerator AS scotland_numerator,
       b.denominator, c.denominator AS scotland_denominator
FROM by_type AS b JOIN country AS c
    ON c.indicator_id = b.indicator_id AND c.period_label = b.period_label AND c.age_band IS NOT DISTINCT FROM b.age_band
WHERE b.unknown = 0 AND c.numerator IS NOT NULL
  AND (abs(b.numerator - c.numerator) > 1e-6 * greatest(1, abs(c.numerator))
       OR abs(b.denominator - c.denominator) > 1e-6 * greatest(1, abs(c.denominator)))
