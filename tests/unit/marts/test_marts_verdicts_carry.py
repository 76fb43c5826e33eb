"""``marts.verdicts`` and the previous build's verdicts (``etl/marts/verdicts.py``): a build keeps
what the warehouse it replaces said, and keeps nothing when that cannot be compared."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.marts import verdicts
from etl.settings import DEMO_MARKER, get_settings


def _world(con: duckdb.DuckDBPyConnection, trend: str, gap: str, *, demo: bool = False) -> None:
    for schema in ("marts", "meta"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    con.execute(f"""CREATE TABLE marts.trend AS SELECT 'cp' AS indicator_id, 'council' AS area_type, 'C1' AS area_code,
        '{trend}' AS trend_verdict, '2021/22' AS latest_period_label, 'red' AS improvement_rag,
        CAST(NULL AS VARCHAR) AS cpop_rating, '2021/22' AS cpop_latest_period""")
    con.execute(f"""CREATE TABLE marts.inequality_trend AS SELECT * FROM (VALUES
        ('cp', 'council', 'C1', 'national_quintile', 'absolute_gap', '{gap}', '2021/22'),
        ('cp', 'council', 'C1', 'national_quintile', 'sii', 'widening', '2021/22'))
        AS t(indicator_id, area_type, area_code, basis, measure, verdict, last_period_label)""")
    con.execute(f"""CREATE TABLE meta.build_info AS SELECT 'b0' AS build_id, TIMESTAMPTZ '2025-09-01 06:00:00+00' AS built_at,
        '0.1.0' AS code_version, {demo} AS demo,
        [{{'source': 'cpop', 'release': '2022-08', 'file_name': 'a'}}, {{'source': 'cpop', 'release': '2022-08', 'file_name': 'b'}}] AS sources""")
    con.execute("CREATE TABLE meta.indicators AS SELECT 'cp' AS indicator_id, 'Child poverty' AS title")


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    raw = tmp_path / "raw"
    raw.mkdir()
    return tmp_path / "cpop.duckdb", raw


def _build(live: Path, raw: Path, trend: str = "improving", gap: str = "narrowing") -> duckdb.DuckDBPyConnection:
    settings = get_settings(warehouse_path=live, raw_dir=raw)
    building = settings.building_path("test")
    building.unlink(missing_ok=True)
    con = duckdb.connect(str(building))
    _world(con, trend, gap)
    verdicts.build(con, settings)
    return con


def test_this_build_s_verdicts_in_long_form(paths: tuple[Path, Path]) -> None:
    con = _build(*paths)
    rows = con.execute("SELECT verdict_kind, verdict, period_label FROM marts.verdicts ORDER BY 1").fetchall()
    assert rows == [("gap", "narrowing", "2021/22"), ("rag", "red", "2021/22"), ("trend", "improving", "2021/22")]
    assert con.execute("SELECT count(*) FROM marts.previous_verdicts").fetchall() == [(0,)]  # no earlier warehouse
    assert con.execute("SELECT count(*) FROM meta.previous_build").fetchall() == [(0,)]


def test_the_replaced_warehouse_s_verdicts_are_kept(paths: tuple[Path, Path]) -> None:
    live, raw = paths
    previous = duckdb.connect(str(live))
    _world(previous, "no significant change", "cannot be calculated")
    previous.close()
    con = _build(live, raw)
    rows = con.execute("SELECT verdict_kind, verdict FROM marts.previous_verdicts ORDER BY 1").fetchall()
    assert rows == [("gap", "cannot be calculated"), ("rag", "red"), ("trend", "no significant change")]
    assert con.execute("SELECT build_id, source_releases FROM meta.previous_build").fetchall() == [("b0", ["cpop 2022-08"])]
    assert con.execute("SELECT * FROM meta.previous_indicators").fetchall() == [("cp", "Child poverty")]
    assert con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = 'cpop_previous'").fetchall() == [(0,)]


def test_nothing_is_kept_from_a_demo_or_an_older_warehouse(paths: tuple[Path, Path]) -> None:
    live, raw = paths
    previous = duckdb.connect(str(live))
    _world(previous, "worsening", "widening", demo=True)  # the fictional country is never compared with Scotland
    previous.close()
    assert _build(live, raw).execute("SELECT count(*) FROM marts.previous_verdicts").fetchall() == [(0,)]
    (raw / DEMO_MARKER).touch()  # a demo replacing a demo is compared
    assert _build(live, raw).execute("SELECT count(*) FROM marts.previous_verdicts").fetchall() == [(3,)]
    (raw / DEMO_MARKER).unlink()
    live.unlink()
    previous = duckdb.connect(str(live))
    _world(previous, "worsening", "widening")
    previous.execute("DROP TABLE marts.inequality_trend")  # a warehouse of an older schema
    previous.close()
    con = _build(live, raw)
    assert con.execute("SELECT count(*) FROM marts.previous_verdicts").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM meta.previous_build").fetchall() == [(0,)]
