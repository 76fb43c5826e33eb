"""Issue 14: researchers get a file without counts before disclosure control.

The build publishes a pair (``etl.warehouse_files``): ``cpop.duckdb`` (marts and meta, what
researchers open) and ``cpop.internal.duckdb`` (raw, staging and core, never shared). These tests
read the demo's public file as a researcher would, and check it against the internal one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from etl.cli import app
from etl.warehouse_files import internal_path, open_pair

runner = CliRunner()
SYSTEM_SCHEMAS = {"information_schema", "pg_catalog"}


def _public(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def test_the_public_file_holds_only_marts_and_meta(demo_warehouse: Path, tmp_path: Path) -> None:
    # a copy, as a researcher receives it: DuckDB shares one instance per file within a process, so
    # opening the session's warehouse here could see a pair another test attached its internal file to
    copy = tmp_path / "cpop.duckdb"
    shutil.copy(demo_warehouse, copy)
    con = _public(copy)
    try:
        tables = con.execute("SELECT DISTINCT schema_name FROM duckdb_tables()").fetchall()
        views = con.execute("SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        schemas = {r[0] for r in con.execute("SELECT schema_name FROM duckdb_schemas() WHERE database_name = "
                                             "current_database()").fetchall()}
        macros = con.execute("SELECT function_name FROM duckdb_functions() WHERE NOT internal").fetchall()
        attached = con.execute("SELECT database_name FROM duckdb_databases() WHERE NOT internal").fetchall()
    finally:
        con.close()
    assert {r[0] for r in tables} == {"marts", "meta"}
    assert views == [] and macros == []
    assert schemas - SYSTEM_SCHEMAS == {"main", "marts", "meta"}
    assert len(attached) == 1  # the file itself, nothing else


def test_the_internal_file_holds_the_layers_before_disclosure_of_the_same_build(demo_warehouse: Path) -> None:
    internal = internal_path(demo_warehouse)
    assert internal.name == "cpop.internal.duckdb" and internal.parent == demo_warehouse.parent
    con = duckdb.connect(str(internal), read_only=True)
    try:
        schemas = {r[0] for r in con.execute("SELECT DISTINCT schema_name FROM duckdb_tables()").fetchall()}
        stamp = con.execute("SELECT build_id FROM core.build_stamp").fetchall()
        small = con.execute("SELECT count(*) FROM core.agg_indicator_area WHERE numerator BETWEEN 1 AND 4").fetchall()
    finally:
        con.close()
    assert schemas == {"raw", "staging", "core"}
    public = _public(demo_warehouse)
    try:
        assert stamp == public.execute("SELECT build_id FROM meta.build_info").fetchall()
    finally:
        public.close()
    assert small[0][0] > 1000  # rows (age bands) of counts of 1-4 the public file must not show: 64,251 in the demo


def test_no_withheld_cell_shows_a_count_to_a_researcher(demo_warehouse: Path) -> None:
    """Every count column of a withheld cell is null in the public file, and no count of 1-4 before
    disclosure control is shown anywhere it applies (cells joined to the internal file's sums)."""
    con = _public(demo_warehouse)
    try:
        leaks = {
            "indicator_values": con.execute(
                "SELECT count(*) FILTER (numerator IS NOT NULL OR value IS NOT NULL OR ci_lower IS NOT NULL "
                "OR ci_upper IS NOT NULL), count(*) FROM marts.indicator_values WHERE is_suppressed").fetchall()[0],
            "inequality_groups": con.execute(
                "SELECT count(*) FILTER (numerator IS NOT NULL OR value IS NOT NULL OR ci_lower IS NOT NULL "
                "OR ci_upper IS NOT NULL), count(*) FROM marts.inequality_groups WHERE is_suppressed").fetchall()[0],
            "indicator_releases": con.execute(
                "SELECT count(*) FILTER (value IS NOT NULL OR ci_lower IS NOT NULL OR ci_upper IS NOT NULL), "
                "count(*) FROM marts.indicator_releases WHERE is_withheld").fetchall()[0],
            "small counts shown": con.execute(
                "SELECT count(*), 1 FROM marts.indicator_values WHERE numerator > 0 AND numerator < 5").fetchall()[0],
        }
    finally:
        con.close()
    assert {name: shown for name, (shown, _n) in leaks.items()} == dict.fromkeys(leaks, 0)
    assert leaks["indicator_values"][1] > 1000 and leaks["inequality_groups"][1] > 0
    pair = open_pair(demo_warehouse)
    try:
        hidden, shown = pair.execute("""
            SELECT count(*), count(*) FILTER (v.numerator IS NOT NULL OR v.value IS NOT NULL OR v.ci_lower IS NOT NULL)
            FROM (SELECT indicator_id, area_type, area_code, period_label FROM core.agg_indicator_area
                  GROUP BY ALL HAVING sum(numerator) BETWEEN 1 AND 4) AS small  -- a cell's count: all age bands
            JOIN marts.indicator_values AS v USING (indicator_id, area_type, area_code, period_label)""").fetchall()[0]
    finally:
        pair.close()
    assert hidden > 1000 and shown == 0


def test_derived_marts_show_no_value_of_a_withheld_cell(demo_warehouse: Path) -> None:
    """A withheld cell's value does not come back through a mart built on it (levels, comparators, trend ends)."""
    withheld = ("JOIN marts.indicator_values AS v ON v.is_suppressed AND v.indicator_id = t.indicator_id "
                "AND v.area_type = {type} AND v.area_code = {code} AND v.period_label = {period}")
    checks = {
        "communities": ("t.latest_value", withheld.format(type="'intermediate_zone'", code="t.intermediate_zone_code",
                                                         period="t.latest_period_label")),
        "comparisons": ("t.comparator_value", withheld.format(type="t.comparator_area_type", code="t.comparator_area_code",
                                                             period="t.comparator_period_label")),
        "trend": ("t.latest_value", withheld.format(type="t.area_type", code="t.area_code",
                                                   period="t.latest_period_label")),
    }
    con = _public(demo_warehouse)
    try:
        found = {name: con.execute(f"SELECT count(*), count({column}) FROM marts.{name} AS t {join}").fetchall()[0]
                 for name, (column, join) in checks.items()}
    finally:
        con.close()
    assert {name: shown for name, (_n, shown) in found.items()} == dict.fromkeys(checks, 0)
    assert found["comparisons"][0] > 0 and found["communities"][0] > 0  # the joins do find withheld cells


def test_researchers_commands_read_the_public_file(demo_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    result = runner.invoke(app, ["export-parquet", str(out), "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0, result.output
    assert {p.parent.name for p in out.rglob("*.parquet")} == {"marts", "meta"}
    assert (out / "marts" / "datazone_areas.parquet").is_file()  # built-your-own areas need no internal file
    result = runner.invoke(app, ["describe", "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0 and "core." not in result.output and "marts.datazone_simd" in result.output


def test_a_mismatched_pair_is_refused_by_cpop_check(demo_warehouse: Path, tmp_path: Path) -> None:
    live = tmp_path / "cpop.duckdb"
    shutil.copy(demo_warehouse, live)
    result = runner.invoke(app, ["check", "--warehouse", str(live)])
    assert result.exit_code == 1 and "internal file" in result.output and "is missing" in result.output
    shutil.copy(internal_path(demo_warehouse), internal_path(live))
    con = duckdb.connect(str(internal_path(live)))
    con.execute("UPDATE core.build_stamp SET build_id = 'another-build'")
    con.close()
    result = runner.invoke(app, ["check", "--warehouse", str(live)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and "is from build another-build" in out and "cpop build" in out
    assert "Traceback" not in out
