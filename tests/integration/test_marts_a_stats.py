"""The comparisons, trend, targets and family-groups marts on the demo warehouse: grain, stories."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(demo_warehouse: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    yield con
    con.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchall()[0][0]


@pytest.mark.parametrize(("table", "key"), [
    ("comparisons", "indicator_id, area_type, area_code, period_label, comparator"),
    ("trend", "indicator_id, area_type, area_code"),
    ("targets", "indicator_id, area_type, area_code"),
    ("family_groups", "council_code"),
])
def test_grain(con: duckdb.DuckDBPyConnection, table: str, key: str) -> None:
    assert _one(con, f"SELECT count(*) - count(DISTINCT ({key})) FROM marts.{table}") == 0
    assert _one(con, f"SELECT count(*) FROM marts.{table}") > 0


def test_every_series_has_one_trend_row(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, """SELECT count(*) FROM (SELECT DISTINCT indicator_id, area_type, area_code
                        FROM marts.indicator_values) FULL JOIN marts.trend USING (indicator_id, area_type, area_code)
                        WHERE trend_verdict IS NULL OR indicator_id IS NULL""") == 0


def test_demo_stories_at_council_level(con: duckdb.DuckDBPyConnection) -> None:
    """etl.demo.DATASET_STORIES: recorded crime improves, child poverty worsens."""
    verdicts = dict(con.execute("""SELECT indicator_id, list(trend_verdict) FROM marts.trend
                                   WHERE area_type = 'council' GROUP BY 1""").fetchall())
    # crime falls over the years, but its last five points (2020-2024) start from the 2020 dip
    # and scatter far beyond their Poisson error: the calibrated trend test (issue 17) calls no
    # council's five-point series significant either way; the long-run fall shows in the rate
    assert "worsening" not in verdicts["ss_crime_rate"]
    assert "improving" not in verdicts["ey_child_poverty"]
    assert verdicts["ey_child_poverty"].count("worsening") * 2 >= len(verdicts["ey_child_poverty"])
    rates = dict(con.execute("""SELECT indicator_id, avg(improvement_since_baseline_pct) FROM marts.trend
                                WHERE area_type = 'council' GROUP BY 1""").fetchall())
    assert rates["ss_crime_rate"] > 0 > rates["ey_child_poverty"]  # positive = improving
    assert _one(con, "SELECT count(DISTINCT improvement_rag) FROM marts.trend WHERE area_type = 'council'") >= 3


def test_family_group_comparator_is_the_other_councils(con: duckdb.DuckDBPyConnection) -> None:
    # recompute a percentage's comparator from the published council rows: Σx / Σn × 100 over the
    # other councils of the deprivation group
    bad = _one(con, """
        WITH fg AS (SELECT * FROM marts.family_groups),
        expected AS (
            SELECT a.council_code, v.period_label,
                   sum(v.numerator) / sum(v.denominator) * 100 AS value, count(v.value) AS published, count(*) AS n
            FROM fg AS a JOIN fg AS b ON a.deprivation_group = b.deprivation_group AND a.council_code <> b.council_code
            JOIN marts.indicator_values AS v ON v.area_type = 'council' AND v.area_code = b.council_code
            WHERE v.indicator_id = 'ey_child_poverty' GROUP BY ALL)
        SELECT count(*) FROM marts.comparisons AS c JOIN expected AS e
          ON e.council_code = c.area_code AND e.period_label = c.period_label
        WHERE c.comparator = 'family_group' AND c.indicator_id = 'ey_child_poverty' AND e.published = e.n
          AND abs(c.comparator_value - e.value) > 1e-9""")
    assert bad == 0
    assert _one(con, "SELECT count(*) FROM marts.comparisons WHERE comparator = 'family_group' "
                     "AND comparator_value IS NOT NULL") > 0


def test_intervals_and_withheld_values(con: duckdb.DuckDBPyConnection) -> None:
    # the 99.8 % interval contains the 95 % one
    assert _one(con, """SELECT count(*) FROM marts.comparisons AS c JOIN marts.indicator_values AS v
                        USING (indicator_id, area_type, area_code, period_label)
                        WHERE c.ci_lower_998 > v.ci_lower + 1e-9 OR c.ci_upper_998 < v.ci_upper - 1e-9""") == 0
    assert _one(con, """SELECT count(*) FROM marts.comparisons AS c JOIN marts.indicator_values AS v
                        USING (indicator_id, area_type, area_code, period_label)
                        WHERE v.is_suppressed AND (c.verdict_95 <> 'not comparable'
                                                   OR c.verdict_998 <> 'not comparable')""") == 0
    verdicts = {r[0] for r in con.execute("SELECT DISTINCT verdict_998 FROM marts.comparisons").fetchall()}
    assert verdicts == {"better", "similar", "worse", "not comparable"}


def test_targets_show_every_status(con: duckdb.DuckDBPyConnection) -> None:
    statuses = {r[0] for r in con.execute("SELECT DISTINCT status FROM marts.targets").fetchall()}
    assert {"on track", "off track"} <= statuses
    assert _one(con, "SELECT count(*) FROM marts.targets WHERE status <> 'cannot be calculated' AND NOT "
                     "(projection_lower <= projected_value AND projected_value <= projection_upper)") == 0
