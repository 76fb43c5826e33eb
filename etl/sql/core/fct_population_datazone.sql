-- core.fct_population_datazone
-- grain: one row per data zone x year x sex x age band.
-- Age bands are 5-year ESP2013 bands with 15-19 split into 15 and 16-19, so both the usual
-- age groups (0-15, 16-64, 65+) and age-standardisation bands are sums of whole bands; 90 is
-- 90 and over. Files with totals only give one row with age_from NULL. 'All' is taken as
-- published, or as Female + Male where a file has no 'All' rows for that data zone and year.
WITH pop AS (
    SELECT * FROM staging.nrs__population
),
wide AS (
    SELECT
        datazone_code, year, sex, total_population, age_0 IS NULL AS totals_only,
        age_0 + age_1 + age_2 + age_3 + age_4 AS band_0,
        age_5 + age_6 + age_7 + age_8 + age_9 AS band_5,
        age_10 + age_11 + age_12 + age_13 + age_14 AS band_10,
        age_15 AS band_15,
        age_16 + age_17 + age_18 + age_19 AS band_16,
        age_20 + age_21 + age_22 + age_23 + age_24 AS band_20,
        age_25 + age_26 + age_27 + age_28 + age_29 AS band_25,
        age_30 + age_31 + age_32 + age_33 + age_34 AS band_30,
        age_35 + age_36 + age_37 + age_38 + age_39 AS band_35,
        age_40 + age_41 + age_42 + age_43 + age_44 AS band_40,
        age_45 + age_46 + age_47 + age_48 + age_49 AS band_45,
        age_50 + age_51 + age_52 + age_53 + age_54 AS band_50,
        age_55 + age_56 + age_57 + age_58 + age_59 AS band_55,
        age_60 + age_61 + age_62 + age_63 + age_64 AS band_60,
        age_65 + age_66 + age_67 + age_68 + age_69 AS band_65,
        age_70 + age_71 + age_72 + age_73 + age_74 AS band_70,
        age_75 + age_76 + age_77 + age_78 + age_79 AS band_75,
        age_80 + age_81 + age_82 + age_83 + age_84 AS band_80,
        age_85 + age_86 + age_87 + age_88 + age_89 AS band_85,
        age_90plus AS band_90
    FROM pop
),
banded AS (
    UNPIVOT (SELECT * EXCLUDE (total_population, totals_only) FROM wide WHERE NOT totals_only)
    ON COLUMNS('^band_') INTO NAME band VALUE population
),
long AS (
    SELECT datazone_code, year, sex, CAST(substr(band, 6) AS INTEGER) AS age_from, population FROM banded
    UNION ALL
    SELECT datazone_code, year, sex, NULL, total_population FROM wide WHERE totals_only
),
summed AS (
    SELECT datazone_code, year, sex, age_from, sum(population) AS population FROM long GROUP BY ALL
),
all_from_sexes AS (
    SELECT s.datazone_code, s.year, 'All' AS sex, s.age_from, sum(s.population) AS population
    FROM summed AS s
    ANTI JOIN (SELECT DISTINCT datazone_code, year FROM summed WHERE sex = 'All') AS a USING (datazone_code, year)
    WHERE s.sex IN ('Female', 'Male')
    GROUP BY ALL
),
final AS (
    SELECT
        datazone_code, year, sex, age_from,
        CASE WHEN age_from IS NULL THEN NULL WHEN age_from IN (15, 90) THEN age_from
             WHEN age_from = 16 THEN 19 ELSE age_from + 4 END AS age_to,
        population
    FROM (SELECT * FROM summed UNION ALL SELECT * FROM all_from_sexes)
)
SELECT * FROM final
