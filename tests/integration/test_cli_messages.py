"""Officer-facing CLI messages of issue 14: a missing --raw-dir folder, a file suffix that
contradicts --format, and `cpop describe` listing the sources its help promises."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl.cli import app
from etl.settings import get_settings
from tests.fixtures.cli_build import built_world
from tests.fixtures.tiny_world import write_tiny_raw

runner = CliRunner()


def _out(result) -> str:  # noqa: ANN001 (click's Result)
    return " ".join(result.output.split())


def test_missing_raw_dir_says_the_folder_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    result = runner.invoke(app, ["build", "--raw-dir", str(missing), "--warehouse", str(tmp_path / "w.duckdb")])
    out = _out(result)
    assert result.exit_code == 1 and "Traceback" not in out
    assert f"the raw-data folder {missing} does not exist" in out
    assert "file " not in out  # a folder is not called a file
    assert out.startswith("Error: the raw-data folder")  # no progress bar before the message
    assert str(get_settings().demo_raw_dir) in out  # where `cpop demo` really writes
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize(("command", "fmt", "out_name"), [
    (["profile", "--area", "x"], "xlsx", "x.pdf"), (["profile", "--area", "x"], "pdf", "x.xlsx"),
    (["board-report", "--council", "x"], "xlsx", "report.pdf"),
    (["chart", "--area", "x", "--indicator", "y"], "svg", "c.png"), (["sql", "SELECT 1"], "parquet", "t.csv"),
])
def test_a_file_suffix_that_contradicts_the_format_is_refused(tmp_path: Path, command: list[str], fmt: str,
                                                               out_name: str) -> None:
    target = tmp_path / out_name
    result = runner.invoke(app, [*command, "--format", fmt, "--out", str(target),
                                 "--warehouse", str(tmp_path / "none.duckdb")])
    out = _out(result)
    assert result.exit_code == 1 and f"ends in '{target.suffix}' but --format is {fmt}" in out
    assert "What to do" in out and not target.exists()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("messages")
    return built_world(write_tiny_raw(root / "raw"), root / "wh" / "cpop.duckdb")[1]


def test_describe_lists_the_sources(warehouse: Path) -> None:
    result = runner.invoke(app, ["describe", "--warehouse", str(warehouse)])
    out = _out(result)
    assert result.exit_code == 0, out
    assert "Sources (" in out and "SIMD2020v2_DZ_lookup_data.csv" in out and "nrs_sape" in out
    assert "marts.indicator_values" in out


# the sql reads every column of the big tables (DuckDB reads lazily: a table in the half left would still answer)
EVERY_TABLE = " UNION ALL ".join(f"SELECT max(hash(t)) FROM {table} AS t" for table in (
    "marts.indicator_values", "marts.comparisons", "marts.trend", "marts.areas", "meta.indicators", "meta.sources"))


@pytest.mark.parametrize("command", [["check"], ["describe"], ["sql", EVERY_TABLE],
                                     ["profile", "--area", "Tinyshire", "--out", "x.pdf"], ["export-parquet", "out"]])
def test_a_damaged_warehouse_is_named_with_the_command_that_fixes_it(warehouse: Path, tmp_path: Path,
                                                                      command: list[str]) -> None:
    damaged = tmp_path / "cpop.duckdb"
    damaged.write_bytes(warehouse.read_bytes()[: warehouse.stat().st_size // 2])
    result = runner.invoke(app, [*[str(tmp_path / c) if c in ("x.pdf", "out") else c for c in command],
                                 "--warehouse", str(damaged)])
    out = _out(result)
    assert result.exit_code == 1 and "Traceback" not in out, out
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "the file may be damaged" in out and "run `cpop build` to rebuild it" in out
