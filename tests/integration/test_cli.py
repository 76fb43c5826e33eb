"""The command line end to end: demo → build → check → describe, and --help everywhere."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from etl.cli import app
from tests.fixtures.shared_build import CLI_OUTPUT

runner = CliRunner()


def test_every_command_has_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert {"demo", "build", "check", "serve", "describe"} <= set(commands)
    for command in commands:
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0 and "Usage" in sub.output, command


def test_demo_build_check_describe(demo_warehouse: Path) -> None:
    """The session's demo is written and built with ``cpop demo`` and ``cpop build``
    (tests/fixtures/shared_build.py, which keeps what they printed); then demo again, check and describe."""
    root = demo_warehouse.parents[1]
    demo_output = " ".join((root / CLI_OUTPUT["demo"]).read_text(encoding="utf-8").split())
    assert "Fictional demo data written" in demo_output and "data zones" in demo_output
    again = runner.invoke(app, ["demo", "--raw-dir", str(root / "raw")])
    assert again.exit_code == 0 and "nothing written" in " ".join(again.output.split())
    build_output = (root / CLI_OUTPUT["build"]).read_text(encoding="utf-8")
    assert "Warehouse ready" in build_output and "load raw files" in build_output
    result = runner.invoke(app, ["check", "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0 and "All checks pass" in result.output
    result = runner.invoke(app, ["describe", "--warehouse", str(demo_warehouse)])
    out = " ".join(result.output.split())
    assert result.exit_code == 0 and "marts.indicator_values" in out and "demo=True" in out


def test_check_without_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--warehouse", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "run `cpop build` first" in " ".join(result.output.split())
