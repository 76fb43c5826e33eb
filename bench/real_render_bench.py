"""First render of every page on real Scotland (Fife), in headless Chromium.

Run with ``.venv/bin/python -m bench.real_render_bench`` (part of ``make bench``). Builds real
Scotland from the committed snapshot into a temporary folder (or reads
``CPOP_BENCH_REAL_WAREHOUSE``), then measures each page's first render as ``bench.dashboard_bench``
does (navigation until the page stopped changing, ``RENDER_ROUNDS`` rounds each on a server
started afresh, per page the median and the slowest round), for Fife, one of its wards and one of
its data zones, and What changed in Fife since the oldest release. Target: every page ≤ 1.5 s.

Why beside the Scotland-scale demo: real data holds what the demo does not. What changed in Fife
lists real revisions, and as one Dash component per table cell it took 18 s to draw
(14 s of it in Chromium after the server had answered).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench import machine_speed
from bench.dashboard_bench import CHROMIUM, page_urls, print_renders, render_rounds
from dashboard.data.reader import WarehouseReader

FIFE = "S12000047"


def _warehouse(tmp: Path) -> Path:
    """``CPOP_BENCH_REAL_WAREHOUSE``, else real Scotland built from the committed snapshot in ``tmp``."""
    given = os.environ.get("CPOP_BENCH_REAL_WAREHOUSE")
    if given:
        return Path(given)
    from etl.build import build
    from etl.settings import REAL_CATALOGUE, SNAPSHOT_DIR, get_settings

    (tmp / "raw").mkdir()
    settings = get_settings(raw_dir=tmp / "raw", warehouse_path=tmp / "warehouse" / "cpop.duckdb",
                            catalogue_dir=REAL_CATALOGUE, snapshot_dir=SNAPSHOT_DIR, use_snapshot=True)
    build(settings)
    return settings.warehouse_path


def fife_urls(reader: WarehouseReader) -> dict[str, str]:
    """Every page of ``page_urls`` for Fife, its first ward and data zone, and Fife's revisions."""
    def first(area_type: str) -> str:
        return str(reader.query("SELECT min(area_code) FROM marts.areas WHERE area_type = ? AND council_code = ?",
                                [area_type, FIFE]).iloc[0, 0])

    oldest = str(reader.query("SELECT min(release) FROM marts.indicator_releases").iloc[0, 0])
    localities = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'locality' AND council_code = ? "
                              "ORDER BY area_code LIMIT 1", [FIFE])
    places = {"council": FIFE, "ward": first("ward"), "datazone": first("datazone")}
    if not localities.empty:
        places.update(locality=str(localities.iloc[0, 0]), locality_council=FIFE)
    return {**page_urls(places), f"what changed in Fife since {oldest}": f"/changes?since={oldest}&council={FIFE}"}


def main() -> None:
    if not CHROMIUM.exists():
        print("(no /usr/bin/chromium: real first render skipped)")
        return
    print(machine_speed.describe())
    with tempfile.TemporaryDirectory(prefix="cpop-real-render-") as tmp:
        warehouse = _warehouse(Path(tmp))
        reader = WarehouseReader(warehouse)
        try:
            urls = fife_urls(reader)
        finally:
            reader.close()
        renders, recorded = render_rounds(warehouse, Path(tmp) / "user", urls)
        print_renders("First render on real Scotland (Fife), headless Chromium", renders, recorded)


if __name__ == "__main__":
    main()
