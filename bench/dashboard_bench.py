"""Dashboard and user-made-area benchmark on a Scotland-scale demo warehouse.

Run with ``.venv/bin/python -m bench.dashboard_bench`` (part of ``make bench``). Prints:
1. server-side data time per page interaction (the queries each callback runs, cache cold),
   p50/p95 over repeated calls — target p95 ≤ 150 ms;
2. user-made area profile for random 200-data-zone areas, p50/p95 — target p95 ≤ 150 ms;
3. first render of each page in headless Chromium (when /usr/bin/chromium exists) — target ≤ 2 s;
4. 20 concurrent simulated users on loopback (page loads and Dash layout requests),
   p95 latency and error count — target p95 ≤ 500 ms, no errors.
Set CPOP_BENCH_WAREHOUSE to reuse a built Scotland-scale warehouse.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dashboard.data.cache import BuildCache
from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader
from dashboard.data.user_areas import user_area_profile
from etl.build import build
from etl.demo import write_demo
from etl.settings import get_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def _time(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _warehouse(tmp: Path) -> Path:
    if os.environ.get("CPOP_BENCH_WAREHOUSE"):
        return Path(os.environ["CPOP_BENCH_WAREHOUSE"])
    write_demo(tmp / "raw", scale="scotland")
    settings = get_settings(raw_dir=tmp / "raw", warehouse_path=tmp / "cpop.duckdb")
    build(settings)
    return settings.warehouse_path


def interactions(reader: WarehouseReader) -> dict[str, Callable[[], object]]:
    q = Queries(reader)
    council = q.search_areas("council", None, limit=1).area_code.iloc[0]
    ward = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'ward' AND council_code = ? LIMIT 1",
                        [council]).iloc[0, 0]
    fresh = lambda: Queries(reader, BuildCache())  # noqa: E731 - a cold cache for every call
    return {
        "quick profile: type-ahead search": lambda: fresh().search_areas("datazone", "north", limit=20),
        "quick profile: latest values": lambda: fresh().latest_values("ward", ward),
        "quick profile: trend series": lambda: fresh().series("ey_child_poverty", "ward", ward),
        "area profile: rank + map": lambda: (fresh().area_rank("ey_child_poverty", "ward", "2024/25", council),
                                             fresh().area_boundaries("ward", council)),
        "area profile: deprivation groups": lambda: fresh().inequality_groups("ey_child_poverty", "council", council),
        "data explorer: catalogue": lambda: fresh().explorer_indicators(),
        "dashboard: RAG matrix + exceptions": lambda: (fresh().rag_matrix(council, "ward"), fresh().exceptions(council)),
        "advanced tables: rows": lambda: fresh().table_rows(("ey_child_poverty", "ss_crime_rate"), "ward", council),
    }


def user_areas(reader: WarehouseReader, runs: int = 30) -> list[float]:
    dz = reader.query("SELECT datazone_code, council_code FROM core.dim_datazone ORDER BY datazone_code")
    rng = random.Random(1)
    times = []
    for _ in range(runs):
        council = rng.choice(sorted(dz.council_code.unique()))
        members = sorted(dz[dz.council_code == council].datazone_code)
        start = rng.randrange(max(1, len(members) - 200))
        area = members[start:start + 200]
        t0 = time.perf_counter()
        user_area_profile(reader, area)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def first_renders(base: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "/about")  # warm the server's bundles once
        for path in ["/", "/area", "/explorer", "/dashboard", "/tables", "/areas", "/about"]:
            t0 = time.perf_counter()
            page.goto(base + path)
            page.wait_for_selector("h1")
            page.wait_for_load_state("networkidle")
            out[path] = time.perf_counter() - t0
        browser.close()
    return out


def load_test(base: str, users: int = 20, requests_each: int = 15) -> tuple[list[float], int]:
    paths = ["/", "/_dash-layout", "/_dash-dependencies", "/area", "/dashboard", "/tables"]
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def user(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        for _ in range(requests_each):
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(base + rng.choice(paths), timeout=10) as response:  # noqa: S310 (loopback)
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            with lock:
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += 0 if ok else 1

    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(user, range(users)))
    return latencies, errors


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cpop-dash-bench-") as tmp:
        warehouse = _warehouse(Path(tmp))
        reader = WarehouseReader(warehouse)
        print(f"warehouse: {warehouse}\n\nserver-side data per interaction (ms, cold cache, 20 runs)")
        for name, fn in interactions(reader).items():
            times = _time(fn, 20)
            print(f"  {name:<40} p50 {statistics.median(times):7.1f}  p95 {_p(times, 95):7.1f}")
        times = user_areas(reader)
        print(f"\nuser-made area, 200 data zones (ms, {len(times)} areas): p50 {statistics.median(times):.1f}  "
              f"p95 {_p(times, 95):.1f}")
        from waitress.server import create_server

        from dashboard.app import create_app

        settings = get_settings(warehouse_path=warehouse, user_dir=Path(tmp) / "user")
        app = create_app(settings)
        server = create_server(app.server, host="127.0.0.1", port=0, threads=8)
        base = f"http://127.0.0.1:{server.effective_port}"
        threading.Thread(target=server.run, daemon=True).start()
        urllib.request.urlopen(base + "/", timeout=10).read()  # noqa: S310 (loopback)
        if CHROMIUM.exists():
            print("\nfirst render in headless Chromium (s)")
            for path, seconds in first_renders(base).items():
                print(f"  {path:<12} {seconds:5.2f}")
        latencies, errors = load_test(base)
        print(f"\n20 concurrent users, {len(latencies)} requests: p50 {statistics.median(latencies):.1f} ms, "
              f"p95 {_p(latencies, 95):.1f} ms, errors {errors}")
        server.close()


if __name__ == "__main__":
    main()
