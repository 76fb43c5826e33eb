"""The command line end to end: demo → build → check → describe, and --help everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl.cli import app

runner = CliRunner()


def test_every_command_has_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert {"demo", "build", "check", "serve", "describe"} <= set(commands)
    for command in commands:
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0 and "Usage" in sub.output, command


@pytest.mark.slow
def test_demo_build_check_describe(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / "cpop.duckdb"
    result = runner.invoke(app, ["demo", "--raw-dir", str(raw)])
    assert result.exit_code == 0 and "data zones" in " ".join(result.output.split())
    again = runner.invoke(app, ["demo", "--raw-dir", str(raw)])
    assert "nothing written" in " ".join(again.output.split())
    result = runner.invoke(app, ["build", "--raw-dir", str(raw), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "Warehouse ready" in result.output and "load raw files" in result.output
    result = runner.invoke(app, ["check", "--warehouse", str(warehouse)])
    assert result.exit_code == 0 and "All checks pass" in result.output
    result = runner.invoke(app, ["describe", "--warehouse", str(warehouse)])
    out = " ".join(result.output.split())
    assert result.exit_code == 0 and "marts.indicator_values" in out and "demo=True" in out


def test_check_without_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--warehouse", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "run `cpop build` first" in " ".join(result.output.split())
