"""Findings 3 and 4 (build side) of issue 14: input validated at the edge, limits on what a raw
file may cost, out-of-memory reported. Each bad file gives one message naming the raw file, row
and column; exit code 1; no traceback; the live warehouse untouched (``failed_build``)."""

from __future__ import annotations

import gzip
import shutil
import time
import zipfile
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from etl.cli import app
from etl.warehouse_files import internal_path
from tests.fixtures.cli_build import built_world, cli_build, failed_build
from tests.fixtures.tiny_world import write_tiny_raw

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("edge")
    return built_world(write_tiny_raw(root / "raw"), root / "wh" / "cpop.duckdb")


@pytest.fixture
def world(built: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the built tiny world (raw files and live warehouse) for one test to break."""
    raw, warehouse = built
    shutil.copytree(raw, tmp_path / "raw")
    (tmp_path / "wh").mkdir()
    shutil.copy2(warehouse, tmp_path / "wh" / "cpop.duckdb")
    shutil.copy2(internal_path(warehouse), internal_path(tmp_path / "wh" / "cpop.duckdb"))
    return tmp_path / "raw", tmp_path / "wh" / "cpop.duckdb"


def _csv(raw: Path) -> Path:
    return raw / "statistics_gov_scot" / "2025-09" / "child-poverty.csv"


def _set_value(path: Path, line: int, value: str, *, final_newline: bool = True) -> None:
    lines = path.read_text().splitlines()
    lines[line] = lines[line].rsplit(",", 1)[0] + "," + value
    path.write_text("\n".join(lines) + ("\n" if final_newline else ""))


def test_a_negative_count_is_refused(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    _set_value(_csv(raw), 2, "-5")
    out = failed_build(raw, warehouse)
    assert "child-poverty.csv" in out and "row 3" in out and "column 'Value'" in out
    assert "a count cannot be negative: '-5'" in out and "was not changed" in out


def test_a_fractional_count_is_refused(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    _set_value(_csv(raw), 4, "2.5")
    out = failed_build(raw, warehouse)
    assert "row 5" in out and "a count must be a whole number: '2.5'" in out


def test_a_negative_population_is_refused_at_the_edge(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    path = next((raw / "nrs_sape" / "2021-06").iterdir())
    lines = path.read_text().splitlines()
    cells = lines[1].split(",")
    cells[1] = "-5"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    out = failed_build(raw, warehouse)
    assert path.name in out and "row 2" in out and "a population cannot be negative" in out


def test_a_last_value_cut_short_is_detected(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    _set_value(_csv(raw), -1, "1", final_newline=False)  # "15" cut to "1" by a broken download
    out = failed_build(raw, warehouse)
    assert "child-poverty.csv" in out and "row 5" in out and "column 'Value'" in out
    assert "ends in the middle of its last row" in out and "download the file again" in out


def test_a_row_missing_its_last_column_names_the_raw_row(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    path = _csv(raw)
    lines = path.read_text().splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0]
    path.write_text("\n".join(lines) + "\n")
    out = failed_build(raw, warehouse)
    assert "child-poverty.csv" in out and "row 3" in out and "column 'Value'" in out
    assert "the value for 'Value' is missing" in out and ".sql" not in out


def test_a_repeated_simd_row_is_a_clear_error(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    path = raw / "simd" / "2020v2" / "SIMD2020v2_DZ_lookup_data.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[2]]) + "\n")
    out = failed_build(raw, warehouse)
    assert "SIMD2020v2_DZ_lookup_data.csv" in out and "row 6" in out and "column 'DZ'" in out
    assert "data zone 'S01900002' is repeated" in out and "(row 3)" in out and "KeyError" not in out


def test_a_gzipped_csv_is_read(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    path = _csv(raw)
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes()))
    path.unlink()
    result = cli_build(raw, warehouse)
    assert result.exit_code == 0 and "Warehouse ready" in result.output, result.output
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        total = con.execute("SELECT numerator FROM marts.indicator_values WHERE indicator_id = 'ey_child_poverty' "
                            "AND area_type = 'council'").fetchall()
        files = con.execute("SELECT file_name FROM meta.sources WHERE source = 'statistics_gov_scot'").fetchall()
    finally:
        con.close()
    assert total == [(63.0,)]  # 30 + 20 + 10 + 3, as from the plain CSV
    assert files == [("child-poverty.csv.gz",)]


def _workbook(path: Path, sheet_xml: bytes) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        book.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)


def _swap_simd_for(raw: Path, sheet_xml: bytes) -> Path:
    folder = raw / "simd" / "2020v2"
    (folder / "SIMD2020v2_DZ_lookup_data.csv").unlink()
    path = folder / "SIMD2020v2_DZ_lookup_data.xlsx"
    _workbook(path, sheet_xml)
    return path


def test_an_xlsx_bomb_is_refused_quickly(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    head = b'<?xml version="1.0"?><worksheet><dimension ref="A1:B3"/><sheetData>'
    path = _swap_simd_for(raw, head + b"<row>" + b" " * (40 * 1024 * 1024) + b"</row></sheetData></worksheet>")
    assert path.stat().st_size < 1024 * 1024  # 40 MB of sheet in well under 1 MB of file
    started = time.monotonic()
    before = warehouse.read_bytes()
    result = runner.invoke(app, ["build", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
                           env={"CPOP_MAX_UNCOMPRESSED_MB": "16"})
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and "Traceback" not in out
    assert "SIMD2020v2_DZ_lookup_data.xlsx" in out and "the workbook expands to 40 MB" in out
    assert "limit of 16 MB" in out and warehouse.read_bytes() == before
    assert time.monotonic() - started < 30


def test_a_sheet_declaring_huge_dimensions_is_refused(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    _swap_simd_for(raw, b'<?xml version="1.0"?><worksheet><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>')
    out = failed_build(raw, warehouse)
    assert "sheet sheet1.xml declares 1,048,576 rows x 16,384 columns" in out and "CPOP_MAX_SHEET_CELLS" in out


def test_file_size_and_row_limits(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    result = runner.invoke(app, ["build", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
                           env={"CPOP_MAX_RAW_ROWS": "3"})
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and "more than 3 data rows" in out and "CPOP_MAX_RAW_ROWS" in out
    big = _csv(raw)
    big.write_text(big.read_text() + "\n" * (2 * 1024 * 1024))  # blank lines: 2 MB, rows unchanged
    result = runner.invoke(app, ["build", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
                           env={"CPOP_MAX_RAW_FILE_MB": "1"})
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and "child-poverty.csv" in out and "over the limit of 1 MB" in out


def test_running_out_of_memory_is_reported_as_such(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    before = warehouse.read_bytes()
    result = runner.invoke(app, ["build", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
                           env={"CPOP_BUILD_MEMORY_LIMIT": "5MB"})
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and "Traceback" not in out and "--debug" not in out
    assert "the build ran out of memory (its DuckDB memory limit is 5MB)" in out
    assert "CPOP_BUILD_MEMORY_LIMIT" in out and "was not changed" in out
    assert warehouse.read_bytes() == before


def test_a_damaged_gzip_file_is_a_clear_error(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    path = _csv(raw)
    packed = gzip.compress(path.read_bytes() * 50)
    path.with_name(path.name + ".gz").write_bytes(packed[: len(packed) // 2])
    path.unlink()
    out = failed_build(raw, warehouse)
    assert "child-poverty.csv.gz" in out and "cannot be decompressed as gzip" in out
