-- Data zones to hide so that no deprivation group (see group_members.sql) has exactly one
-- hidden data zone: the visible member with the smallest numerator (ties: smallest code) is
-- hidden as well. Only groups touched by the cells the last pass hid (disclosure_frontier) can
-- have changed; their hidden members are counted, and all members are read only for the few
-- groups found with exactly one hidden data zone.
WITH touched AS (
    SELECT DISTINCT m.indicator_id, m.period_label, m.family
    FROM disclosure_frontier AS f
    JOIN disclosure_group_members AS m
      ON m.indicator_id = f.indicator_id AND m.period_label = f.period_label AND m.datazone_code = f.area_code
    WHERE f.area_type = 'datazone'
),
touched_members AS (
    SELECT m.* FROM disclosure_group_members AS m SEMI JOIN touched USING (indicator_id, period_label, family)
),
vals AS (
    SELECT indicator_id, period_label, area_code, numerator, is_suppressed OR numerator IS NULL AS is_hidden
    FROM marts.indicator_values WHERE area_type = 'datazone'
),
single_hidden AS (
    SELECT m.indicator_id, m.period_label, m.family
    FROM vals AS v
    JOIN touched_members AS m
      ON m.indicator_id = v.indicator_id AND m.period_label = v.period_label AND m.datazone_code = v.area_code
    WHERE v.is_hidden
    GROUP BY ALL
    HAVING count(*) = 1
),
complements AS (
    SELECT s.indicator_id, s.period_label,
           arg_min(v.area_code, (v.numerator, v.area_code)) AS complement_code
    FROM single_hidden AS s
    JOIN touched_members AS m USING (indicator_id, period_label, family)
    JOIN vals AS v ON v.indicator_id = m.indicator_id AND v.period_label = m.period_label
                  AND v.area_code = m.datazone_code
    WHERE NOT v.is_hidden
    GROUP BY s.indicator_id, s.period_label, s.family
)
SELECT DISTINCT indicator_id, period_label, 'datazone' AS area_type, complement_code AS area_code
FROM complements
WHERE complement_code IS NOT NULL
