-- disclosure_group_members (temp working table of complementary suppression)
-- grain: one row per data zone x deprivation group x extensive indicator x period: the
-- families of group_members.sql (read here as disclosure_group_members_text) in integer keys.
SELECT p.ip, f.family, a.area
FROM disclosure_group_members_text AS m
JOIN disclosure_group_families AS f ON f.family_code = m.family
JOIN disclosure_periods AS p USING (indicator_id, period_label)
JOIN disclosure_areas AS a ON a.area_type = 'datazone' AND a.area_code = m.datazone_code
