"""How fast the machine running a benchmark is, printed above its figures.

Why: the benchmarks' targets are absolute (150 ms, 1.5 s, 500 ms), but the machines they run on
are not alike. The same commit (``0a1d17f``) measured the My areas profile at p95 97-135 ms on one
machine and 259-301 ms on the next, with nothing else running on either. Without a reference
line, a reader of two runs cannot tell a slower machine from slower code. Two fixed workloads
are timed, best of a few tries (the best is the machine; the others add what else was running):

- a pure-Python loop (the dashboard's callbacks are mostly Python: pandas glue, Dash layouts);
- a DuckDB aggregation on one thread (the warehouse's queries).
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

TRIES = 3
PYTHON_LOOP_STEPS = 2_000_000
DUCKDB_ROWS = 20_000_000


def _best_ms(work: Callable[[], object], tries: int = TRIES) -> float:
    """The fastest of ``tries`` runs of ``work``, in milliseconds."""
    best = float("inf")
    for _ in range(tries):
        start = time.perf_counter()
        work()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def _python_loop(steps: int = PYTHON_LOOP_STEPS) -> int:
    """Integer arithmetic and a dict, the interpreter's everyday work."""
    counts: dict[int, int] = {}
    total = 0
    for i in range(steps):
        total += i * 7 % 13
        counts[i & 63] = total
    return total + len(counts)


def python_loop_ms() -> float:
    return _best_ms(_python_loop)


def duckdb_ms(rows: int = DUCKDB_ROWS) -> float:
    """A hash-and-sum over ``rows`` generated integers on one DuckDB thread (no file, no disk)."""
    con = duckdb.connect()
    try:
        con.execute("SET threads = 1")
        return _best_ms(lambda: con.execute(f"SELECT sum(hash(range) % 1000) FROM range({rows})").fetchall())
    finally:
        con.close()


def cpu_model() -> str:
    """The processor's name as the kernel reports it (else the platform's)."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def describe() -> str:
    """One line: the processor, and the two workloads' best times (higher means a slower machine)."""
    return (f"machine: {cpu_model()}, {os.cpu_count()} cores; reference workloads (best of {TRIES}, "
            f"lower is faster): Python loop {python_loop_ms():.0f} ms, DuckDB one-thread scan {duckdb_ms():.0f} ms")


if __name__ == "__main__":
    print(describe())
