"""Complementary suppression: no suppressed count can be recovered by subtraction.

Why: primary suppression hides counts of 1-4, but a visible parent minus its visible children
would give the hidden child back. Small-number disclosure control is a legal duty, so after
primary suppression this hides further cells until, in every family of areas (a parent and the
children of one type that exactly partition it, across every hierarchy in the warehouse), a
visible parent never has exactly one hidden child — and the same for the data zones of every
deprivation group the inequality marts publish. Hiding one cell can expose another family,
so passes repeat, each examining only the families touched by the cells the previous pass hid.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

DISCLOSURE_SQL = Path(__file__).resolve().parent / "sql" / "disclosure"
EXPOSED_SQL = DISCLOSURE_SQL / "exposed_cells.sql"
MAX_PASSES = 100
REASON = "complementary: protects a suppressed count in the same parent area"


def apply_complementary_suppression(con: duckdb.DuckDBPyConnection) -> int:
    """Run passes until none hides a cell; return the number of cells hidden."""
    exposed_sql = EXPOSED_SQL.read_text(encoding="utf-8")
    group_sql = (DISCLOSURE_SQL / "exposed_group_cells.sql").read_text(encoding="utf-8")
    con.execute("CREATE OR REPLACE TEMP TABLE disclosure_group_members AS "
                + (DISCLOSURE_SQL / "group_members.sql").read_text(encoding="utf-8"))
    con.execute("""
        CREATE OR REPLACE TEMP TABLE disclosure_frontier AS
        SELECT v.indicator_id, v.period_label, v.area_type, v.area_code
        FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
        WHERE i.aggregation = 'extensive' AND (v.is_suppressed OR v.numerator IS NULL)
    """)
    total = 0
    try:
        for passes in range(1, MAX_PASSES + 1):
            con.execute(f"CREATE OR REPLACE TEMP TABLE disclosure_exposed AS ({exposed_sql}) UNION ({group_sql})")
            hidden = con.execute("SELECT count(*) FROM disclosure_exposed").fetchall()[0][0]
            if not hidden:
                log.info("complementary suppression: %d cells in %d passes", total, passes)
                return total
            con.execute(f"""
                UPDATE marts.indicator_values AS t
                SET is_suppressed = true, numerator = NULL, value = NULL, ci_lower = NULL, ci_upper = NULL,
                    suppression_reason = '{REASON}'
                FROM disclosure_exposed AS e
                WHERE t.indicator_id = e.indicator_id AND t.period_label = e.period_label
                  AND t.area_type = e.area_type AND t.area_code = e.area_code
            """)
            con.execute("CREATE OR REPLACE TEMP TABLE disclosure_frontier AS SELECT * FROM disclosure_exposed")
            total += int(hidden)
        raise RuntimeError(f"complementary suppression did not settle after {MAX_PASSES} passes")
    finally:
        con.execute("DROP TABLE IF EXISTS disclosure_frontier")
        con.execute("DROP TABLE IF EXISTS disclosure_exposed")
        con.execute("DROP TABLE IF EXISTS disclosure_group_members")
