-- comparisons_family_group_pairs  (working table for marts.comparisons; never published)
-- grain: one row per council x OTHER member council of its LGBF deprivation family group.
-- group_size counts the council itself, so a council has group_size - 1 members to compare with.
WITH groups AS (
    SELECT council_code, deprivation_group,
           count(*) OVER (PARTITION BY deprivation_group) AS group_size
    FROM marts.family_groups
)
SELECT a.council_code, b.council_code AS member_code, a.group_size
FROM groups AS a JOIN groups AS b
  ON a.deprivation_group = b.deprivation_group AND a.council_code <> b.council_code
