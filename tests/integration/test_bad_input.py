"""Each kind of bad input gives one clear message naming file, row and column; exit code 1;
no traceback; the live warehouse is untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl.cli import app
from tests.fixtures.cli_build import built_world, failed_build
from tests.fixtures.tiny_world import write_tiny_raw

runner = CliRunner()


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    return built_world(write_tiny_raw(tmp_path / "raw"), tmp_path / "wh" / "cpop.duckdb")


_build = failed_build  # exit code 1, no traceback, live warehouse untouched (tests/fixtures/cli_build.py)


def _csv(raw: Path) -> Path:
    return raw / "statistics_gov_scot" / "2025-09" / "child-poverty.csv"


def test_missing_file(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    shutil.rmtree(raw / "nrs_sape")
    out = _build(raw, warehouse)
    assert "nrs_sape" in out and "no .csv files found" in out and "What to do" in out


def test_misspelt_column(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    path = _csv(raw)
    path.write_text(path.read_text().replace("Value", "Vlaue", 1))
    out = _build(raw, warehouse)
    assert "child-poverty.csv" in out and "row 1" in out and "column 'Value'" in out
    assert "rename column 'Vlaue' to 'Value'" in out


def test_non_numeric_value(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    path = _csv(raw)
    lines = path.read_text().splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ",twenty"
    path.write_text("\n".join(lines) + "\n")
    out = _build(raw, warehouse)
    assert "child-poverty.csv" in out and "row 3" in out and "column 'Value'" in out and "'twenty'" in out


def test_unknown_code(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    path = _csv(raw)
    path.write_text(path.read_text().replace("S01900002", "S01999999"))
    out = _build(raw, warehouse)
    assert "row 3" in out and "column 'FeatureCode'" in out and "unknown area code: 'S01999999'" in out


def test_empty_file(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    _csv(raw).write_text("")
    out = _build(raw, warehouse)
    assert "child-poverty.csv" in out and "the file is empty" in out


def test_wrong_encoding(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    path = raw / "localities" / "2024" / "localities.csv"
    path.write_bytes(path.read_bytes().replace(b"Tinyton North locality", "Tinyton Nörth".encode("latin-1")))
    out = _build(raw, warehouse)
    assert "localities.csv" in out and "row 2" in out and "not UTF-8" in out and "CSV UTF-8" in out


def test_shapefile_without_prj(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    (raw / "boundaries" / "2011" / "SG_DataZone_Bdry_2011.prj").unlink()
    out = _build(raw, warehouse)
    assert "SG_DataZone_Bdry_2011" in out and ".prj" in out


def test_broken_catalogue_names_file_and_field(world: tuple[Path, Path], tmp_path: Path) -> None:
    raw, warehouse = world
    catalogue = tmp_path / "catalogue"
    shutil.copytree(Path(__file__).resolve().parents[2] / "etl" / "demo" / "catalogue" / "indicators", catalogue / "indicators")
    path = catalogue / "indicators" / "early_years" / "ey_child_poverty.yaml"
    path.write_text(path.read_text().replace("polarity: low_is_good", "polarity: lowish"))
    before = warehouse.read_bytes()
    result = runner.invoke(app, ["build", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
                           env={"CPOP_CATALOGUE_DIR": str(catalogue)})
    out = " ".join(result.output.split())
    assert result.exit_code == 1
    assert "ey_child_poverty.yaml" in out and "polarity" in out
    assert warehouse.read_bytes() == before


def test_debug_shows_traceback(world: tuple[Path, Path]) -> None:
    raw, warehouse = world
    _csv(raw).write_text("")
    result = runner.invoke(app, ["build", "--raw-dir", str(raw), "--warehouse", str(warehouse), "--debug"])
    assert result.exit_code != 0 and result.exception is not None
