-- What the differencing check (user_area_differencing.sql) needs that depends only on the build:
-- made once per kept cursor (WarehouseReader.script's setup), not on each profile's critical
-- path, where these two aggregations over the whole build cost ~10 ms of CPU.
-- user_group_editions: the SIMD edition each published deprivation group's period uses.
-- user_iz_sizes: how many data zones each intermediate zone holds.
CREATE OR REPLACE TEMP TABLE user_group_editions AS
SELECT DISTINCT indicator_id, period_label, simd_edition FROM core.agg_group_exposure;

CREATE OR REPLACE TEMP TABLE user_iz_sizes AS
SELECT area_code, count(*) AS datazones
FROM core.bridge_datazone_area
WHERE area_type = 'intermediate_zone'
GROUP BY ALL;
