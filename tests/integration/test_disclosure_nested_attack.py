"""The next attacker of issue 14: subtract one published equation from another that holds it.

A visible area or deprivation group is the equation Σ its hidden cells = its count − its visible
cells. Where every hidden cell of one (F) lies in another (E) — an intermediate zone inside a
ward's hidden data zones, a council's local quintile and a national decile inside it — E − F is
an equation of its own in the hidden cells of E that are not in F. Before complementary
suppression's rule 5 this attacker narrowed 841 withheld data zones of the demo (ward S13009012
minus intermediate zone S02010031 left a hidden total of 4; the build's audit counted 1,123).

The attacker reads the published tables only (``marts``, ``meta`` and the public lookups
``core.bridge_area_area``, ``core.bridge_datazone_group``): visible counts, which cells are
withheld, the denominators (a percentage's count is at most its denominator). It bounds each
hidden cell of every difference by that one equation (exact for one equation) and judges the
range with the audit's own rule (``etl.disclosure_audit._narrow``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from etl.disclosure_audit import _narrow
from etl.warehouse_files import open_pair

PUBLISHED = """
WITH ind AS (
    SELECT indicator_id, native_geography, disclosure_min_count AS min_count,
           disclosure_suppress_zero AS suppress_zero, measure_type = 'percentage' AS pct
    FROM meta.indicators WHERE aggregation = 'extensive' AND disclosure_applied_by = 'cpop'
),
native AS (
    SELECT v.indicator_id, v.period_label, v.area_code, v.numerator, v.denominator,
           v.is_suppressed OR v.numerator IS NULL AS hidden, i.native_geography
    FROM marts.indicator_values AS v JOIN ind AS i USING (indicator_id)
    WHERE v.area_type = i.native_geography
),
areas AS (
    SELECT v.indicator_id, v.period_label, v.area_type || ':' || v.area_code AS equation, v.numerator AS count,
           n.area_code AS cell, n.hidden, n.numerator AS cell_count
    FROM marts.indicator_values AS v JOIN ind AS i USING (indicator_id)
    JOIN core.bridge_area_area AS b
      ON b.area_type = v.area_type AND b.area_code = v.area_code AND b.child_type = i.native_geography
    JOIN native AS n
      ON n.indicator_id = v.indicator_id AND n.period_label = v.period_label AND n.area_code = b.child_code
    WHERE v.area_type <> i.native_geography AND NOT v.is_suppressed AND v.numerator IS NOT NULL
),
groups AS (
    SELECT g.indicator_id, g.period_label,
           'group:' || g.area_code || '|' || g.basis || '|' || g.group_number AS equation, g.numerator AS count,
           n.area_code AS cell, n.hidden, n.numerator AS cell_count
    FROM marts.inequality_groups AS g SEMI JOIN ind USING (indicator_id)
    JOIN core.bridge_datazone_group AS b
      ON b.simd_edition = g.simd_edition AND b.family = g.area_code || '|' || g.basis || '|' || g.group_number
    JOIN native AS n
      ON n.indicator_id = g.indicator_id AND n.period_label = g.period_label AND n.area_code = b.datazone_code
     AND n.native_geography = 'datazone'
    WHERE NOT g.is_suppressed AND g.numerator IS NOT NULL
)
SELECT indicator_id, period_label, equation, any_value(count) - coalesce(sum(cell_count) FILTER (WHERE NOT hidden), 0)
           AS hidden_part,
       list(cell) FILTER (WHERE hidden) AS hidden_cells
FROM (SELECT * FROM areas UNION ALL SELECT * FROM groups)
GROUP BY ALL
HAVING count(*) FILTER (WHERE hidden) > 0
"""

HIDDEN = """
SELECT v.indicator_id, v.period_label, v.area_code AS cell,
       CASE WHEN i.measure_type = 'percentage' THEN v.denominator END AS cap,
       i.disclosure_min_count AS min_count, i.disclosure_suppress_zero AS suppress_zero
FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
WHERE v.area_type = i.native_geography AND i.aggregation = 'extensive' AND i.disclosure_applied_by = 'cpop'
  AND (v.is_suppressed OR v.numerator IS NULL)
"""


def nested_differences(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every hidden cell a reader narrows below the rule by subtracting one published equation
    from another that holds all its hidden cells: indicator_id, period_label, outer, inner, cell,
    lo, hi."""
    cells = con.execute(HIDDEN).df()
    cells["cap"] = cells.cap.astype(float).fillna(np.inf)
    key = cells.indicator_id + "\x1f" + cells.period_label + "\x1f" + cells.cell
    index = pd.Series(np.arange(len(cells)), index=key.to_numpy())
    eqs = con.execute(PUBLISHED).df()
    long = eqs.explode("hidden_cells")
    col = index.loc[(long.indicator_id + "\x1f" + long.period_label + "\x1f" + long.hidden_cells).to_numpy()].to_numpy()
    row = np.repeat(np.arange(len(eqs)), eqs.hidden_cells.map(len).to_numpy())
    a = sp.csr_matrix((np.ones(len(col)), (row, col)), shape=(len(eqs), len(cells)))
    size = np.asarray(a.sum(axis=1)).ravel()
    rhs = eqs.hidden_part.to_numpy(dtype=float)
    cap = cells.cap.to_numpy()
    cap_sum = a @ np.where(np.isfinite(cap), cap, 0.0)
    cap_inf = a @ (~np.isfinite(cap)).astype(float)
    shared = (a @ a.T).tocoo()
    nested = (shared.data == size[shared.col]) & (size[shared.col] < size[shared.row])
    outer, inner = shared.row[nested], shared.col[nested]
    # the difference's hidden part, and (percentages) its complement: a difference can narrow a
    # cell only if it is one cell, or either is below the largest min_count
    part = rhs[outer] - rhs[inner]
    complement = np.where(cap_inf[outer] - cap_inf[inner] > 0, np.inf, cap_sum[outer] - cap_sum[inner] - part)
    top = cells.min_count.max()
    keep = (size[outer] - size[inner] == 1) | (part < top) | (complement < top)
    outer, inner, part = outer[keep], inner[keep], part[keep]
    diff = (a[outer] - a[inner]).tocsr()
    diff.eliminate_zeros()
    coo = diff.tocoo()
    d_cap_sum, d_cap_inf = diff @ np.where(np.isfinite(cap), cap, 0.0), diff @ (~np.isfinite(cap)).astype(float)
    c = coo.col
    own_inf = ~np.isfinite(cap[c])
    others_cap = np.where(d_cap_inf[coo.row] - own_inf > 0, np.inf,
                          d_cap_sum[coo.row] - np.where(own_inf, 0.0, cap[c]))
    lo = np.maximum(0.0, part[coo.row] - others_cap)
    hi = np.minimum(cap[c], part[coo.row])
    bad = _narrow(lo, hi, cells.min_count.to_numpy(dtype=float)[c], cells.suppress_zero.to_numpy(dtype=bool)[c],
                  cap[c])
    return pd.DataFrame({"indicator_id": cells.indicator_id.to_numpy()[c[bad]],
                         "period_label": cells.period_label.to_numpy()[c[bad]],
                         "outer": eqs.equation.to_numpy()[outer[coo.row[bad]]],
                         "inner": eqs.equation.to_numpy()[inner[coo.row[bad]]],
                         "cell": cells.cell.to_numpy()[c[bad]], "lo": lo[bad], "hi": hi[bad]})


@pytest.fixture(scope="module")
def demo(demo_warehouse: Path) -> duckdb.DuckDBPyConnection:
    # the demo warehouse is a pair now (etl.warehouse_files): core.* is in the private file
    con = open_pair(demo_warehouse)
    try:
        yield con
    finally:
        con.close()


def test_the_attack_has_nested_equations_to_work_on(demo: duckdb.DuckDBPyConnection) -> None:
    eqs = demo.execute(f"SELECT count(*), count(DISTINCT split_part(equation, ':', 1)) FROM ({PUBLISHED})").fetchall()
    assert eqs[0][0] > 1000 and eqs[0][1] >= 4  # areas of several types and deprivation groups


def _both_groups(narrowed: pd.DataFrame) -> pd.Series:
    return narrowed.outer.str.startswith("group:") & narrowed.inner.str.startswith("group:")


def test_no_difference_of_nested_areas_narrows_a_withheld_cell(demo: duckdb.DuckDBPyConnection) -> None:
    """Every pair in which at least one is an area (ward minus intermediate zone, council's local
    quintile minus an intermediate zone in it, …): complementary suppression's rule 5."""
    narrowed = nested_differences(demo)
    narrowed = narrowed[~_both_groups(narrowed)]
    assert narrowed.empty, (f"{narrowed.cell.nunique()} withheld cells narrowed, e.g.\n"
                            f"{narrowed.head(10).to_string()}")


def test_no_difference_of_nested_groups_narrows_a_withheld_cell(demo: duckdb.DuckDBPyConnection) -> None:
    """A deprivation group minus a group nested in it (a national quintile minus a national decile,
    a local quintile minus a national decile it holds): ``protect_groups`` rules 3 and 4 (it found
    738 withheld data zones before them)."""
    narrowed = nested_differences(demo)
    narrowed = narrowed[_both_groups(narrowed)]
    assert narrowed.empty, (f"{narrowed.cell.nunique()} withheld cells narrowed, e.g.\n"
                            f"{narrowed.head(10).to_string()}")
