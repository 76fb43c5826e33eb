"""Disclosure audit: can a reader who solves every published equation narrow a withheld count?

Why: complementary suppression (``etl.disclosure``) follows local rules (no equation with one
hidden cell, no hidden part adding up to less than ``min_count``), but a reader can combine every
published figure at once. Issue 14 recovered 284 data zones of the demo exactly, from parent
minus visible children, counts never being negative and the published reason. This audit plays
that reader, with everything cpop publishes, and the build fails when a withheld cell is pinned.

The rule (``docs/security.md``, "Disclosure control"). For an indicator x period, the unknowns
are the hidden cells (``core.fct_hidden_cell``: withheld or unpublished areas at the indicator's
finest geography) and everything published is linear in them: every visible area and
deprivation group is the equation Σ its hidden cells = its count − its visible cells; counts
are non-negative integers; for a percentage the count is at most the published denominator.
The reader does not know which withheld cells are primary (one published reason). A withheld
cell — a hidden cell, or a withheld area or group, the sum of its hidden cells — then has a
feasible range [lo, hi] over the integer solutions, and the rule (``_narrow``) is broken when

    hi − lo < min(min_count, denominator)   (the denominator only for percentages)

while [lo, hi] holds a count the rule withholds (1 to min_count − 1, or, for a percentage, a
complement in that range). So no small count is ever known to within less than the threshold
(a reader cannot even tell it is below it); a cell pinned to a value the rule would publish (0,
or min_count and more) reveals nothing it protects.

How: the reader of the audit chains families (``propagate``): 0 <= x <= cap, then every visible
equation in turn bounds each of its hidden cells by its total minus the others' bounds, again and
again until nothing moves; a withheld area or group is bounded by its cells' bounds and by every
visible equation that holds all its cells (``sum_bounds``). Besides the published areas and
groups, every family "visible parent minus visible children" and the difference of every two
nested equations (``with_differences``) are equations of their own. Each step is exact for one
equation, and the whole runs on sparse matrices in a few seconds.

Where an indicator x period has at most ``EXACT_BLOCK`` hidden cells the audit is exact instead:
integer min and max of every withheld cell by mixed-integer programming (HiGHS).

What the build enforces (``audit(con, group_pairs=True)``): every equation above and the difference
of every two nested ones of at most ``MAX_DIFFERENCE_CELLS`` cells, deprivation groups minus
deprivation groups included (complementary suppression's rule 5 makes such differences safe up
front, so widening here is rarely needed). A group minus a group whose other data zones are all
withheld cannot be widened by a data zone of the outer group: ``etl.marts.inequality.protect_groups``
withholds a group for the nestings known in advance (a national quintile and its two deciles, a
local quintile and the national groups it holds or lies in), and for the rest (hidden cells nested,
data zones not) the widening hides a data zone of the inner group outside the outer one
(``audit_widen.sql``). Not modelled: a reader who combines three or more crossing equations
before bounding (a linear-programming reader) in blocks above ``EXACT_BLOCK`` hidden cells.
Solving every withheld cell of the demo exactly (two programmes per cell, about 37,000 cells)
took more than ten minutes, so the build does not. The audit takes about 5 s on the demo
(``bench/disclosure_audit_bench.py``); ``docs/security.md`` says all this.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

log = logging.getLogger(__name__)

#: the largest difference of two nested equations the audit adds as an equation of its own
MAX_DIFFERENCE_CELLS = 16
#: indicator x period blocks with at most this many hidden cells are solved exactly
EXACT_BLOCK = 60
#: an upper bound standing for none in the integer programmes (HiGHS reports unbounded MIPs unevenly)
UNBOUNDED = 1e9

_NO_GROUPS = ("(SELECT NULL::VARCHAR AS indicator_id, NULL::VARCHAR AS period_label, NULL::VARCHAR AS simd_edition, "
              "NULL::VARCHAR AS area_code, NULL::VARCHAR AS basis, NULL::INTEGER AS group_number, "
              "NULL::BOOLEAN AS is_suppressed, NULL::DOUBLE AS numerator, NULL::DOUBLE AS denominator WHERE false)")

DISCLOSURE_SQL = Path(__file__).resolve().parent / "sql" / "disclosure"


@dataclass(frozen=True)
class Narrow:
    """A withheld cell whose feasible range is narrower than the rule allows."""

    indicator_id: str
    period_label: str
    cell: str  # 'datazone:S01…', 'intermediate_zone:S02…', 'group:<council>|<basis>|<n>'
    lo: float
    hi: float
    required: float
    #: the published area or group ('<area_type>:<code>', 'group:<family>') in which hiding one
    #: more cell widens this one: for a hidden cell, the visible one holding it with the smallest
    #: hidden part; for a withheld area or group, itself
    widen: str = field(default="", compare=False)
    #: for a difference of two nested equations, the inner one: the cell hidden must lie outside it
    #: (two groups with no such cell left: a cell of the inner one outside the outer one)
    unless: str = field(default="", compare=False)
    #: every other (equation, inner) holding this cell whose hidden part is below 2 x min_count:
    #: widened in the same round, so that the build needs few rounds
    also: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def describe(self) -> str:
        return (f"{self.indicator_id} {self.period_label} {self.cell}: a reader can work out that it lies in "
                f"[{self.lo:g}, {self.hi:g}] (the rule needs a range of at least {self.required:g})")


@dataclass
class AuditResult:
    """The audit's findings and what it cost."""

    narrow: list[Narrow]
    cells: int
    rounds: int
    seconds: float
    #: cells a reader narrows only by also subtracting nested equations (when not enforced)
    nested_only: list[Narrow] = field(default_factory=list)


@dataclass
class _System:
    """Everything the audit reads, in arrays (one row of ``leaves`` per unknown)."""

    leaves: pd.DataFrame  # leaf, indicator_id, period_label, cell_type, cell_code, numerator, cap, min_count
    a: sp.csr_matrix  # visible equations x leaves (0/1)
    rhs: np.ndarray
    eq_names: np.ndarray  # '<area_type>:<code>' or 'group:<family>' of each visible equation
    cells: pd.DataFrame  # withheld areas/groups: indicator_id, period_label, cell, min_count, suppress_zero,
    #                      denominator (percentages), visible_part (count − hidden part)
    members: sp.csr_matrix  # withheld areas/groups x leaves (0/1)


def _sql(name: str, con: duckdb.DuckDBPyConnection) -> str:
    """``etl/sql/disclosure/<name>.sql``; no deprivation groups in a build without their mart."""
    sql = (DISCLOSURE_SQL / f"{name}.sql").read_text(encoding="utf-8")
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts' "
                       "AND table_name = 'inequality_groups'").fetchall()[0][0]:
        sql = sql.replace("marts.inequality_groups", _NO_GROUPS)
    return sql


def audit(con: duckdb.DuckDBPyConnection, *, group_pairs: bool = False) -> AuditResult:
    """Measure every withheld cell's feasible range; return those narrower than the rule allows.

    Differences of nested equations are in ``narrow``; those of two deprivation groups (a national
    quintile minus a national decile in it) only with ``group_pairs`` (as the build runs it).
    Without it, the cells only they narrow are listed in ``nested_only`` (a measure, for
    ``bench/disclosure_audit_bench.py``).

    Reads what the build has just written: ``core.fct_hidden_cell``, ``core.agg_indicator_exposure``,
    ``core.agg_indicator_totals``, ``core.bridge_area_area``, ``marts.inequality_groups`` and
    ``core.bridge_datazone_group``.
    """
    t0 = time.perf_counter()
    system = _load(con)
    nested_only: list[Narrow] = []
    narrow, rounds = _judge(system, group_pairs=group_pairs)
    if not narrow and not group_pairs:  # what is left once the enforced part passes
        nested_only, _ = _judge(system, group_pairs=True)
    seconds = time.perf_counter() - t0
    cells = len(system.leaves) + len(system.cells)
    log.info("disclosure audit: %d withheld cells, %d too narrow, %d more by differences of two groups, %d rounds, "
             "%.1f s", cells, len(narrow), len(nested_only), rounds, seconds)
    return AuditResult(narrow, cells, rounds, seconds, nested_only)


# ------------------------------------------------------------------------------------------------
# the equations
# ------------------------------------------------------------------------------------------------
def _load(con: duckdb.DuckDBPyConnection) -> _System:
    """Read the unknowns and equations. Why the integer keys are made in SQL: the equations run
    to hundreds of thousands of rows on the demo, and keying them by text in pandas took most of
    the audit's time."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE disclosure_audit_leaves AS {_sql('audit_leaves', con)}")
    try:
        leaves = con.execute("SELECT *, (dense_rank() OVER (ORDER BY indicator_id, period_label) - 1)::INTEGER "
                             "AS block FROM disclosure_audit_leaves ORDER BY leaf").df()
        # every equation numbered (`k`) among the visible ones and among the withheld ones, in
        # (indicator, period, name) order
        con.execute(f"""CREATE OR REPLACE TEMP TABLE disclosure_audit_equations AS
            SELECT *, (dense_rank() OVER (PARTITION BY is_visible ORDER BY indicator_id, period_label, equation) - 1)
                      ::INTEGER AS k
            FROM ({_sql("audit_equations", con)})""")
        entries = con.execute("SELECT is_visible, k, leaf FROM disclosure_audit_equations WHERE leaf IS NOT NULL"
                              ).fetchnumpy()
        heads = con.execute("""SELECT * EXCLUDE (leaf) FROM disclosure_audit_equations
                               QUALIFY row_number() OVER (PARTITION BY is_visible, k) = 1
                               ORDER BY is_visible, k""").df()
    finally:
        con.execute("DROP TABLE IF EXISTS disclosure_audit_leaves")
        con.execute("DROP TABLE IF EXISTS disclosure_audit_equations")
    n = len(leaves)
    visible_entry = np.asarray(entries["is_visible"], dtype=bool)
    k, leaf = np.asarray(entries["k"], dtype=np.int64), np.asarray(entries["leaf"], dtype=np.int64)

    first = heads[heads.is_visible]
    a = sp.csr_matrix((np.ones(int(visible_entry.sum())), (k[visible_entry], leaf[visible_entry])),
                      shape=(len(first), n))
    a.data[:] = 1.0
    rhs = first.hidden_numerator.to_numpy(dtype=float)
    eq_names = first.equation.to_numpy(dtype=object)

    cells = heads[~heads.is_visible].reset_index(drop=True)
    members = sp.csr_matrix((np.ones(int((~visible_entry).sum())), (k[~visible_entry], leaf[~visible_entry])),
                            shape=(len(cells), n))
    members.data[:] = 1.0
    rule = con.execute("SELECT indicator_id, disclosure_min_count AS min_count, disclosure_suppress_zero AS "
                       "suppress_zero, measure_type = 'percentage' AS pct FROM meta.indicators").df().set_index(
                           "indicator_id")
    m = rule.loc[cells.indicator_id]
    cells["min_count"] = m.min_count.to_numpy(dtype=float)
    cells["suppress_zero"] = m.suppress_zero.to_numpy(dtype=bool)
    cells["denominator"] = np.where(m.pct.to_numpy(), cells.denominator.to_numpy(dtype=float, na_value=np.nan), np.nan)
    # the count is the hidden part plus the visible cells (0 hidden cells: all of it is visible)
    cells["visible_part"] = (cells.true_numerator.fillna(0) - cells.hidden_numerator.fillna(0)).to_numpy(dtype=float)
    cells = cells[["indicator_id", "period_label", "equation", "min_count", "suppress_zero", "denominator",
                   "visible_part"]].rename(columns={"equation": "cell"})
    z = rule.loc[leaves.indicator_id]
    leaves["suppress_zero"] = z.suppress_zero.to_numpy(dtype=bool)
    return _System(leaves, a, rhs, eq_names, cells, members)


# ------------------------------------------------------------------------------------------------
# judging
# ------------------------------------------------------------------------------------------------
def _judge(s: _System, *, group_pairs: bool) -> tuple[list[Narrow], int]:
    """Bounds every cell to a fixed point; return the cells too narrow and the rounds it took.
    ``group_pairs``: subtract nested deprivation groups from each other too."""
    leaves = s.leaves
    x0 = leaves.numerator.to_numpy(dtype=float)
    cap = leaves.cap.to_numpy(dtype=float, na_value=np.inf)
    is_group = np.char.startswith(s.eq_names.astype(str), "group:") if len(s.eq_names) else np.zeros(0, bool)
    a, rhs, origin, inner = with_differences(s.a, s.rhs, MAX_DIFFERENCE_CELLS,
                                             None if group_pairs else is_group)
    lo, hi, rounds = propagate(a, rhs, cap)
    assert (lo <= x0).all() and (x0 <= hi).all(), "disclosure audit: the true counts break the bounds"
    agg_lo, agg_hi = sum_bounds(s.members, a, rhs, lo, hi)
    _exact_small_blocks(s, cap, lo, hi, agg_lo, agg_hi)
    leaf_narrow = _narrow(lo, hi, leaves.min_count.to_numpy(dtype=float), leaves.suppress_zero.to_numpy(dtype=bool),
                          cap)
    c = s.cells
    agg_narrow = _narrow(agg_lo + c.visible_part.to_numpy(), agg_hi + c.visible_part.to_numpy(),
                         c.min_count.to_numpy(), c.suppress_zero.to_numpy(dtype=bool), c.denominator.to_numpy())
    leaf_required = np.minimum(leaves.min_count.to_numpy(dtype=float), cap)
    agg_required = np.minimum(c.min_count.to_numpy(), np.nan_to_num(c.denominator.to_numpy(), nan=np.inf))
    coo = a.tocoo()
    tightest = pd.DataFrame({"leaf": coo.col, "eq": origin[coo.row], "inner": inner[coo.row],
                             "rhs": rhs[coo.row]}).sort_values(["leaf", "rhs", "eq", "inner"]).drop_duplicates(
        "leaf").set_index("leaf")
    entries = pd.DataFrame({"leaf": coo.col, "eq": origin[coo.row], "inner": inner[coo.row], "rhs": rhs[coo.row]})
    entries = entries[leaf_narrow[entries.leaf.to_numpy()]
                      & (entries.rhs.to_numpy() < 2 * leaves.min_count.to_numpy(dtype=float)[entries.leaf.to_numpy()])]
    names = np.append(s.eq_names, "")  # inner -1 is no name
    small = entries.assign(eq=names[entries["eq"].to_numpy()], inner=names[entries["inner"].to_numpy()]).groupby(
        "leaf")[["eq", "inner"]].apply(lambda g: tuple(zip(g["eq"], g["inner"], strict=True)))
    narrow = [Narrow(leaves.indicator_id.iat[i], leaves.period_label.iat[i],
                     f"{leaves.cell_type.iat[i]}:{leaves.cell_code.iat[i]}", lo[i], hi[i], leaf_required[i],
                     *_widening(s.eq_names, tightest, i), small.get(i, ()))
              for i in np.flatnonzero(leaf_narrow)]
    narrow += [Narrow(s.cells.indicator_id.iat[k], s.cells.period_label.iat[k], s.cells.cell.iat[k],
                      agg_lo[k] + c.visible_part.iat[k], agg_hi[k] + c.visible_part.iat[k], agg_required[k],
                      s.cells.cell.iat[k])
               for k in np.flatnonzero(agg_narrow)]
    return narrow, rounds


def _exact_small_blocks(s: _System, cap: np.ndarray, lo: np.ndarray, hi: np.ndarray, agg_lo: np.ndarray,
                        agg_hi: np.ndarray) -> None:
    """Replace the bounds of every indicator x period with at most ``EXACT_BLOCK`` hidden cells by
    the exact integer ranges (min and max of each cell by mixed-integer programming, HiGHS).

    Why: bounding one equation at a time can miss what a reader gets by combining several (two
    crossing partitions); where the block is small, solving it exactly is cheap, so the audit is
    exact there and bounded elsewhere.
    """
    block = s.leaves.block.to_numpy()
    if len(block) == 0:
        return
    starts = np.searchsorted(block, np.arange(block.max() + 2))
    row_block = block[s.a.tocsr().indices[s.a.indptr[:-1]]] if s.a.shape[0] else np.zeros(0, int)
    agg_has = np.diff(s.members.indptr) > 0
    agg_block = np.full(s.members.shape[0], -1)
    agg_block[agg_has] = block[s.members.indices[s.members.indptr[:-1][agg_has]]]
    for b in np.flatnonzero(np.diff(starts) <= EXACT_BLOCK):
        c0, c1 = starts[b], starts[b + 1]
        if c1 == c0:
            continue
        rows = np.flatnonzero(row_block == b)
        a_b, rhs_b, cap_b = s.a[rows][:, c0:c1], s.rhs[rows], cap[c0:c1]
        for j in range(c1 - c0):
            obj = np.zeros(c1 - c0)
            obj[j] = 1.0
            lo[c0 + j], hi[c0 + j] = _exact(obj, a_b, rhs_b, cap_b)
        for k in np.flatnonzero(agg_block == b):
            agg_lo[k], agg_hi[k] = _exact(s.members[k][:, c0:c1].toarray().ravel(), a_b, rhs_b, cap_b)


def _exact(obj: np.ndarray, a: sp.csr_matrix, rhs: np.ndarray, cap: np.ndarray) -> tuple[float, float]:
    """Integer min and max of ``obj @ x`` subject to ``a @ x = rhs``, 0 <= x <= cap (inf: none)."""
    bounds = Bounds(np.zeros(len(cap)), np.where(np.isfinite(cap), cap, UNBOUNDED))
    constraints = [LinearConstraint(a, rhs, rhs)] if a.shape[0] else []
    ends = []
    for sign in (1.0, -1.0):
        res = milp(sign * obj, constraints=constraints, integrality=np.ones(len(cap)), bounds=bounds)
        if res.status != 0:
            raise RuntimeError(f"disclosure audit: the integer programme failed ({res.message})")
        ends.append(sign * res.fun)
    return ends[0], (np.inf if ends[1] >= UNBOUNDED - 0.5 else ends[1])


def _widening(names: np.ndarray, tightest: pd.DataFrame, leaf: int) -> tuple[str, str]:
    """The equation (and the nested one subtracted from it) that bounds ``leaf`` most tightly."""
    if leaf not in tightest.index:
        return "", ""
    row = tightest.loc[leaf]
    return names[int(row["eq"])], (names[int(row["inner"])] if row["inner"] >= 0 else "")


def _narrow(lo: np.ndarray, hi: np.ndarray, min_count: np.ndarray, suppress_zero: np.ndarray,
            denominator: np.ndarray) -> np.ndarray:
    """Which counts, known to lie in [lo, hi], break the rule.

    Notes
    -----
    A count breaks it when hi − lo < min(min_count, denominator) (the denominator only for a
    percentage, NaN or inf otherwise) while [lo, hi] holds a count the rule withholds: 1 to
    min_count − 1 (and 0 when the indicator withholds zeros), or, for a percentage, a range of
    complements (denominator − count) that does. A count pinned to a value the rule would publish
    anyway (0, or min_count and more) reveals nothing it protects.
    """
    d = np.where(np.isfinite(denominator), denominator, np.nan)
    required = np.minimum(min_count, np.nan_to_num(d, nan=np.inf))
    small = (hi >= 1) & (lo <= min_count - 1) | (suppress_zero & (lo <= 0))
    with np.errstate(invalid="ignore"):
        comp_lo, comp_hi = d - hi, d - lo
        small |= np.isfinite(d) & (((comp_hi >= 1) & (comp_lo <= min_count - 1)) | (suppress_zero & (comp_lo <= 0)))
    return (hi - lo < required) & small


def with_differences(a: sp.csr_matrix, rhs: np.ndarray,
                     max_cells: int = MAX_DIFFERENCE_CELLS, is_group: np.ndarray | None = None
                     ) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """The visible equations plus the difference of every pair where one's hidden cells lie within
    the other's (E ⊃ F: Σ over E \\ F = S_E − S_F), for differences of at most ``max_cells`` cells.

    Why: the reader can subtract one published area from another (an intermediate zone minus a
    ward whose hidden data zones all lie in it); bounding one equation at a time would miss that.
    Larger differences are left out to keep the audit fast (they hold many unknowns); so are
    pairs of two rows ``is_group`` marks (see ``audit``). Also returns,
    for every equation, the visible one it comes from (the larger of a pair) and the one
    subtracted (-1 for none).
    """
    origin = np.arange(a.shape[0])
    inner_origin = np.full(a.shape[0], -1)
    if a.shape[0] == 0:
        return a, rhs, origin, inner_origin
    size = np.asarray(a.sum(axis=1)).ravel()
    shared = (a @ a.T).tocoo()
    inner = (shared.data == size[shared.col]) & (size[shared.col] < size[shared.row]) \
        & (size[shared.row] - size[shared.col] <= max_cells)
    if is_group is not None:
        inner &= ~(is_group[shared.row] & is_group[shared.col])
    outer_rows, inner_rows = shared.row[inner], shared.col[inner]
    if len(outer_rows) == 0:
        return a, rhs, origin, inner_origin
    diff = (a[outer_rows] - a[inner_rows]).tocsr()
    diff.eliminate_zeros()
    return (sp.vstack([a, diff]).tocsr(), np.concatenate([rhs, rhs[outer_rows] - rhs[inner_rows]]),
            np.concatenate([origin, outer_rows]), np.concatenate([inner_origin, inner_rows]))


def _sums(a: sp.csr_matrix, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``a``: the sum of the finite entries of ``v`` and how many are infinite."""
    finite = np.isfinite(v)
    return a @ np.where(finite, v, 0.0), a @ (~finite).astype(float)


def propagate(a: sp.csr_matrix, rhs: np.ndarray, cap: np.ndarray,
              max_rounds: int = 1000) -> tuple[np.ndarray, np.ndarray, int]:
    """The reader's bounds on every unknown: 0 <= x <= cap, then each equation Σ x = rhs in turn.

    Notes
    -----
    In an equation Σ_{i in E} x_i = S with bounds l_i <= x_i <= u_i, each x_c lies in
    [S − Σ_{i≠c} u_i, S − Σ_{i≠c} l_i]; that is exact for one equation (every value in between
    is reached by integer solutions). Applying it to every equation again and again, until no
    bound moves, is what a reader who chains families does (parent minus visible children gives
    the hidden part; a hidden part too small bounds each cell in it; that bound tightens another
    family; …). Bounds only shrink and are integers, so this ends.
    """
    n = a.shape[1]
    lo, hi = np.zeros(n), cap.astype(float).copy()
    coo = a.tocoo()
    rows, cols = coo.row, coo.col
    for rounds in range(1, max_rounds + 1):
        sum_lo = a @ lo
        sum_hi, inf_hi = _sums(a, hi)
        # each entry (equation r, unknown c): the rest of the equation's bounds without c
        rest_lo = sum_lo[rows] - lo[cols]
        c_inf = ~np.isfinite(hi[cols])
        rest_hi = np.where(inf_hi[rows] - c_inf > 0, np.inf, sum_hi[rows] - np.where(c_inf, 0.0, hi[cols]))
        new_hi, new_lo = hi.copy(), lo.copy()
        np.minimum.at(new_hi, cols, rhs[rows] - rest_lo)
        np.maximum.at(new_lo, cols, rhs[rows] - rest_hi)
        if np.array_equal(new_hi, hi) and np.array_equal(new_lo, lo):
            return lo, hi, rounds
        lo, hi = new_lo, new_hi
    raise RuntimeError(f"disclosure audit: bounds did not settle in {max_rounds} rounds")


def sum_bounds(members: sp.csr_matrix, a: sp.csr_matrix, rhs: np.ndarray, lo: np.ndarray,
               hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on the sum of each withheld area's or group's hidden cells.

    The sum of its cells' bounds, tightened by every visible equation that holds all of them
    (S minus the bounds of that equation's other cells): an area made of the same hidden cells as
    a visible one is pinned; one withheld with no hidden cell is the sum of visible ones (0 wide).
    """
    k = members.shape[0]
    if k == 0:
        return np.zeros(0), np.zeros(0)
    s_lo = members @ lo
    s_hi, s_inf = _sums(members, hi)
    agg_lo, agg_hi = s_lo.copy(), np.where(s_inf > 0, np.inf, s_hi)
    size = np.asarray(members.sum(axis=1)).ravel()
    shared = (members @ a.T).tocoo()
    whole = (size[shared.row] > 0) & (shared.data == size[shared.row])
    ks, rs = shared.row[whole], shared.col[whole]
    if len(ks):
        e_lo = a @ lo
        e_hi, e_inf = _sums(a, hi)
        other_lo = e_lo[rs] - s_lo[ks]
        other_hi = np.where(e_inf[rs] - s_inf[ks] > 0, np.inf, e_hi[rs] - s_hi[ks])
        np.minimum.at(agg_hi, ks, rhs[rs] - other_lo)
        np.maximum.at(agg_lo, ks, rhs[rs] - other_hi)
    return agg_lo, agg_hi


def widen(con: duckdb.DuckDBPyConnection, narrow: list[Narrow]) -> int:
    """Hide one more visible cell in the area or group named by each narrow cell's ``widen``;
    return how many cells were hidden (then complementary suppression runs again)."""
    from etl.withheld import WITHHELD_REASON

    # a family ('family:<parent type>:<code>><child type>') is widened in its parent area
    def area(equation: str) -> str:
        return equation.removeprefix("family:").split(">")[0]

    wanted = pd.DataFrame([(n.indicator_id, n.period_label, area(eq), area(unless))
                           for n in narrow for eq, unless in ((n.widen, n.unless), *n.also) if eq],
                          columns=["indicator_id", "period_label", "equation", "unless"]).drop_duplicates()
    if wanted.empty:
        return 0
    con.register("disclosure_audit_widen", wanted)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE disclosure_audit_hide AS {_sql('audit_widen', con)}")
    finally:
        con.unregister("disclosure_audit_widen")
    hidden = int(con.execute("SELECT count(*) FROM disclosure_audit_hide").fetchall()[0][0])
    con.execute("""
        UPDATE marts.indicator_values AS t
        SET is_suppressed = true, numerator = NULL, value = NULL, ci_lower = NULL, ci_upper = NULL,
            suppression_reason = $reason, is_low_reliability = false, note = NULL
        FROM disclosure_audit_hide AS h
        WHERE t.indicator_id = h.indicator_id AND t.period_label = h.period_label
          AND t.area_type = h.area_type AND t.area_code = h.area_code
    """, {"reason": WITHHELD_REASON})
    con.execute("DROP TABLE disclosure_audit_hide")
    return hidden
