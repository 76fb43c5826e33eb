"""``marts.family_groups`` and the family-group comparator in ``marts.comparisons``.

Why: "similar councils" are the LGBF family groups (four by deprivation, four by population
density), held as data. Each council's value is compared with its deprivation family group
as a whole: numerators and denominators of all councils in the group are summed and the
rate recomputed (age-standardised rates from summed age bands) by the same SQL as published
values, so the comparator has its own interval and is never an average of rates.
"""

from __future__ import annotations

import duckdb

from etl.build import SQL_DIR
from etl.frames import create_table
from etl.settings import Settings
from etl.sources import family_groups

ORDER = 22


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create ``marts.family_groups`` and append family-group comparisons."""
    create_table(con, "marts.family_groups", family_groups.load(con, settings.raw_dir))
    if not con.execute("SELECT count(*) FROM marts.family_groups").fetchall()[0][0]:
        return
    con.execute("""
        CREATE OR REPLACE TABLE marts.family_group_sums AS
        SELECT s.indicator_id, 'family_group' AS area_type, 'deprivation_' || f.deprivation_group AS area_code,
               s.period_label, any_value(s.period_year) AS period_year, s.age_band,
               CASE WHEN count(s.numerator) = count(*) THEN sum(s.numerator) END AS numerator,
               CASE WHEN count(s.denominator) = count(*) THEN sum(s.denominator) END AS denominator,
               NULL::DOUBLE AS value, bool_or(s.is_revised) AS is_revised, max(s.source_release) AS source_release,
               count(*) AS members_present, count(*) AS members_expected
        FROM core.agg_indicator_area AS s
        JOIN marts.family_groups AS f ON f.council_code = s.area_code
        JOIN meta.indicators AS i USING (indicator_id)
        WHERE s.area_type = 'council' AND i.aggregation = 'extensive'
        GROUP BY s.indicator_id, f.deprivation_group, s.period_label, s.age_band
    """)
    values_sql = (SQL_DIR / "marts" / "indicator_values.sql").read_text(encoding="utf-8").replace(
        "marts.indicator_sums", "marts.family_group_sums")
    con.execute(f"""
        INSERT INTO marts.comparisons BY NAME
        WITH fg AS ({values_sql}),
        v AS (SELECT v.*, i.polarity FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
              WHERE v.area_type = 'council')
        SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.period_year,
               'family_group' AS comparator, 'family_group' AS comparator_area_type, fg.area_code AS comparator_area_code,
               fg.period_label AS comparator_period_label, fg.value AS comparator_value,
               CASE WHEN v.value IS NULL OR fg.value IS NULL OR v.ci_lower IS NULL THEN 'not comparable'
                    WHEN v.ci_lower > fg.value THEN CASE WHEN v.polarity = 'high_is_good' THEN 'better' ELSE 'worse' END
                    WHEN v.ci_upper < fg.value THEN CASE WHEN v.polarity = 'high_is_good' THEN 'worse' ELSE 'better' END
                    ELSE 'similar' END AS verdict_95,
               CASE WHEN v.value IS NULL OR fg.value IS NULL OR c.ci_lower_998 IS NULL THEN 'not comparable'
                    WHEN c.ci_lower_998 > fg.value THEN CASE WHEN v.polarity = 'high_is_good' THEN 'better' ELSE 'worse' END
                    WHEN c.ci_upper_998 < fg.value THEN CASE WHEN v.polarity = 'high_is_good' THEN 'worse' ELSE 'better' END
                    ELSE 'similar' END AS verdict_998,
               c.ci_lower_998, c.ci_upper_998
        FROM v
        JOIN marts.family_groups AS f ON f.council_code = v.area_code
        JOIN fg ON fg.indicator_id = v.indicator_id AND fg.period_label = v.period_label
               AND fg.area_code = 'deprivation_' || f.deprivation_group
        LEFT JOIN (SELECT DISTINCT indicator_id, area_code, period_label, ci_lower_998, ci_upper_998
                   FROM marts.comparisons WHERE area_type = 'council' AND comparator = 'scotland') AS c
          ON c.indicator_id = v.indicator_id AND c.area_code = v.area_code AND c.period_label = v.period_label
    """)
    con.execute("DROP TABLE marts.family_group_sums")
