"""Complementary suppression: no suppressed count can be recovered by subtraction.

Why: primary suppression hides counts of 1-4, but a visible parent minus its visible children
would give the hidden child back. Small-number disclosure control is a legal duty, so after
primary suppression this hides further cells until, in every family of areas (a parent and the
children of one type that exactly partition it, across every hierarchy in the warehouse), a
visible parent never has exactly one hidden child — and the same for the data zones of every
deprivation group the inequality marts publish. Hiding one cell can expose another family,
so passes repeat, each examining only the families touched by the cells the previous pass hid.

The passes work on compact temporary tables with integer keys (``etl/sql/disclosure``:
``areas``, ``periods``, ``cells``, ``families``, ``group_families``, ``group_member_ids``)
rather than on the wide ``marts.indicator_values``, which is updated once, when the passes
have settled.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

DISCLOSURE_SQL = Path(__file__).resolve().parent / "sql" / "disclosure"
MAX_PASSES = 100
REASON = "complementary: protects a suppressed count in the same parent area"
# working tables, in the order they are made: disclosure_<table> from etl/sql/disclosure/<file>.sql
WORK_TABLES = {"areas": "areas", "periods": "periods", "cells": "cells", "families": "families",
               "group_members_text": "group_members", "group_families": "group_families",
               "group_members": "group_member_ids"}
PASS_TABLES = ["frontier", "exposed", "hidden"]


def _sql(name: str) -> str:
    return (DISCLOSURE_SQL / f"{name}.sql").read_text(encoding="utf-8")


def apply_complementary_suppression(con: duckdb.DuckDBPyConnection) -> int:
    """Run passes until none hides a cell; return the number of cells hidden."""
    exposed_sql, group_sql = _sql("exposed_cells"), _sql("exposed_group_cells")
    try:
        for table, name in WORK_TABLES.items():
            con.execute(f"CREATE OR REPLACE TEMP TABLE disclosure_{table} AS {_sql(name)}")
        con.execute("CREATE OR REPLACE TEMP TABLE disclosure_frontier AS "
                    "SELECT ip, area FROM disclosure_cells WHERE is_hidden")
        con.execute("CREATE OR REPLACE TEMP TABLE disclosure_hidden (ip INTEGER, area INTEGER)")
        total = 0
        for passes in range(1, MAX_PASSES + 1):
            con.execute(f"CREATE OR REPLACE TEMP TABLE disclosure_exposed AS ({exposed_sql}) UNION ({group_sql})")
            hidden = con.execute("SELECT count(*) FROM disclosure_exposed").fetchall()[0][0]
            if not hidden:
                log.info("complementary suppression: %d cells in %d passes", total, passes)
                break
            con.execute("""
                UPDATE disclosure_cells AS c SET is_hidden = true
                FROM disclosure_exposed AS e WHERE c.ip = e.ip AND c.area = e.area
            """)
            con.execute("INSERT INTO disclosure_hidden SELECT ip, area FROM disclosure_exposed")
            con.execute("CREATE OR REPLACE TEMP TABLE disclosure_frontier AS SELECT * FROM disclosure_exposed")
            total += int(hidden)
        else:
            raise RuntimeError(f"complementary suppression did not settle after {MAX_PASSES} passes")
        con.execute(f"""
            UPDATE marts.indicator_values AS t
            SET is_suppressed = true, numerator = NULL, value = NULL, ci_lower = NULL, ci_upper = NULL,
                suppression_reason = '{REASON}'
            FROM (SELECT p.indicator_id, p.period_label, a.area_type, a.area_code
                  FROM disclosure_hidden AS h
                  JOIN disclosure_periods AS p USING (ip)
                  JOIN disclosure_areas AS a USING (area)) AS e
            WHERE t.indicator_id = e.indicator_id AND t.period_label = e.period_label
              AND t.area_type = e.area_type AND t.area_code = e.area_code
        """)
        return total
    finally:
        for table in [*WORK_TABLES, *PASS_TABLES]:
            con.execute(f"DROP TABLE IF EXISTS disclosure_{table}")
