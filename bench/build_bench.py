"""Scotland-scale build benchmark: wall time and peak memory of each stage.

Run with ``make bench``. Writes the Scotland-sized demo (6,976 data zones, 32 councils) into a
temporary folder, builds the warehouse with 2 threads, and prints one line per stage. Target
(foundation issue): whole build ≤ 60 s and ≤ 2 GiB peak on 2 cores.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from etl.build import _peak_rss_mb, _reset_peak_rss, build
from etl.demo import write_demo
from etl.settings import get_settings


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cpop-bench-") as tmp:
        root = Path(tmp)
        _reset_peak_rss()
        t0 = time.perf_counter()
        summary = write_demo(root / "raw", scale="scotland")
        demo_s, demo_mb = time.perf_counter() - t0, _peak_rss_mb()
        print(f"demo data (scale=scotland): {summary.data_zones:,} data zones, {summary.councils} councils, "
              f"{summary.files_written} files")
        settings = get_settings(raw_dir=root / "raw", warehouse_path=root / "warehouse" / "cpop.duckdb", threads=2)
        t0 = time.perf_counter()
        result = build(settings)
        wall = time.perf_counter() - t0
        print(f"\n{'stage':<18}{'seconds':>10}{'peak RSS MB':>14}")
        print(f"{'(demo generation)':<18}{demo_s:>10.2f}{demo_mb:>14.0f}")
        for stage in result.stages:
            print(f"{stage.name:<18}{stage.seconds:>10.2f}{stage.peak_rss_mb:>14.0f}")
        peak = max(s.peak_rss_mb for s in result.stages)
        size_mb = settings.warehouse_path.stat().st_size / 1e6
        internal_mb = settings.internal_path.stat().st_size / 1e6
        print(f"{'BUILD TOTAL':<18}{wall:>10.2f}{peak:>14.0f}")
        print(f"\nwarehouse file: {size_mb:.1f} MB (public) + {internal_mb:.1f} MB (internal); "
              f"indicator_values rows: {result.table_rows.get('marts.indicator_values', 0):,}")
        print(f"target: build ≤ 60 s ({'met' if wall <= 60 else 'NOT met'}), "
              f"peak ≤ 2048 MB ({'met' if peak <= 2048 else 'NOT met'})")


if __name__ == "__main__":
    main()
