"""Data checks: SQL files that return the bad rows; any row fails the build.

Why: a check that is a query is easy to read, to run by hand (``cpop check``) and to prove
it can fail (tests insert a bad row and expect it back). Results go to ``meta.check_results``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import CheckFailed
from etl.frames import create_table

CHECKS_DIR = Path(__file__).resolve().parent / "sql" / "checks"


def check_files() -> list[Path]:
    """Every check, sorted by name (``<table>__<rule>.sql``)."""
    return sorted(CHECKS_DIR.glob("*.sql"))


def run_checks(
    con: duckdb.DuckDBPyConnection,
    *,
    progress: Callable[[int, int], None] | None = None,
    record: bool = True,
    raise_on_failure: bool = True,
) -> dict[str, pd.DataFrame]:
    """Run every check; record results; raise CheckFailed listing the bad rows."""
    files = check_files()
    failures: dict[str, pd.DataFrame] = {}
    results = []
    for i, path in enumerate(files, start=1):
        bad = con.execute(path.read_text(encoding="utf-8")).df()
        results.append((path.stem, len(bad), "fail" if len(bad) else "pass"))
        if len(bad):
            failures[path.stem] = bad
        if progress:
            progress(i, len(files))
    if record:
        create_table(con, "meta.check_results", pd.DataFrame(results, columns=["check_name", "bad_rows", "status"]))
    if failures and raise_on_failure:
        raise CheckFailed(
            {name: list(df.head(20).itertuples(index=False, name=None)) for name, df in failures.items()},
            {name: list(df.columns) for name, df in failures.items()},
        )
    return failures
