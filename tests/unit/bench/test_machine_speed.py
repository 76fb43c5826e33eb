"""The benchmarks' reference line (bench/machine_speed.py): what it times and how it reads."""

from __future__ import annotations

import time

import pytest

from bench import machine_speed


def test_the_best_of_the_tries_is_kept() -> None:
    pauses = iter([0.09, 0.03, 0.06])
    best = machine_speed._best_ms(lambda: time.sleep(next(pauses)), tries=3)
    assert 30 <= best < 60


def test_the_python_workload_is_the_same_work_every_time() -> None:
    assert machine_speed._python_loop(1000) == machine_speed._python_loop(1000)
    assert machine_speed._python_loop(1000) != machine_speed._python_loop(2000)


def test_the_duckdb_workload_runs_on_its_own_connection() -> None:
    assert machine_speed.duckdb_ms(rows=10_000) > 0


def test_the_line_names_the_machine_and_both_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(machine_speed, "python_loop_ms", lambda: 412.4)
    monkeypatch.setattr(machine_speed, "duckdb_ms", lambda: 98.6)
    line = machine_speed.describe()
    assert line.startswith(f"machine: {machine_speed.cpu_model()}, ")
    assert "Python loop 412 ms" in line and "DuckDB one-thread scan 99 ms" in line
