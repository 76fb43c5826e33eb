"""Complementary suppression: no suppressed count can be recovered by subtraction.

Why: primary suppression hides counts of 1-4, but a visible parent minus its visible children
would give the hidden child back. Small-number disclosure control is a legal duty, so after
primary suppression this hides further cells until, in every family of areas (a parent and the
children of one type that exactly partition it, across every hierarchy in the warehouse), a
visible parent never has exactly one hidden child. Hiding one cell can expose another family,
so passes repeat until nothing changes.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

PASS_SQL = Path(__file__).resolve().parent / "sql" / "disclosure" / "complementary_pass.sql"
MAX_PASSES = 50


def apply_complementary_suppression(con: duckdb.DuckDBPyConnection) -> int:
    """Run passes until none hides a cell; return the number of cells hidden."""
    sql = PASS_SQL.read_text(encoding="utf-8")
    total = 0
    for _ in range(MAX_PASSES):
        changed = con.execute(sql).fetchall()[0][0]
        if not changed:
            return total
        total += int(changed)
    raise RuntimeError(f"complementary suppression did not settle after {MAX_PASSES} passes")
