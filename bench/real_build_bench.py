"""Real-Scotland build benchmark, beside the same figures made in plain pandas.

Run with ``make bench`` (or ``python -m bench.real_build_bench [--runs N]``). Builds real
Scotland from the committed snapshot (``data/snapshot``) into a temporary folder in a fresh
process, as ``cpop build`` does, and prints the wall time, CPU time and peak memory of each stage
against the targets (whole build ≤ 60 s and ≤ 2 GiB on this 2-core machine). Then, in another
fresh process, runs ``bench/pandas_values.py``: ``marts.indicator_values`` written in plain
pandas on the same snapshot tables. It checks that the pandas rows equal the warehouse's on the
rows both make, and prints both times and the speed-up, for the same work (the build's steps
that make those values) and for the whole build (which makes much more).

CPU seconds count every thread (DuckDB runs 2): on a machine shared with others they vary less
than wall seconds, which swing by 20-30 %.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60
TARGET_MB = 2048
SPEED_UP_GOAL = 5
#: The build's steps doing what the pandas pipeline does (read the catalogue, land the lookup and
#: the publishers' tables, type them, pick releases, map to the catalogue, sum, compute, merge).
VALUE_STEPS = (
    "catalogue", "load simd", "load published", "staging.simd__geography_lookup", "staging.published__observations",
    "staging.observations", "core.dim_datazone", "core.dim_area", "core.bridge_datazone_area",
    "core.bridge_area_area", "core.fct_observation", "core.fct_indicator_feature", "core.fct_published_value",
    "marts.indicator_sums", "marts.computed_values", "marts.indicator_values",
)


def _vm_hwm_mb() -> float:
    from etl.build import _peak_rss_mb

    return _peak_rss_mb()


# --------------------------------------------------------------------------------------------
# the two child processes
# --------------------------------------------------------------------------------------------
def _child_build(folder: Path) -> dict:
    from etl.build import build
    from etl.settings import get_settings

    (folder / "raw").mkdir(parents=True, exist_ok=True)  # empty: the build reads the snapshot
    settings = get_settings(raw_dir=folder / "raw", warehouse_path=folder / "cpop.duckdb")
    t0 = time.perf_counter()
    result = build(settings)
    wall = time.perf_counter() - t0
    report = lambda s: {"name": s.name, "seconds": s.seconds, "cpu": s.cpu_seconds, "mb": s.peak_rss_mb}  # noqa: E731
    return {"seconds": wall, "threads": settings.threads, "stages": [report(s) for s in result.stages],
            "steps": [report(s) for s in result.steps], "mb": max([_vm_hwm_mb()] + [s.peak_rss_mb for s in result.stages]),
            "rows": result.table_rows.get("marts.indicator_values", 0),
            "size_mb": (settings.warehouse_path.stat().st_size + settings.internal_path.stat().st_size) / 1e6}


def _child_pandas(folder: Path) -> dict:
    from bench.pandas_values import indicator_values
    from etl.settings import get_settings

    settings = get_settings()
    t0, cpu0 = time.perf_counter(), time.process_time()
    values = indicator_values(settings.snapshot_dir, settings.catalogue_for(False))
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    values.to_pickle(folder / "pandas_values.pkl")
    return {"seconds": wall, "cpu": cpu, "mb": _vm_hwm_mb(), "rows": len(values)}


def _run_child(kind: str, folder: Path) -> dict:
    """Run one child in a fresh interpreter; its JSON report plus the process's own wall time."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.real_build_bench", "--child", kind, str(folder)],
                          capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parents[1])
    if done.returncode:
        sys.exit(f"the {kind} child failed:\n{done.stdout}\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["process_seconds"] = time.perf_counter() - t0
    return report


# --------------------------------------------------------------------------------------------
# one run: build, pandas, check
# --------------------------------------------------------------------------------------------
def run_once() -> dict:
    import duckdb
    import pandas as pd

    from bench.pandas_values import compare

    with tempfile.TemporaryDirectory(prefix="cpop-real-bench-") as tmp:
        folder = Path(tmp)
        build = _run_child("build", folder)
        pandas = _run_child("pandas", folder)
        con = duckdb.connect(str(folder / "cpop.duckdb"), read_only=True)
        mart = con.execute("SELECT * FROM marts.indicator_values").df()
        con.close()
        check = compare(pd.read_pickle(folder / "pandas_values.pkl"), mart)
    steps = {s["name"]: s for s in build["steps"]} | {s["name"]: s for s in build["stages"] if s["name"] == "catalogue"}
    missing = [name for name in VALUE_STEPS if name not in steps]
    if missing:
        sys.exit(f"the build no longer has the step(s) {', '.join(missing)}: update VALUE_STEPS")
    build["value_seconds"] = sum(steps[name]["seconds"] for name in VALUE_STEPS)
    build["value_cpu"] = sum(steps[name]["cpu"] for name in VALUE_STEPS)
    return {"build": build, "pandas": pandas, "check": check}


def _range(values: list[float], fmt: str = "{:.1f}") -> str:
    low, high = min(values), max(values)
    return fmt.format(low) if len(values) == 1 or fmt.format(low) == fmt.format(high) \
        else f"{fmt.format(low)}-{fmt.format(high)}"


def report(runs: list[dict], steps: int = 0) -> None:
    """Print the stage table and the comparison (ranges over the runs); ``steps``: the slowest steps too."""
    first = runs[0]["build"]
    print(f"Real Scotland from the committed snapshot (data/snapshot), {first['threads']} DuckDB threads, "
          f"a fresh process per run; {len(runs)} run(s), ranges are min-max")
    print(f"\n{'stage':<18}{'wall s':>12}{'cpu s':>12}{'peak RSS MB':>14}")
    for i, stage in enumerate(first["stages"]):
        rows = [r["build"]["stages"][i] for r in runs]
        print(f"{stage['name']:<18}{_range([s['seconds'] for s in rows], '{:.2f}'):>12}"
              f"{_range([s['cpu'] for s in rows], '{:.2f}'):>12}{_range([s['mb'] for s in rows], '{:.0f}'):>14}")
    if steps:
        print(f"  the {steps} slowest steps (by median cpu):")
        names = [s["name"] for s in first["steps"]]
        by_name = [{s["name"]: s for s in r["build"]["steps"]} for r in runs]
        names.sort(key=lambda n: -statistics.median(b[n]["cpu"] for b in by_name))
        for name in names[:steps]:
            print(f"  {name:<34}{_range([b[name]['seconds'] for b in by_name], '{:.2f}'):>12}"
                  f"{_range([b[name]['cpu'] for b in by_name], '{:.2f}'):>12}")
    walls = [r["build"]["seconds"] for r in runs]
    cpus = [sum(s["cpu"] for s in r["build"]["stages"]) for r in runs]
    peaks = [r["build"]["mb"] for r in runs]
    processes = [r["build"]["process_seconds"] for r in runs]
    print(f"{'BUILD TOTAL':<18}{_range(walls):>12}{_range(cpus):>12}{_range(peaks, '{:.0f}'):>14}")
    print(f"  the whole `cpop build`-like process, start-up and imports included: {_range(processes)} s")
    print(f"  warehouse files (public + internal) {first['size_mb']:.0f} MB; marts.indicator_values rows: {first['rows']:,}")
    print(f"  target: build ≤ {TARGET_SECONDS} s: {'met' if max(walls) <= TARGET_SECONDS else 'NOT met'} "
          f"(slowest run {max(walls):.1f} s); peak ≤ {TARGET_MB} MB: "
          f"{'met' if max(peaks) <= TARGET_MB else 'NOT met'} (highest {max(peaks):.0f} MB)")

    pandas = [r["pandas"] for r in runs]
    values = [r["build"]["value_seconds"] for r in runs]
    check = runs[-1]["check"]
    print("\nThe same figures in plain pandas (bench/pandas_values.py; what it covers and leaves out is in its "
          "docstring):")
    print(f"  pandas pipeline: {_range([p['seconds'] for p in pandas])} s wall, {_range([p['cpu'] for p in pandas])} s "
          f"cpu (one thread), peak RSS {_range([p['mb'] for p in pandas], '{:.0f}')} MB, {pandas[0]['rows']:,} rows")
    print(f"  the build's steps doing that work ({len(VALUE_STEPS)} steps, catalogue to marts.indicator_values): "
          f"{_range(values)} s wall, {_range([r['build']['value_cpu'] for r in runs])} s cpu")
    only = ", ".join(f"{t} {n:,}" for t, n in check["only_warehouse_types"].items()) or "none"
    print(f"  check: {check['both']:,} rows both make; columns differing on them: {check['differing'] or 'none'} "
          f"(numbers within 1e-9 relative); only in pandas: {check['only_pandas']:,}; only in the warehouse: "
          f"{check['only_warehouse']:,} ({only}: built from polygons, not in the pandas pipeline)")
    same = [p["seconds"] / v for p, v in zip(pandas, values, strict=True)]
    whole = [p["seconds"] / w for p, w in zip(pandas, walls, strict=True)]
    print(f"  same work: DuckDB {_range(same)} times faster than pandas (goal ≥ {SPEED_UP_GOAL}: "
          f"{'met' if min(same) >= SPEED_UP_GOAL else 'NOT met'})")
    print(f"  whole build vs the pandas pipeline: {_range(whole, '{:.2f}')} (the build also lands and checks every "
          "source, and makes trend, inequality, comparisons, family groups, maps and the checks)")
    if check["differing"] or check["only_pandas"]:
        sys.exit("the pandas pipeline and the warehouse disagree: the comparison is not like for like")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("CPOP_BENCH_RUNS", "1")))
    parser.add_argument("--steps", type=int, default=0, help="also print the N slowest steps of the build")
    parser.add_argument("--child", choices=["build", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("folder", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run = _child_build if args.child == "build" else _child_pandas
        print(json.dumps(run(args.folder)))
        return
    t0 = time.perf_counter()
    runs = [run_once() for _ in range(args.runs)]
    report(runs, args.steps)
    print(f"\n(real build benchmark: {time.perf_counter() - t0:.0f} s in all; "
          f"median build {statistics.median(r['build']['seconds'] for r in runs):.1f} s)")


if __name__ == "__main__":
    main()
