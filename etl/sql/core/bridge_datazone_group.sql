-- core.bridge_datazone_group
-- grain: one row per SIMD edition x published deprivation group x member data zone.
-- The deprivation groups marts.inequality_groups publishes, named
-- '<parent code>|<basis>|<group number>': each council's national quintiles, local quintiles
-- and national deciles, and Scotland's national quintiles and deciles. Disclosure control reads
-- the groups from here (etl/sql/disclosure/group_members.sql, and the differencing control of
-- user-made areas), so both protect exactly the groups that are published.
WITH simd AS (
    SELECT * FROM core.dim_simd
),

final AS (
    SELECT s.simd_edition, f.family, s.datazone_code
    FROM simd AS s
    CROSS JOIN LATERAL (VALUES
        (s.council_code || '|national_quintile|' || s.simd_quintile),
        (s.council_code || '|local_quintile|' || s.local_quintile),
        (s.council_code || '|national_decile|' || s.simd_decile),
        ('S92000003|national_quintile|' || s.simd_quintile),
        ('S92000003|national_decile|' || s.simd_decile)
    ) AS f(family)
)

SELECT * FROM final
ORDER BY simd_edition, datazone_code, family
