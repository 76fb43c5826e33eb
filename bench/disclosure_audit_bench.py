"""Disclosure audit benchmark: how long the build's audit takes, and what suppression withholds.

Run with ``make bench`` (or ``python -m bench.disclosure_audit_bench [--warehouse PATH ...]``).
Without ``--warehouse`` it builds the demo and real Scotland (from the committed snapshot) into a
temporary folder, as ``cpop demo`` and ``cpop build`` do; then, on a copy of each warehouse, it
times ``etl.disclosure_audit.audit`` as the build calls it (issue 14's target: a few seconds) and
prints how many cells are withheld by cpop's rule, how many of them are complementary (withheld
with no small count of their own), and what the audit still reports but does not enforce.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10

WITHHELD = """
WITH cells AS (
    SELECT v.is_suppressed, t.numerator AS n, t.denominator - t.numerator AS c, i.disclosure_min_count AS m,
           i.disclosure_suppress_zero AS z, i.measure_type = 'percentage' AS pct
    FROM marts.indicator_values AS v
    JOIN meta.indicators AS i USING (indicator_id)
    LEFT JOIN core.agg_indicator_totals AS t USING (indicator_id, period_label, area_type, area_code)
    WHERE i.aggregation = 'extensive' AND i.disclosure_applied_by = 'cpop'
)
-- complementary: withheld, with a known count the primary rule would publish (and complement)
SELECT count(*) FILTER (WHERE is_suppressed) AS withheld,
       count(*) FILTER (WHERE is_suppressed AND n IS NOT NULL
                        AND NOT (n BETWEEN 1 AND m - 1 OR (z AND n = 0))
                        AND NOT (pct AND (c BETWEEN 1 AND m - 1 OR (z AND c = 0)))) AS complementary,
       count(*) AS cells
FROM cells
"""


def _build(folder: Path, *, demo: bool) -> Path:
    from etl.build import build
    from etl.demo import write_demo
    from etl.settings import REAL_CATALOGUE, SNAPSHOT_DIR, get_settings

    (folder / "raw").mkdir(parents=True, exist_ok=True)
    if demo:
        write_demo(folder / "raw")
        settings = get_settings(raw_dir=folder / "raw", warehouse_path=folder / "cpop.duckdb")
    else:
        settings = get_settings(raw_dir=folder / "raw", warehouse_path=folder / "cpop.duckdb",
                                catalogue_dir=REAL_CATALOGUE, snapshot_dir=SNAPSHOT_DIR, use_snapshot=True)
    build(settings, demo=demo)
    return settings.warehouse_path


def measure(warehouse: Path, label: str) -> None:
    """Print the audit's time and findings, and the withheld cells, for one warehouse."""
    from etl.disclosure_audit import audit
    from etl.warehouse_files import internal_path, open_pair

    with tempfile.TemporaryDirectory() as tmp:
        # the pair: the audit reads core (the internal file) beside marts and meta (the public one)
        copy = Path(tmp) / "audit.duckdb"
        shutil.copy(warehouse, copy)
        shutil.copy(internal_path(warehouse), internal_path(copy))
        con = open_pair(copy, read_only=False)
        try:
            withheld, complementary, cells = con.execute(WITHHELD).fetchone()
            t0 = time.perf_counter()
            found = audit(con)
            seconds = time.perf_counter() - t0
        finally:
            con.close()
    verdict = "ok" if seconds <= TARGET_SECONDS else f"over the {TARGET_SECONDS} s target"
    print(f"{label}: audit {seconds:.1f} s ({verdict}); {found.cells:,} withheld cells read, "
          f"{len(found.narrow)} too narrow, {len(found.nested_only)} narrowed only by one deprivation group "
          f"minus another (not enforced); {withheld:,} of {cells:,} cells under cpop's rule withheld, "
          f"{complementary:,} of them complementary")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, action="append", default=[],
                        help="time the audit on this warehouse instead of building the demo and real Scotland")
    args = parser.parse_args()
    if args.warehouse:
        for path in args.warehouse:
            measure(path, str(path))
        return
    with tempfile.TemporaryDirectory() as tmp:
        for label, demo in (("demo", True), ("real Scotland", False)):
            t0 = time.perf_counter()
            path = _build(Path(tmp) / label.replace(" ", "_"), demo=demo)
            print(f"{label}: built in {time.perf_counter() - t0:.0f} s")
            measure(path, label)


if __name__ == "__main__":
    main()
