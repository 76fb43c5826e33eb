"""Data checks: SQL files that return the bad rows.

Why: a check that is a query is easy to read, to run by hand (``cpop check``) and to prove
it can fail (tests insert a bad row and expect it back). Results go to ``meta.check_results``.

A check is an error unless its file starts with ``-- severity: warning``: an error aborts the
build (the live warehouse is not touched); a warning is what real published data does and a
reader should know about (a small area's count above its population estimate), so it is
recorded, listed by the build and by ``cpop check``, and the build goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import CheckFailed
from etl.frames import create_table

CHECKS_DIR = Path(__file__).resolve().parent / "sql" / "checks"
WARNING_MARK = "-- severity: warning"


def check_files() -> list[Path]:
    """Every check, sorted by name (``<table>__<rule>.sql``)."""
    return sorted(CHECKS_DIR.glob("*.sql"))


def is_warning(path: Path) -> bool:
    """True for a check whose file starts with ``-- severity: warning``."""
    return path.read_text(encoding="utf-8").lstrip().lower().startswith(WARNING_MARK)


def run_checks(
    con: duckdb.DuckDBPyConnection,
    *,
    progress: Callable[[int, int], None] | None = None,
    record: bool = True,
    raise_on_failure: bool = True,
    warnings: dict[str, pd.DataFrame] | None = None,
) -> dict[str, pd.DataFrame]:
    """Run every check; record results; raise CheckFailed listing the bad rows of failed errors.

    Returns the failed error checks' bad rows; the warnings' rows go into ``warnings`` when a
    dict is given.
    """
    files = check_files()
    failures: dict[str, pd.DataFrame] = {}
    results = []
    for i, path in enumerate(files, start=1):
        bad = con.execute(path.read_text(encoding="utf-8")).df()
        warning = is_warning(path)
        status = "pass" if not len(bad) else ("warning" if warning else "fail")
        results.append((path.stem, len(bad), status))
        if len(bad) and warning:
            if warnings is not None:
                warnings[path.stem] = bad
        elif len(bad):
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
