"""Build the four-data-zone world and compare every number with the hand-worked values.

See tests/fixtures/tiny_world.py for the inputs. Child poverty 2020/21:
DZ counts 30, 20, 10, 3 over children 100, 150, 200, 50.
"""

from __future__ import annotations

import duckdb
import pytest

from etl.build import INTERNAL_TABLES, build
from etl.settings import Settings
from etl.warehouse_files import open_pair
from etl.withheld import WITHHELD_REASON
from tests.fixtures.tiny_world import write_tiny_raw


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("tiny")
    settings = Settings(raw_dir=write_tiny_raw(root / "raw"), warehouse_path=root / "w.duckdb")
    # keep marts.computed_values (the figures before disclosure control) for the arithmetic tests: in a
    # world of four data zones the nested-difference rule withholds every area below the council
    import etl.build as build_module

    saved, build_module.INTERNAL_TABLES = build_module.INTERNAL_TABLES, []
    try:
        build(settings)
    finally:
        build_module.INTERNAL_TABLES = saved
    con = open_pair(settings.warehouse_path)
    yield con
    con.close()


def _row(con: duckdb.DuckDBPyConnection, area_code: str, table: str = "marts.indicator_values") -> tuple:
    return con.execute(
        f"SELECT numerator, denominator, value, ci_lower, ci_upper, is_suppressed FROM {table} "
        "WHERE indicator_id = 'ey_child_poverty' AND area_code = ?", [area_code]).fetchall()[0]


def _computed(con: duckdb.DuckDBPyConnection, area_code: str) -> tuple:
    """The figure as computed, before disclosure control (marts.computed_values, same SQL)."""
    return _row(con, area_code, "marts.computed_values")


def test_rates_are_ratios_of_sums(tiny: duckdb.DuckDBPyConnection) -> None:
    # IZ1 = (30 + 20) / (100 + 150) = 20 %, not the mean of 30 % and 13.3 % (21.7 %).
    assert _computed(tiny, "S02900001")[:3] == (50, 250, pytest.approx(20.0))
    # IZ2 = (10 + 3) / (200 + 50) = 5.2 %: the suppressed DZ count still counts in its parent.
    assert _computed(tiny, "S02900002")[:3] == (13, 250, pytest.approx(5.2))
    # council = 63 / 500 = 12.6 %
    assert _computed(tiny, "S12900001")[:3] == (63, 500, pytest.approx(12.6))
    # the locality is IZ S02900001
    assert _computed(tiny, "S99900001")[:3] == (50, 250, pytest.approx(20.0))


def test_wilson_interval_hand_worked(tiny: duckdb.DuckDBPyConnection) -> None:
    # x = 30, n = 100, z = 1.96: (60 + 3.8416 ∓ 1.96·√(3.8416 + 120·0.7)) / (2·103.8416)
    #   = (63.8416 ∓ 18.3666) / 207.6832 → 21.895 % to 39.585 %
    _, _, _, lower, upper, _ = _computed(tiny, "S01900001")
    assert lower == pytest.approx(21.8949, abs=1e-3)
    assert upper == pytest.approx(39.5849, abs=1e-3)


def test_small_count_is_suppressed_with_its_rate(tiny: duckdb.DuckDBPyConnection) -> None:
    numerator, denominator, value, lower, upper, suppressed = _row(tiny, "S01900004")
    assert suppressed is True
    assert (numerator, value, lower, upper) == (None, None, None, None)


def test_population_and_sizes(tiny: duckdb.DuckDBPyConnection) -> None:
    rows = dict(tiny.execute("SELECT area_code, population FROM marts.areas").fetchall())
    assert rows["S92000003"] == 2200
    assert rows["S13900001"] == 1800
    assert tiny.execute("SELECT count(*) FROM core.bridge_datazone_area WHERE area_type = 'ward'").fetchall()[0][0] == 4


def test_meta_tables(tiny: duckdb.DuckDBPyConnection) -> None:
    build_id, sources = tiny.execute("SELECT build_id, sources FROM meta.build_info").fetchall()[0]
    assert len(build_id) == 12
    names = {s["file_name"] for s in sources}
    assert "child-poverty.csv" in names and "SG_DataZone_Bdry_2011.prj" in names
    assert all(len(s["sha256"]) == 64 for s in sources)
    assert tiny.execute("SELECT count(*) FROM meta.indicators").fetchall()[0][0] >= 12
    assert tiny.execute("SELECT count(*) FROM meta.check_results WHERE status <> 'pass'").fetchall()[0][0] == 0


def test_boundaries_dissolved_for_every_area(tiny: duckdb.DuckDBPyConnection) -> None:
    missing = tiny.execute(
        "SELECT a.area_type, a.area_code FROM marts.areas AS a "
        "LEFT JOIN marts.area_boundaries AS b USING (area_type, area_code) WHERE b.geojson IS NULL").fetchall()
    assert missing == []


def test_public_tables_are_commented(tiny: duckdb.DuckDBPyConnection) -> None:
    uncommented = tiny.execute(
        "SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE schema_name IN ('marts', 'meta') AND table_name NOT IN ('indicator_mappings') "
        "AND schema_name || '.' || table_name NOT IN (SELECT unnest(?)) "  # kept here for the arithmetic only
        "AND (comment IS NULL OR comment = '')", [INTERNAL_TABLES]).fetchall()
    assert uncommented == []


def test_complementary_suppression_blocks_subtraction(tiny: duckdb.DuckDBPyConnection) -> None:
    # Ward 2 is DZ4 alone (count 3, suppressed). Council 63 minus ward 1 (60) would reveal it,
    # so ward 1 is hidden too. In IZ2 (DZ3 + DZ4 = 13, visible) DZ4 is hidden, so DZ3 (10)
    # must be hidden or 13 - 10 = 3 would reveal it.
    ward1 = _row(tiny, "S13900001")
    assert ward1[5] is True and ward1[0] is None and ward1[2] is None
    assert _row(tiny, "S01900003")[5] is True
    reason = tiny.execute("SELECT suppression_reason FROM marts.indicator_values WHERE area_code = 'S13900001' "
                          "AND indicator_id = 'ey_child_poverty'").fetchall()[0][0]
    assert reason == WITHHELD_REASON  # the same reason as the count it protects
    # the parent stays visible: hiding children is enough
    assert _row(tiny, "S12900001")[0] == 63
