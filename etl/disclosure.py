"""Complementary suppression: no suppressed count can be recovered by adding or subtracting.

Why: primary suppression hides counts of 1-4, but a visible parent minus its visible children
would give a hidden child back, and a hidden parent whose children are all visible is simply
their sum. Small-number disclosure control is a legal duty, so after primary suppression this
hides further cells until every equation the warehouse publishes has either no hidden cell or
at least two. The equations:

* every family of areas in ``core.bridge_area_parent`` (a parent and the children of one type
  that exactly partition it, across every hierarchy): parent = Σ children;
* every deprivation group that ``marts.inequality_groups`` publishes (``group_members.sql``):
  group = Σ its data zones;
* every pair of areas of different types made of the same data zones (``twins.sql``: a council
  and its coterminous HSCP, a file-defined area of one data zone and that data zone): a = b.

The rules (one SQL file each in ``etl/sql/disclosure``):

1. a visible total with exactly one hidden part: hide the visible part with the smallest
   numerator (ties: smallest code) — ``exposed_cells.sql``, ``exposed_group_cells.sql``;
2. a hidden parent area whose children are all published and visible: hide one child —
   ``exposed_sums.sql``;
3. a withheld deprivation group whose data zones are all visible: hide one data zone —
   ``withheld_group_sums.sql``. The groups withheld are those ``protect_groups`` withholds in
   the inequality marts; they depend on counts, on whether councils' and Scotland's own values
   are hidden and (``protect_groups`` rule 4) on which data zones are, so they are worked out once
   the area passes have settled, and again only if a later pass hid a council or Scotland value
   (redoing them after every pass that hid a data zone did not settle within the pass limit then in use on the
   demo; what data zones hidden later change is left to the build's audit, which widens);
4. a hidden area with a visible twin: hide the twin — ``exposed_twins.sql``;
5. the difference of two nested equations (``_nested_pass``): where every hidden cell of one
   published area or deprivation group lies in another (an intermediate zone inside a ward's
   hidden data zones, a national decile inside a council's local quintile), the second minus the
   first is an equation of its own in the hidden cells at the indicator's finest geography, and
   gets the same rule as a parent minus its children — no single hidden cell, no hidden cells
   adding up to less than min_count: hide a visible cell of the outer one outside the inner one
   (``nested_complement.sql``). Worked out when the other rules have settled, with sparse
   matrices (``nested_equations.sql``: every equation x its hidden cells), and again after
   every pass that follows, until none hides a cell.

For rules 2 and 3, ``complement_choice.sql`` picks the part that is least pinned down
elsewhere (see there), then the smallest numerator, then the smallest code. Hiding one cell
can expose another equation, so passes repeat, each examining only the families touched (as
child or as parent) by the cells the previous pass hid.

Why it ends: a pass only ever hides cells, never shows one (``_hide`` marks only cells still
visible, and every rule is a deterministic choice from the current state), so every pass either
hides at least one more cell or changes nothing. Between two passes that hide, at most three
hide nothing (an area pass, a group pass, a nested pass), so the passes are at most three times
the number of cells; there is no arbitrary cap. The Scotland-scale demo takes about 130 passes:
rule 5 exposes new differences each time rules 1 and 2 settle, in an ever shorter tail.

The passes work on compact temporary tables with integer keys (``areas``, ``periods``,
``cells``, ``families``, ``twins``, ``group_families``, ``group_member_ids``) rather than on
the wide ``marts.indicator_values``, which is updated when the passes settle.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import scipy.sparse as sp

from etl.withheld import WITHHELD_REASON

log = logging.getLogger(__name__)

DISCLOSURE_SQL = Path(__file__).resolve().parent / "sql" / "disclosure"
# working tables, in the order they are made: disclosure_<table> from etl/sql/disclosure/<file>.sql
WORK_TABLES = {"areas": "areas", "periods": "periods", "cells": "cells", "families": "families",
               "twins": "twins", "group_members_text": "group_members", "group_families": "group_families",
               "group_members": "group_member_ids", "native_members": "native_members"}
PASS_TABLES = ["frontier", "family_states", "sums", "exposed", "hidden", "withheld_groups", "nested_exposed"]


def _sql(name: str) -> str:
    """The SQL of ``etl/sql/disclosure/<name>.sql``, with ``choose_complement.sql`` spliced in
    where it says ``/*choose_complement*/`` (two rules share that choice)."""
    sql = (DISCLOSURE_SQL / f"{name}.sql").read_text(encoding="utf-8")
    if "/*choose_complement*/" in sql:
        sql = sql.replace("/*choose_complement*/", (DISCLOSURE_SQL / "choose_complement.sql").read_text(encoding="utf-8"))
    return sql


def apply_complementary_suppression(con: duckdb.DuckDBPyConnection) -> int:
    """Run passes until none hides a cell; return the number of cells hidden."""
    try:
        for table, name in WORK_TABLES.items():
            con.execute(f"CREATE OR REPLACE TEMP TABLE disclosure_{table} AS {_sql(name)}")
        con.execute("CREATE OR REPLACE TEMP TABLE disclosure_frontier AS "
                    "SELECT ip, area FROM disclosure_cells WHERE is_hidden")
        con.execute("CREATE OR REPLACE TEMP TABLE disclosure_hidden (ip INTEGER, area INTEGER, rule INTEGER)")
        has_groups = con.execute("SELECT count(*) FROM disclosure_group_members").fetchall()[0][0] > 0
        # a bound that cannot be reached (see the module docstring): each pass hides or changes nothing
        max_passes = 3 * (con.execute("SELECT count(*) FROM disclosure_cells").fetchall()[0][0] + 1)
        total, passes, groups_stale = 0, 0, True
        while True:
            hidden = _area_pass(con)
            passes += 1
            if hidden:
                total += hidden
                groups_stale = groups_stale or _hid_a_group_parent(con)
            elif has_groups and groups_stale:  # settled: which deprivation groups does that leave withheld?
                _publish(con)
                groups_stale = False
                total += _group_pass(con)
            else:  # settled: do differences of nested equations give anything away?
                hidden = _nested_pass(con)
                if not hidden:
                    break
                total += hidden
                groups_stale = groups_stale or _hid_a_group_parent(con)
            if passes > max_passes:  # pragma: no cover - every pass hides a cell or the loop stops
                raise AssertionError(f"complementary suppression: {passes} passes over {max_passes // 3 - 1} cells")
        _publish(con)
        log.info("complementary suppression: %d cells in %d passes", total, passes)
        return total
    finally:
        for table in [*WORK_TABLES, *PASS_TABLES]:
            con.execute(f"DROP TABLE IF EXISTS disclosure_{table}")


def _area_pass(con: duckdb.DuckDBPyConnection) -> int:
    """One pass of rules 1, 2 and 4 over the families and twins touched by the frontier."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE disclosure_family_states AS {_sql('family_states')}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE disclosure_sums AS {_sql('exposed_sums')}")
    return _hide(con, f"""
        SELECT ip, area, 1 AS rule FROM ({_sql('exposed_cells')})
        UNION ALL SELECT ip, area, 1 FROM ({_sql('exposed_group_cells')})
        UNION ALL SELECT ip, area, 2 FROM ({_sql('complement_choice')})
        UNION ALL SELECT ip, area, 4 FROM ({_sql('exposed_twins')})""")


def _group_pass(con: duckdb.DuckDBPyConnection) -> int:
    """Rule 3: hide a data zone of every withheld deprivation group whose data zones are all visible."""
    from etl.marts.inequality import withheld_groups  # the marts import the build, which imports us

    con.register("disclosure_withheld_frame", withheld_groups(con))
    try:
        con.execute("""
            CREATE OR REPLACE TEMP TABLE disclosure_withheld_groups AS
            SELECT DISTINCT p.ip, f.family
            FROM disclosure_withheld_frame AS w
            JOIN disclosure_periods AS p USING (indicator_id, period_label)
            JOIN disclosure_group_families AS f
              ON f.family_code = w.area_code || '|' || w.basis || '|' || w.group_number
        """)
    finally:
        con.unregister("disclosure_withheld_frame")
    con.execute(f"CREATE OR REPLACE TEMP TABLE disclosure_sums AS {_sql('withheld_group_sums')}")
    return _hide(con, f"SELECT ip, area, 3 AS rule FROM ({_sql('complement_choice')})")


def _nested_pass(con: duckdb.DuckDBPyConnection) -> int:
    """Rule 5: hide a cell in every difference of two nested equations that gives a count away.

    Why sparse matrices: which equations nest depends on which cells are hidden, so it changes
    with every pass; with A the 0/1 matrix of equations x hidden cells (all indicators and
    periods at once, a cell belongs to one), A Aᵀ counts the hidden cells every two equations
    share, and F lies in E when they share all of F's. The differences' sums follow from the
    equations' sums. Each equation alone is checked too (inner 0), at the level of hidden cells.
    """
    rows = con.execute(f"SELECT * FROM ({_sql('nested_equations')}) ORDER BY ip, equation").df()
    exposed = _exposed_differences(rows, con.execute(
        "SELECT ip, min_count, is_percentage FROM disclosure_periods ORDER BY ip").df())
    con.register("disclosure_nested_frame", exposed)
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE disclosure_nested_exposed AS SELECT * FROM disclosure_nested_frame")
    finally:
        con.unregister("disclosure_nested_frame")
    return _hide(con, f"SELECT ip, area, 5 AS rule FROM ({_sql('nested_complement')})")


def _exposed_differences(rows: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """The nested pairs (and single equations) whose difference breaks the rule: ip, outer_eq,
    inner_eq (0: none), part, part_complement, unknown (hidden cells of unknown count in it).

    ``rows``: ip, equation, leaf, numerator, complement (``nested_equations.sql``).
    """
    columns = ["ip", "outer_eq", "inner_eq", "part", "part_complement", "unknown"]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c.startswith("part") else "int64") for c in columns})
    # (ip, equation) and (ip, leaf) packed into one int64 each: factorizing millions of tuples
    # took most of a Scotland-scale pass (7 s of 7.4 s), integers take a fraction of a second
    ip_bits = rows.ip.to_numpy(dtype=np.int64) << 32
    eq_codes, eq_packed = pd.factorize(ip_bits | (rows.equation.to_numpy(dtype=np.int64) + 2**31))
    leaf_codes, leaf_packed = pd.factorize(ip_bits | (rows.leaf.to_numpy(dtype=np.int64) + 2**31))
    first = np.unique(leaf_codes, return_index=True)[1]  # a row of each leaf, in leaf-code order
    numerator = rows.numerator.to_numpy(dtype=float, na_value=np.nan)[first]
    complement = rows.complement.to_numpy(dtype=float, na_value=np.nan)[first]
    eq_ip, eq_equation = eq_packed >> 32, (eq_packed & 0xFFFFFFFF) - 2**31
    a = sp.csr_matrix((np.ones(len(rows)), (eq_codes, leaf_codes)), shape=(len(eq_packed), len(leaf_packed)))
    size = np.asarray(a.sum(axis=1)).ravel()
    unknown = a @ np.isnan(numerator).astype(float)
    total = a @ np.nan_to_num(numerator)
    total_complement = a @ np.nan_to_num(complement)
    shared = (a @ a.T).tocoo()
    nested = (shared.data == size[shared.col]) & (size[shared.col] < size[shared.row])
    outer = np.concatenate([np.arange(len(eq_packed)), shared.row[nested]])
    inner = np.concatenate([np.full(len(eq_packed), -1), shared.col[nested]])
    has_inner = inner >= 0
    inner_or_0 = np.where(has_inner, inner, 0)

    def minus_inner(v: np.ndarray) -> np.ndarray:
        return v[outer] - np.where(has_inner, v[inner_or_0], 0.0)

    cells, part, part_complement, part_unknown = (minus_inner(size), minus_inner(total),
                                                  minus_inner(total_complement), minus_inner(unknown))
    ip = eq_ip[outer]
    rule = periods.set_index("ip").loc[ip]
    min_count = rule.min_count.to_numpy(dtype=float)
    small = (part_unknown == 0) & ((part < min_count)
                                    | (rule.is_percentage.to_numpy(dtype=bool) & (part_complement < min_count)))
    bad = (cells == 1) | ((cells >= 2) & small)
    equation = eq_equation
    return pd.DataFrame({"ip": ip[bad], "outer_eq": equation[outer[bad]],
                         "inner_eq": np.where(has_inner[bad], equation[inner_or_0[bad]], 0),
                         "part": part[bad], "part_complement": part_complement[bad],
                         "unknown": part_unknown[bad].astype(np.int64)})


def _hide(con: duckdb.DuckDBPyConnection, exposed_sql: str) -> int:
    """Mark the cells of ``exposed_sql`` (ip, area, rule) hidden; they are the next frontier.

    Only cells still visible count: a rule naming a cell already hidden changes nothing, and
    counting it as progress is what would keep the passes from ending."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE disclosure_exposed AS
        SELECT e.ip, e.area, min(e.rule) AS rule
        FROM ({exposed_sql}) AS e
        JOIN disclosure_cells AS c ON c.ip = e.ip AND c.area = e.area AND NOT c.is_hidden
        GROUP BY e.ip, e.area
    """)
    hidden = int(con.execute("SELECT count(*) FROM disclosure_exposed").fetchall()[0][0])
    if hidden:
        con.execute("""
            UPDATE disclosure_cells AS c SET is_hidden = true
            FROM disclosure_exposed AS e WHERE c.ip = e.ip AND c.area = e.area
        """)
        con.execute("INSERT INTO disclosure_hidden SELECT ip, area, rule FROM disclosure_exposed")
    con.execute("CREATE OR REPLACE TEMP TABLE disclosure_frontier AS SELECT ip, area FROM disclosure_exposed")
    return hidden


def _hid_a_group_parent(con: duckdb.DuckDBPyConnection) -> bool:
    """Did the last pass hide a council or Scotland value (the parents of deprivation groups)?"""
    return con.execute("""
        SELECT count(*) FROM disclosure_exposed AS e JOIN disclosure_areas AS a USING (area)
        WHERE a.area_type IN ('council', 'scotland')
    """).fetchall()[0][0] > 0


def _publish(con: duckdb.DuckDBPyConnection) -> None:
    """Write the cells hidden so far into ``marts.indicator_values`` (and forget them here)."""
    # One reason for every withheld cell (etl/withheld.py), and nothing else that tells a
    # complementary cell from a primary one: the low-reliability flag and the note were worked
    # out from the count being hidden (a primary cell has neither).
    con.execute("""
        UPDATE marts.indicator_values AS t
        SET is_suppressed = true, numerator = NULL, value = NULL, ci_lower = NULL, ci_upper = NULL,
            suppression_reason = $reason, is_low_reliability = false, note = NULL
        FROM (SELECT p.indicator_id, p.period_label, a.area_type, a.area_code
              FROM disclosure_hidden AS h
              JOIN disclosure_periods AS p USING (ip)
              JOIN disclosure_areas AS a USING (area)) AS e
        WHERE t.indicator_id = e.indicator_id AND t.period_label = e.period_label
          AND t.area_type = e.area_type AND t.area_code = e.area_code
    """, {"reason": WITHHELD_REASON})
    con.execute("DELETE FROM disclosure_hidden")
