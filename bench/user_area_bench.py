"""User-made area benchmark: on-demand profile of a 200-data-zone area, p50 / p95.

Run with ``.venv/bin/python -m bench.user_area_bench`` (or ``--warehouse PATH`` to reuse a
built warehouse). Writes the Scotland-sized demo into a temporary folder, builds it, then times
``dashboard.data.user_areas.user_area_profile`` for random contiguous-ish areas of 200 data
zones (a seed data zone and its 199 nearest neighbours by centroid, within one council where
possible). Target (issue 4): p95 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from dashboard.data.reader import WarehouseReader
from dashboard.data.user_areas import user_area_profile
from etl.build import build
from etl.demo import write_demo
from etl.settings import get_settings

AREA_SIZE = 200
RUNS = 40
TARGET_P95_MS = 150.0


def _areas(raw_dir: Path | None, reader: WarehouseReader, runs: int, seed: int) -> list[list[str]]:
    """``runs`` areas of AREA_SIZE neighbouring data zones (nearest neighbours of a random seed zone)."""
    codes = reader.query("SELECT datazone_code FROM core.dim_datazone ORDER BY 1")["datazone_code"].to_numpy()
    xy = None
    if raw_dir is not None:
        import geopandas as gpd
        import shapely

        shp = next((raw_dir / "boundaries").rglob("*.shp"), None)
        if shp is not None:
            layer = gpd.read_file(shp).set_index("DataZone").reindex(codes)
            pts = shapely.point_on_surface(layer.geometry.to_numpy())
            xy = np.column_stack([shapely.get_x(pts), shapely.get_y(pts)])
    if xy is None:  # no polygons at hand: neighbours in code order (still contiguous in the demo)
        xy = np.column_stack([np.arange(len(codes), dtype=float), np.zeros(len(codes))])
    rng = np.random.default_rng(seed)
    out = []
    for start in rng.choice(len(codes), size=runs, replace=False):
        d = np.hypot(*(xy - xy[start]).T)
        out.append(sorted(codes[np.argsort(d, kind="stable")[:AREA_SIZE]].tolist()))
    return out


def run(warehouse: Path, raw_dir: Path | None, runs: int = RUNS, seed: int = 4) -> tuple[float, float]:
    """Time the profiles and return (p50, p95) in milliseconds."""
    reader = WarehouseReader(warehouse)
    try:
        areas = _areas(raw_dir, reader, runs, seed)
        user_area_profile(reader, areas[0])  # warm-up: open the file, fill DuckDB's caches
        times = []
        for area in areas:
            t0 = time.perf_counter()
            profile = user_area_profile(reader, area)
            times.append((time.perf_counter() - t0) * 1000)
            assert profile.datazone_count == AREA_SIZE and len(profile.values) > 0
    finally:
        reader.close()
    p50, p95 = float(np.percentile(times, 50)), float(np.percentile(times, 95))
    print(f"user_area_profile, {AREA_SIZE}-data-zone areas, {len(times)} runs: "
          f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(times):.0f} ms")
    print(f"target: p95 ≤ {TARGET_P95_MS:.0f} ms ({'met' if p95 <= TARGET_P95_MS else 'NOT met'})")
    return p50, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help="reuse a built warehouse instead of building one")
    parser.add_argument("--raw", type=Path, help="its raw folder (for contiguous areas by geometry)")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if args.warehouse:
        run(args.warehouse, args.raw, args.runs)
        return
    with tempfile.TemporaryDirectory(prefix="cpop-user-area-bench-") as tmp:
        root = Path(tmp)
        write_demo(root / "raw", scale="scotland")
        settings = get_settings(raw_dir=root / "raw", warehouse_path=root / "warehouse" / "cpop.duckdb", threads=2)
        t0 = time.perf_counter()
        result = build(settings)
        stage = next((s.seconds for s in result.stages if s.name == "geographies"), float("nan"))
        print(f"Scotland-scale build: {time.perf_counter() - t0:.1f} s (geographies stage {stage:.2f} s)")
        run(settings.warehouse_path, root / "raw", args.runs)


if __name__ == "__main__":
    main()
