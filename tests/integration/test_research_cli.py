"""Researchers' commands on the demo warehouse: profile, sql (read-only), export-parquet, schema-doc."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from etl.cli import app
from etl.schema_doc import REGENERATE, SCHEMA_DOC, render_schema_doc

pytestmark = pytest.mark.slow
runner = CliRunner()


def _out(result) -> str:  # noqa: ANN001
    return " ".join(result.output.split())


def test_new_commands_have_help() -> None:
    for command in ("profile", "chart", "sql", "export-parquet", "export-boundaries", "schema-doc"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, command


def test_profile_by_name_and_clear_errors(demo_warehouse: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    name, code = con.execute("SELECT area_name, area_code FROM marts.areas WHERE area_type = 'ward' "
                             "ORDER BY area_name LIMIT 1").fetchall()[0]
    con.close()
    out = tmp_path / "p.pdf"
    result = runner.invoke(app, ["profile", "--area-type", "ward", "--area", name.upper(), "--format", "pdf",
                                 "--out", str(out), "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and code in _out(result)
    for fmt in ("xlsx", "csv"):
        target = tmp_path / f"p.{fmt}"
        result = runner.invoke(app, ["profile", "--area-type", "ward", "--area", code, "--format", fmt,
                                     "--out", str(target), "--warehouse", str(demo_warehouse)])
        assert result.exit_code == 0 and target.stat().st_size > 1000
    result = runner.invoke(app, ["profile", "--area-type", "ward", "--area", "no such place",
                                 "--out", str(out), "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 1 and "no ward matches" in _out(result)
    result = runner.invoke(app, ["profile", "--area-type", "ward", "--area", "a", "--out", str(out),
                                 "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 1 and "ward areas:" in _out(result) and "S13" in result.output
    result = runner.invoke(app, ["profile", "--area-type", "planet", "--area", "x", "--out", str(out),
                                 "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 1 and "use one of:" in _out(result)


def test_sql_is_read_only_and_writes_table_csv_parquet(demo_warehouse: Path, tmp_path: Path) -> None:
    # its own copy: cpop sql opens a sandboxed connection, and DuckDB refuses one with another
    # configuration while any other test of this process still holds the session's warehouse open
    demo_warehouse = Path(shutil.copy(demo_warehouse, tmp_path / "warehouse.duckdb"))
    q = "SELECT area_type, count(*) AS n FROM marts.areas GROUP BY 1 ORDER BY 1"
    result = runner.invoke(app, ["sql", q, "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0 and "intermediate_zone" in result.output, result.output
    result = runner.invoke(app, ["sql", q, "--format", "csv", "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0 and result.output.startswith("area_type,n\n")
    target = tmp_path / "areas.parquet"
    result = runner.invoke(app, ["sql", q, "--format", "parquet", "--out", str(target),
                                 "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0 and pq.read_table(target).num_rows >= 7
    for statement in ("DROP TABLE marts.areas", "INSERT INTO meta.sources VALUES (1)",
                      "COPY marts.areas TO 'x.csv'", "ATTACH 'other.duckdb'", "SELECT 1; DROP TABLE marts.areas"):
        result = runner.invoke(app, ["sql", statement, "--warehouse", str(demo_warehouse)])
        assert result.exit_code == 1, statement
        assert "read-only" in _out(result) or "one statement" in _out(result), statement
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM marts.areas").fetchall()[0][0] > 0
    con.close()
    result = runner.invoke(app, ["sql", "SELECT * FROM marts.nope", "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 1 and "the query failed" in _out(result)


def test_export_parquet_writes_only_public_tables_with_comments(demo_warehouse: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export-parquet", str(tmp_path / "pq"), "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(tmp_path / "pq").as_posix() for p in (tmp_path / "pq").rglob("*.parquet"))
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    expected = sorted(f"{s}/{t}.parquet" for s, t in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('marts', 'meta')").fetchall())
    rows = con.execute("SELECT count(*) FROM marts.indicator_values").fetchall()[0][0]
    con.close()
    assert files == expected
    table = pq.read_table(tmp_path / "pq" / "marts" / "indicator_values.parquet")
    assert table.num_rows == rows
    assert b"disclosure" in table.schema.metadata[b"description"]
    assert table.schema.field("value").metadata[b"description"]


def test_schema_doc_is_current(demo_warehouse: Path) -> None:
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        fresh = render_schema_doc(con)
    finally:
        con.close()
    current = SCHEMA_DOC.read_text(encoding="utf-8") if SCHEMA_DOC.exists() else ""
    assert current == fresh, f"docs/schema.md is out of date with the warehouse; regenerate it: {REGENERATE}"


def test_chart_exports_png_and_svg(demo_warehouse: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    code = con.execute("SELECT min(area_code) FROM marts.areas WHERE area_type = 'council'").fetchall()[0][0]
    con.close()
    for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<?xml")):
        out = tmp_path / f"c.{fmt}"
        result = runner.invoke(app, ["chart", "--area", code, "--indicator", "ey_child_poverty", "--format", fmt,
                                     "--out", str(out), "--warehouse", str(demo_warehouse)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(magic)
    result = runner.invoke(app, ["chart", "--area", code, "--indicator", "nope", "--out", str(tmp_path / "x.png"),
                                 "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 1 and "unknown indicator" in _out(result)


def test_export_boundaries_as_geojson_and_geoparquet(demo_warehouse: Path, tmp_path: Path) -> None:
    import geopandas as gpd

    con = duckdb.connect(str(demo_warehouse), read_only=True)
    wards = {r[0] for r in con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'ward'").fetchall()}
    council = con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'council' LIMIT 1").fetchall()[0][0]
    con.close()
    result = runner.invoke(app, ["export-boundaries", str(tmp_path), "--area-type", "ward", "--area-type", "council",
                                 "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0, result.output
    from_json = gpd.read_file(tmp_path / "ward.geojson")
    from_parquet = gpd.read_parquet(tmp_path / "ward.parquet")
    for frame in (from_json, from_parquet):
        assert frame.crs.to_epsg() == 4326 and set(frame.area_code) == wards
        assert frame.geometry.is_valid.all() and frame.area_name.notna().all()
        lon, lat = frame.geometry.union_all().centroid.coords[0]
        assert -9 < lon < 0 and 54 < lat < 61  # Scotland, in degrees
    councils = gpd.read_parquet(tmp_path / "council.parquet")
    assert council in set(councils.area_code)
    result = runner.invoke(app, ["export-boundaries", str(tmp_path), "--area-type", "planet",
                                 "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 1 and "no boundaries for area type 'planet'" in _out(result)
