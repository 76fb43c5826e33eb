-- disclosure_group_families (temp working table of complementary suppression)
-- grain: one row per deprivation group of group_members.sql (read here as
-- disclosure_group_members_text), named '<parent code>|<basis>|<group number>' as there, with
-- a small integer key.
SELECT (row_number() OVER (ORDER BY family))::INTEGER AS family, family AS family_code
FROM (SELECT DISTINCT family FROM disclosure_group_members_text)
