"""Finding 2 of issue 14: one build at a time, each swaps in only its own file, messages are true.

Two real ``cpop build`` processes overlap: the first is paused (SIGSTOP) while it holds the lock,
the second (whose raw folder would fail a check) is started, then the first resumes.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.build import build
from etl.build_lock import BuildLocked, build_lock, build_running, lock_path
from etl.settings import get_settings
from tests.fixtures.tiny_world import write_tiny_raw

CPOP = [sys.executable, "-m", "etl.cli"]


def _build_id(warehouse: Path) -> str:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT build_id FROM meta.build_info").fetchall()[0][0]
    finally:
        con.close()


def _holder_pid(warehouse: Path) -> int | None:
    try:
        return json.loads(lock_path(warehouse).read_text() or "{}").get("pid")
    except (OSError, ValueError):
        return None


def _start_paused_build(raw: Path, warehouse: Path) -> subprocess.Popen[str]:
    """A ``cpop build`` stopped while it holds the build lock (polled, then SIGSTOP)."""
    first = subprocess.Popen([*CPOP, "build", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if _holder_pid(warehouse) == first.pid:
            first.send_signal(signal.SIGSTOP)
            if _holder_pid(warehouse) == first.pid:  # still holding it once stopped
                return first
            first.send_signal(signal.SIGCONT)
        assert first.poll() is None, first.communicate()[0]
        time.sleep(0.005)
    first.kill()
    raise AssertionError("the first build never took the lock")


def test_overlapping_builds_cannot_clobber_and_say_what_happened(tmp_path: Path) -> None:
    raw = write_tiny_raw(tmp_path / "raw")
    bad = write_tiny_raw(tmp_path / "bad")  # a folder that fails a check: a negative population
    pop = bad / "nrs_sape" / "2021-06"
    for path in pop.iterdir():
        lines = path.read_text().splitlines()
        cells = lines[1].split(",")
        cells[1] = "-5"
        lines[1] = ",".join(cells)
        path.write_text("\n".join(lines) + "\n")
    warehouse = tmp_path / "wh" / "cpop.duckdb"
    subprocess.run([*CPOP, "build", "--raw-dir", str(raw), "--warehouse", str(warehouse)], check=True,
                   capture_output=True)
    live_before = warehouse.read_bytes()

    first = _start_paused_build(raw, warehouse)
    try:
        assert build_running(warehouse)
        second = subprocess.run([*CPOP, "build", "--raw-dir", str(bad), "--warehouse", str(warehouse)],
                                capture_output=True, text=True, timeout=120)
        out = " ".join((second.stdout + second.stderr).split())
        assert second.returncode == 1
        assert "Traceback" not in out
        assert f"another build of {warehouse} is running (process {first.pid} on host" in out
        assert "started 20" in out and "the live warehouse was not changed" in out
        assert warehouse.read_bytes() == live_before  # true: the second build touched nothing
    finally:
        first.send_signal(signal.SIGCONT)
    first_out, _ = first.communicate(timeout=120)
    assert first.returncode == 0, first_out
    assert "Warehouse ready" in first_out
    # "ready" is true: the live file is the first build's own
    built = re.search(r"Build ([0-9a-f]{12}) ", first_out).group(1)  # type: ignore[union-attr]
    assert _build_id(warehouse) == built
    assert not list(warehouse.parent.glob("cpop.duckdb.building*"))
    assert not build_running(warehouse)


def test_a_build_while_another_holds_the_lock_does_nothing(tmp_path: Path) -> None:
    settings = get_settings(raw_dir=write_tiny_raw(tmp_path / "raw"), warehouse_path=tmp_path / "wh" / "cpop.duckdb")
    with build_lock(settings.warehouse_path, settings.raw_dir):
        with pytest.raises(BuildLocked, match=f"process {os.getpid()} on host"):
            build(settings)
    assert not settings.warehouse_path.exists()
    assert not list(settings.warehouse_path.parent.glob("cpop.duckdb.building*"))


def test_a_lock_left_by_a_dead_build_is_taken_over(tmp_path: Path) -> None:
    settings = get_settings(raw_dir=write_tiny_raw(tmp_path / "raw"), warehouse_path=tmp_path / "wh" / "cpop.duckdb")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    settings.warehouse_path.parent.mkdir(parents=True)
    import socket

    lock_path(settings.warehouse_path).write_text(json.dumps(
        {"pid": dead.pid, "host": socket.gethostname(), "started_at": "2026-01-01 00:00:00 UTC", "raw_dir": ""}))
    # a side file a killed build left behind is cleared too
    stale_side = settings.warehouse_path.with_name("cpop.duckdb.building-deadbeef0000")
    stale_side.write_bytes(b"half a build")
    assert not build_running(settings.warehouse_path)
    result = build(settings)
    assert any(f"process {dead.pid}" in note and "taken over" in note for note in result.notes)
    assert _build_id(settings.warehouse_path) == result.build_id
    assert not stale_side.exists()


def test_a_swap_lost_to_another_writer_is_not_called_unchanged(tmp_path: Path) -> None:
    from etl.build import swap_in
    from etl.build_errors import SwapLost, build_failure

    own, live = tmp_path / "own", tmp_path / "live"
    own.write_bytes(b"mine")
    swap_in(own, live)
    assert live.read_bytes() == b"mine" and not own.exists()

    class Racing(type(tmp_path)):  # the live file is replaced by someone else right after our swap
        def stat(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if self.name == "live":
                (tmp_path / "theirs").write_bytes(b"theirs")
                os.replace(tmp_path / "theirs", self)
            return super().stat(*args, **kwargs)

    own.write_bytes(b"mine again")
    with pytest.raises(SwapLost) as lost:
        swap_in(own, Racing(live))
    message = str(build_failure(lost.value))
    assert "not changed" not in message and "is not this build's" in message
