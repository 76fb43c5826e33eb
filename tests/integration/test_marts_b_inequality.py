"""The inequality and communities marts on the demo warehouse: grain, disclosure, stories."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

GRAINS = {
    "marts.inequality_groups": "indicator_id, area_type, area_code, period_label, basis, group_number",
    "marts.inequality": "indicator_id, area_type, area_code, period_label, basis",
    "marts.inequality_trend": "indicator_id, area_type, area_code, basis, measure",
    "marts.communities": "intermediate_zone_code, indicator_id",
}


@pytest.fixture(scope="module")
def con(demo_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(demo_warehouse), read_only=True)
    yield c
    c.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchall()[0][0]


@pytest.mark.parametrize("table", sorted(GRAINS))
def test_grain_is_unique_and_commented(con: duckdb.DuckDBPyConnection, table: str) -> None:
    assert _one(con, f"SELECT count(*) FROM {table}") > 0
    assert _one(con, f"SELECT count(*) - count(DISTINCT ({GRAINS[table]})) FROM {table}") == 0
    schema, name = table.split(".")
    uncommented = con.execute("SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
                              "AND comment IS NULL", [schema, name]).fetchall()
    assert uncommented == []


def test_demo_gap_stories_at_scotland_level(con: duckdb.DuckDBPyConnection) -> None:
    gaps = dict(con.execute("SELECT indicator_id, verdict FROM marts.inequality_trend WHERE area_type = 'scotland' "
                            "AND basis = 'national_quintile' AND measure = 'absolute_gap'").fetchall())
    # etl.demo.DATASET_STORIES: child poverty and employment deprivation gaps widen; crime,
    # income deprivation and out-of-work benefit gaps narrow
    assert gaps["ey_child_poverty"] == "widening"
    # the employment gap widens in steps (flat 2019-20, a jump, flat again): the calibrated
    # trend test (issue 17) reads its last five points at p ≈ 0.06, not yet a trend
    employment = con.execute("SELECT verdict, p_value FROM marts.inequality_trend WHERE area_type = 'scotland' "
                             "AND basis = 'national_quintile' AND measure = 'absolute_gap' "
                             "AND indicator_id = 'emp_employment_deprived'").fetchone()
    assert employment[0] in ("widening", "no significant change") and employment[1] < 0.1
    assert gaps["ss_crime_rate"] == "narrowing"
    assert gaps["econ_income_deprived"] == "narrowing"
    assert gaps["emp_out_of_work_benefits"] == "narrowing"
    rel = {i: (v, p) for i, v, p in con.execute(
        "SELECT indicator_id, verdict, p_value FROM marts.inequality_trend WHERE area_type = 'scotland' "
        "AND basis = 'national_quintile' AND measure = 'relative_gap'").fetchall()}
    assert rel["econ_income_deprived"][0] == "narrowing"
    # crime's ratio narrows less steadily than its difference (p ≈ 0.08 under the calibrated test)
    assert rel["ss_crime_rate"][0] in ("narrowing", "no significant change") and rel["ss_crime_rate"][1] < 0.15


def test_sii_is_positive_where_deprived_areas_fare_worse(con: duckdb.DuckDBPyConnection) -> None:
    sii = dict(con.execute("SELECT indicator_id, sii FROM marts.inequality WHERE area_type = 'scotland' "
                           "AND basis = 'national_quintile' AND period_year = 2019").fetchall())
    # every demo outcome is worse in deprived areas, for low-is-good (crime) and high-is-good
    # (healthy birthweight) indicators alike
    assert sii["ss_crime_rate"] > 0 and sii["ey_child_poverty"] > 0
    assert sii["ey_healthy_birthweight"] > 0


def test_withheld_groups_are_missing_and_blank_their_measures(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "SELECT count(*) FROM marts.inequality_groups WHERE is_suppressed") > 0
    assert _one(con, "SELECT count(*) FROM marts.inequality_groups WHERE is_suppressed "
                     "AND (numerator IS NOT NULL OR value IS NOT NULL OR ci_lower IS NOT NULL)") == 0
    assert _one(con, """
        SELECT count(*) FROM marts.inequality AS i
        SEMI JOIN (SELECT * FROM marts.inequality_groups WHERE is_suppressed) AS g
            USING (indicator_id, area_type, area_code, period_label, basis)
        WHERE i.sii IS NOT NULL OR i.par_pct IS NOT NULL""") == 0
    # no family of a published parent and its groups has exactly one withheld cell
    assert _one(con, """
        WITH fam AS (
            SELECT g.indicator_id, g.area_type, g.area_code, g.period_label, g.basis,
                   count(*) FILTER (WHERE g.is_suppressed OR g.numerator IS NULL)
                   + any_value(CASE WHEN v.is_suppressed OR v.numerator IS NULL THEN 1 ELSE 0 END) AS hidden
            FROM marts.inequality_groups AS g
            JOIN marts.indicator_values AS v USING (indicator_id, area_type, area_code, period_label)
            GROUP BY ALL)
        SELECT count(*) FROM fam WHERE hidden = 1""") == 0


def test_local_quintiles_and_duncan_for_councils(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, "SELECT count(*) FROM marts.inequality WHERE area_type = 'scotland' "
                     "AND basis = 'local_quintile'") == 0
    assert _one(con, "SELECT count(*) FROM marts.inequality WHERE area_type = 'council' "
                     "AND basis = 'local_quintile' AND sii IS NOT NULL") > 0
    assert _one(con, "SELECT count(*) FROM marts.inequality WHERE duncan_index IS NOT NULL "
                     "AND (area_type <> 'council' OR basis <> 'national_quintile')") == 0
    assert _one(con, "SELECT count(*) FROM marts.inequality WHERE duncan_index NOT BETWEEN -1 AND 1") == 0
    assert _one(con, "SELECT count(duncan_index) FROM marts.inequality WHERE indicator_id = 'ss_crime_rate'") > 0
    assert _one(con, "SELECT count(*) FROM marts.inequality_trend WHERE measure = 'duncan_index'") > 0


def test_communities_flag_five_per_council(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT council_code, count(*) FILTER (WHERE is_most_vulnerable), count(*) "
                       "FROM marts.communities WHERE indicator_id = 'all' GROUP BY 1").fetchall()
    assert rows and all(flagged == min(5, n) for _, flagged, n in rows)
    assert _one(con, "SELECT count(*) FROM marts.communities WHERE indicator_id = 'all' "
                     "AND is_most_vulnerable AND rank_in_council > 5") == 0
