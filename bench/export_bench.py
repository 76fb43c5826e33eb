"""Export benchmark: time to produce profile exports on the demo warehouse (target PDF ≤ 5 s).

Usage: ``.venv/bin/python -m bench.export_bench [--warehouse F]``. Without ``--warehouse`` it
writes the built-in demo to a temporary folder and builds it first (build time is reported
separately and not counted). Each export is timed cold (first call on a fresh reader:
opening the file, reading marts and meta, rendering) and warm (median of 5 further calls).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_PDF_S = 5.0


def _demo_warehouse(root: Path) -> Path:
    from etl.build import build
    from etl.demo import write_demo
    from etl.settings import get_settings

    write_demo(root / "raw")
    settings = get_settings(raw_dir=root / "raw", warehouse_path=root / "warehouse" / "cpop.duckdb")
    started = time.perf_counter()
    build(settings, demo=True)
    print(f"demo warehouse built in {time.perf_counter() - started:.1f} s (not counted)")
    return settings.warehouse_path


def _time(fn, repeat: int = 5) -> tuple[float, float]:  # noqa: ANN001
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - t0)
    return cold, statistics.median(warm)


def run(warehouse: Path) -> int:
    """Time each export for a council and a ward; return 1 when the PDF misses its target."""
    import duckdb

    from dashboard.data.reader import WarehouseReader
    from dashboard.exports import chart_png, chart_svg, profile_data, profile_file

    con = duckdb.connect(str(warehouse), read_only=True)
    cases = [("council", con.execute("SELECT min(area_code) FROM marts.areas WHERE area_type = 'council'")
              .fetchall()[0][0]),
             ("ward", con.execute("SELECT min(area_code) FROM marts.areas WHERE area_type = 'ward'").fetchall()[0][0])]
    con.close()
    worst_pdf = 0.0
    print(f"{'export':<28}{'cold s':>9}{'warm s':>9}{'size KB':>10}")
    for area_type, code in cases:
        for fmt in ("pdf", "xlsx", "csv"):
            reader = WarehouseReader(warehouse)
            sizes: list[int] = []

            def once(reader: WarehouseReader = reader, area_type: str = area_type, code: str = code,
                     fmt: str = fmt, sizes: list[int] = sizes) -> None:
                _name, content = profile_file(reader, area_type, code, fmt)  # type: ignore[arg-type]
                sizes.append(len(content))

            cold, warm = _time(once)
            reader.close()
            if fmt == "pdf":
                worst_pdf = max(worst_pdf, cold, warm)
            print(f"{area_type + ' ' + fmt:<28}{cold:>9.3f}{warm:>9.3f}{sizes[-1] / 1024:>10.0f}")
    reader = WarehouseReader(warehouse)
    indicator = next(i for i in profile_data(reader, *cases[0]).indicators if i.latest is not None)
    reader.close()
    for label, fn in (("chart png 300 dpi", lambda: chart_png(indicator)), ("chart svg", lambda: chart_svg(indicator))):
        cold, warm = _time(fn)
        print(f"{label:<28}{cold:>9.3f}{warm:>9.3f}{len(fn()) / 1024:>10.0f}")
    worst_pdf = max(worst_pdf, _board_reports(warehouse))
    verdict = "OK" if worst_pdf <= TARGET_PDF_S else "TOO SLOW"
    print(f"PDF profile: worst {worst_pdf:.2f} s against a target of {TARGET_PDF_S:.0f} s: {verdict}")
    return 0 if worst_pdf <= TARGET_PDF_S else 1


def _board_reports(warehouse: Path) -> float:
    """Time the Dashboard's board report (a council's wards, a locality's data zones); the slowest PDF (s)."""
    from dashboard.data.queries import Queries
    from dashboard.data.reader import WarehouseReader
    from dashboard.exports.board_report import board_report_file

    reader = WarehouseReader(warehouse)
    council = reader.query("SELECT min(area_code) FROM marts.areas WHERE area_type = 'council'").iloc[0, 0]
    locality = reader.query("SELECT area_code, council_code FROM marts.areas WHERE area_type = 'locality' "
                            "ORDER BY area_code LIMIT 1")
    reader.close()
    cases = [("board council wards", str(council), None, "ward")]
    if not locality.empty:
        cases.append(("board locality DZs", str(locality.iloc[0, 1]), str(locality.iloc[0, 0]), "datazone"))
    worst = 0.0
    for label, council_code, area, child in cases:
        for fmt in ("pdf", "xlsx"):
            reader = WarehouseReader(warehouse)
            sizes: list[int] = []

            def once(reader: WarehouseReader = reader, council_code: str = council_code, area: str | None = area,
                     child: str = child, fmt: str = fmt, sizes: list[int] = sizes) -> None:
                sizes.append(len(board_report_file(Queries(reader), council_code, area, child, fmt)[1]))

            cold, warm = _time(once)
            reader.close()
            if fmt == "pdf":
                worst = max(worst, cold, warm)
            print(f"{label + ' ' + fmt:<28}{cold:>9.3f}{warm:>9.3f}{sizes[-1] / 1024:>10.0f}")
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help="an existing warehouse (default: build the demo)")
    args = parser.parse_args(argv)
    if args.warehouse:
        return run(args.warehouse)
    with tempfile.TemporaryDirectory(prefix="cpop-export-bench-") as tmp:
        return run(_demo_warehouse(Path(tmp)))


if __name__ == "__main__":
    sys.exit(main())
