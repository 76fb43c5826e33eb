"""50 concurrent users while the warehouse is rebuilt under them: errors, wrong answers, p95.

Run with ``.venv/bin/python -m bench.rebuild_load_bench`` (part of ``make bench``). It serves the
demo warehouse with waitress as ``cpop serve`` does, records the Dash callbacks each page fires
(headless Chromium, as ``bench.dashboard_bench`` does), then lets 50 threads load pages and fire
those callbacks with no pause, while ``cpop build`` rebuilds the same warehouse from the same raw
files in another process and swaps it in.

An answer is *right* when it is byte for byte what the old warehouse or the new one gives for
that request (both recorded sequentially, before and after the run): never a mixture, never a
"warehouse unavailable" panel, never an error. Requests whose answer is not repeatable even
sequentially (none are expected) are counted and left out of that comparison.

Prints p50/p95 latency over all requests, the errors (HTTP status other than 200/204, or no
answer) and the wrong answers — target: 0 errors, 0 wrong answers, p95 ≤ 1,000 ms (50 users on
two cores while a build runs). Set CPOP_BENCH_DEMO_RAW to reuse demo raw files (else ``cpop demo``
writes them to a temporary folder).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.dashboard_bench import (
    CHROMIUM,
    _output_name,
    _p,
    first_renders,
    start_warmed_server,
    stop_server,
)
from dashboard.data.reader import WarehouseReader
from etl.settings import get_settings

USERS = 50
P95_TARGET_MS = 1000
CPOP = [sys.executable, "-m", "etl.cli"]
Action = tuple[str, str | None, str]  # path, POST body, kind


def _urls(reader: WarehouseReader) -> dict[str, str]:
    """One page per kind of view, on the demo's largest council and one of its wards."""
    council = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'council' "
                           "ORDER BY datazone_count DESC LIMIT 1").iloc[0, 0]
    ward = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'ward' AND council_code = ? "
                        "ORDER BY area_code LIMIT 1", [council]).iloc[0, 0]
    return {
        "home": f"/?area_type=ward&area={ward}",
        "quick profile": f"/profile?area_type=ward&area={ward}&indicator=ey_child_poverty",
        "area profile": f"/area?area_type=council&area={council}&theme=early_years&indicator=ey_child_poverty",
        "dashboard": f"/dashboard?council={council}&area_type=ward",
        "tables": f"/tables?indicators=ey_child_poverty&area_type=ward&council={council}",
        "about": "/about",
    }


def _fetch(base: str, action: Action) -> tuple[int, bytes]:
    path, body, _kind = action
    request = urllib.request.Request(base + path, data=body.encode() if body else None,
                                     headers={"Content-Type": "application/json"} if body else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except OSError:
        return 0, b""


def _answers(base: str, actions: list[Action]) -> dict[Action, bytes | None]:
    """Each callback's answer, asked twice in a row; None when the two differ (not repeatable)."""
    out: dict[Action, bytes | None] = {}
    for action in actions:
        if action[1] is None:
            continue
        first, second = _fetch(base, action)[1], _fetch(base, action)[1]
        out[action] = first if first == second else None
    return out


def run_load(base: str, actions: list[Action], until: Callable[[], bool], users: int = USERS,
             after_s: float = 5.0) -> tuple[list[float], list[tuple[Action, int, bytes]]]:
    """``users`` threads firing random actions with no pause until ``until()`` has held for
    ``after_s`` seconds; every latency (ms) and every (action, status, body)."""
    latencies: list[float] = []
    seen: list[tuple[Action, int, bytes]] = []
    lock = threading.Lock()
    done_at: list[float] = []

    def finished() -> bool:
        if not done_at and until():
            done_at.append(time.monotonic())
        return bool(done_at) and time.monotonic() - done_at[0] > after_s

    def user(seed: int) -> None:
        rng = random.Random(seed)
        while not finished():
            action = rng.choice(actions)
            t0 = time.perf_counter()
            status, body = _fetch(base, action)
            with lock:
                latencies.append((time.perf_counter() - t0) * 1000)
                seen.append((action, status, body))

    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, range(users)))
    return latencies, seen


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cpop-rebuild-bench-") as tmp:
        raw = Path(os.environ.get("CPOP_BENCH_DEMO_RAW") or Path(tmp) / "raw")
        warehouse = Path(tmp) / "cpop.duckdb"
        if not raw.is_dir():
            subprocess.run([*CPOP, "demo", "--raw-dir", str(raw)], check=True, stdout=subprocess.DEVNULL)
        build = [*CPOP, "build", "--raw-dir", str(raw), "--warehouse", str(warehouse)]
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
        reader = WarehouseReader(warehouse)
        urls = _urls(reader)
        reader.close()
        settings = get_settings(warehouse_path=warehouse, user_dir=Path(tmp) / "user")
        _app, server, base = start_warmed_server(settings)
        recorded = first_renders(base, urls)[1] if CHROMIUM.exists() else {}
        actions: list[Action] = [(path, None, f"page {name}") for name, path in urls.items()]
        actions += [("/_dash-update-component", body, f"{page} → {_output_name(body)}")
                    for page, bodies in recorded.items() for body in bodies]
        before = _answers(base, actions)

        rebuild = subprocess.Popen(build, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        started = time.monotonic()
        latencies, seen = run_load(base, actions, until=lambda: rebuild.poll() is not None)
        _out, build_err = rebuild.communicate()
        took = time.monotonic() - started
        time.sleep(1)
        after = _answers(base, actions)
        stop_server(server)

        errors = sum(1 for _action, status, _body in seen if status not in (200, 204))
        checked = [(a, body) for a, status, body in seen
                   if status in (200, 204) and before.get(a) is not None and after.get(a) is not None]
        wrong = [a for a, body in checked if body not in (before[a], after[a])]
        unstable = sum(1 for a in before if before[a] is None or after.get(a) is None)
        p95 = _p(latencies, 95)
        ok = not errors and not wrong and rebuild.returncode == 0
        print(f"{USERS} concurrent users during a rebuild ({took:.0f} s, rebuild exit code {rebuild.returncode}): "
              f"{len(latencies)} requests ({len(checked)} answers compared, {len(recorded and actions) - len(urls)} "
              f"kinds of callback, {unstable} not repeatable), p50 {statistics.median(latencies):.1f} ms, "
              f"p95 {p95:.1f} ms, errors {errors}, wrong answers {len(wrong)} "
              f"(target 0 errors, 0 wrong answers, p95 ≤ {P95_TARGET_MS} ms): "
              f"{'ok' if ok and p95 <= P95_TARGET_MS else ('OVER TARGET' if ok else 'ERRORS')}")
        if rebuild.returncode:
            print(build_err)
        for kind in sorted({a[2] for a in wrong})[:5]:
            print(f"  wrong answer: {kind}")
        if not recorded:
            print("  (no /usr/bin/chromium: page loads only, no callbacks compared)")


if __name__ == "__main__":
    main()
