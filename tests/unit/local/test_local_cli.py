"""``cpop local``: bad input gets one message naming file, field or row, never a traceback."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from etl.cli import app
from tests.fixtures.local import attendance_meta, council_attendance_xlsx

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["local", *args])
    assert "Traceback" not in result.output
    return result.exit_code, " ".join(result.output.split())


def test_bad_metadata_is_named(tmp_path: Path) -> None:
    fixture = council_attendance_xlsx(tmp_path / "a.xlsx", ["S01020001", "S01020002", "S01020003", "S01020004"])
    meta = tmp_path / "meta.yaml"
    meta.write_text(yaml.safe_dump(attendance_meta(measure_type="ratio")), encoding="utf-8")
    code, out = _run("add", str(fixture.path), "--meta", str(meta), "--user-dir", str(tmp_path / "u"))
    assert code == 1 and f"file {meta}" in out and "field 'measure_type'" in out


def test_no_warehouse_says_build_first(tmp_path: Path) -> None:
    fixture = council_attendance_xlsx(tmp_path / "a.xlsx", ["S01020001", "S01020002", "S01020003", "S01020004"])
    meta = tmp_path / "meta.yaml"
    meta.write_text(yaml.safe_dump(attendance_meta()), encoding="utf-8")
    code, out = _run("add", str(fixture.path), "--meta", str(meta), "--user-dir", str(tmp_path / "u"),
                     "--warehouse", str(tmp_path / "none.duckdb"))
    assert code == 1 and "there is no warehouse yet" in out and "cpop build" in out


def test_list_and_unknown_dataset(tmp_path: Path) -> None:
    assert "No local datasets yet" in _run("list", "--user-dir", str(tmp_path))[1]
    code, out = _run("publish", "nope", "--user-dir", str(tmp_path))
    assert code == 1 and "no local dataset 'nope'" in out
    code, out = _run("report", "nope", "--user-dir", str(tmp_path))
    assert code == 1 and "no local dataset 'nope'" in out
