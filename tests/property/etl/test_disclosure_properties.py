"""Suppression plus the build's audit on random families: an exact attacker narrows nothing.

Random councils of intermediate zones of data zones (and, crossing them, wards), random counts
with many small ones, a random threshold. The build's steps run as in ``etl.build``
(complementary suppression, then the audit, widening until it passes). The attacker is written
here from scratch and reads only what is published: every visible area is an equation in the
hidden data zones, counts are non-negative integers, and nothing says which withheld cells are
primary; it solves each withheld cell's exact integer range by mixed-integer programming. The
rule (docs/security.md): no range narrower than min_count may hold a count from 1 to min_count − 1.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from etl.build import MAX_WIDENINGS, run_sql_file
from etl.disclosure import apply_complementary_suppression
from etl.disclosure_audit import audit, widen
from tests.sql.test_disclosure_sql import _world


@st.composite
def worlds(draw: st.DrawFn) -> tuple[dict[str, float], dict[str, dict[str, list[str]]], int]:
    min_count = draw(st.integers(2, 6))
    sizes = draw(st.lists(st.integers(2, 4), min_size=2, max_size=4))
    counts, izs = {}, {}
    for i, size in enumerate(sizes):
        izs[f"I{i}"] = [f"D{i}{j}" for j in range(size)]
        for dz in izs[f"I{i}"]:
            counts[dz] = float(draw(st.one_of(st.integers(0, min_count), st.integers(0, 40))))
    zones = list(counts)
    areas: dict[str, dict[str, list[str]]] = {"council": {"C": zones}, "intermediate_zone": izs}
    if draw(st.booleans()):  # wards: another partition of the council, crossing the IZs
        wards = draw(st.lists(st.integers(0, 2), min_size=len(zones), max_size=len(zones)))
        areas["ward"] = {f"W{w}": [z for z, k in zip(zones, wards, strict=True) if k == w] for w in sorted(set(wards))}
        if len(areas["ward"]) < 2:
            del areas["ward"]
    return counts, areas, min_count


def _protect(con, rounds: int = 30, *, suppress: bool = True) -> None:  # noqa: ANN001
    """Complementary suppression (unless done), then audit and widen until the audit passes (as
    the build does)."""
    if suppress:
        apply_complementary_suppression(con)
    for _ in range(rounds):
        run_sql_file(con, "core", "fct_hidden_cell")
        run_sql_file(con, "core", "agg_indicator_exposure")
        found = audit(con)
        if not found.narrow:
            return
        assert widen(con, found.narrow) > 0, found.narrow
        apply_complementary_suppression(con)
    raise AssertionError("the audit did not settle")


def _exact_ranges(con, areas: dict[str, dict[str, list[str]]]) -> list[tuple[str, float, float, float]]:  # noqa: ANN001
    """(cell, lowest, highest, true count) of every withheld cell, from the published values alone."""
    published = {(t, c): (n, hidden) for t, c, n, hidden in con.execute(
        "SELECT area_type, area_code, numerator, is_suppressed OR numerator IS NULL FROM marts.indicator_values"
    ).fetchall()}
    truth = dict(con.execute("SELECT area_type || ':' || area_code, numerator FROM core.agg_indicator_totals").fetchall())
    zones = [c for (t, c) in published if t == "datazone"]
    hidden = [z for z in zones if published[("datazone", z)][1]]
    index = {z: i for i, z in enumerate(hidden)}
    rows, rhs = [], []
    for (t, code), (n, is_hidden) in published.items():
        if is_hidden or t == "datazone":
            continue
        members = areas[t][code]
        row = np.zeros(len(hidden))
        for z in members:
            if z in index:
                row[index[z]] = 1
        rows.append(row)
        rhs.append(n - sum(published[("datazone", z)][0] for z in members if z not in index))
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows and hidden else []
    out = []
    for (t, code), (_, is_hidden) in published.items():
        if not is_hidden:
            continue
        members = [code] if t == "datazone" else areas[t][code]
        objective = np.array([1.0 if z in members else 0.0 for z in hidden])
        visible = sum(published[("datazone", z)][0] for z in members if z not in index)
        if not hidden or not objective.any():
            out.append((f"{t}:{code}", visible, visible, truth[f"{t}:{code}"]))
            continue
        ends = []
        for sign in (1.0, -1.0):
            # a count a million or more stands for "no upper bound" (HiGHS reports unbounded MIPs unevenly)
            res = milp(sign * objective, constraints=constraints, integrality=np.ones(len(hidden)),
                       bounds=Bounds(0, 1e6))
            assert res.status == 0, res.message
            ends.append(sign * res.fun)
        out.append((f"{t}:{code}", visible + ends[0], visible + ends[1], truth[f"{t}:{code}"]))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_no_withheld_count_can_be_narrowed_below_the_rule(world) -> None:  # noqa: ANN001
    counts, areas, min_count = world
    con = _world(counts, areas, native_geography="datazone", min_count=min_count)
    run_sql_file(con, "core", "bridge_area_area")
    _protect(con)
    for cell, lo, hi, true in _exact_ranges(con, areas):
        assert lo <= true <= hi, (cell, lo, hi, true)
        holds_small = hi >= 1 and lo <= min_count - 1
        assert not (hi - lo < min_count and holds_small), (cell, lo, hi, true, min_count, counts, areas)


def _nested_differences(con, areas: dict[str, dict[str, list[str]]]):  # noqa: ANN001, ANN202
    """(outer, inner, hidden data zones, their true sum) of every two visible areas where the
    hidden data zones of the inner one all lie in the outer one: the difference's equation."""
    published = dict(((t, c), hidden) for t, c, hidden in con.execute(
        "SELECT area_type, area_code, is_suppressed OR numerator IS NULL FROM marts.indicator_values").fetchall())
    truth = dict(con.execute("SELECT area_code, numerator FROM core.agg_indicator_totals "
                             "WHERE area_type = 'datazone'").fetchall())
    hidden = {(t, c): {z for z in members if published[("datazone", z)]}
              for t, codes in areas.items() for c, members in codes.items() if not published[(t, c)]}
    for outer, h_out in hidden.items():
        for inner, h_in in [(None, set()), *hidden.items()]:
            if h_in < h_out:
                yield outer, inner, h_out - h_in, sum(truth[z] for z in h_out - h_in)


@st.composite
def crossing_worlds(draw: st.DrawFn) -> tuple[dict[str, float], dict[str, dict[str, list[str]]], int]:
    """Data zones in intermediate zones and, crossing them, in two or three wards: every
    intermediate zone has data zones in at least two wards, so no intermediate zone nests in a
    ward, and a ward minus an intermediate zone is no published area."""
    min_count = draw(st.integers(3, 6))
    sizes = draw(st.lists(st.integers(2, 5), min_size=2, max_size=3))
    n_wards = draw(st.integers(2, 3))
    counts, izs, wards = {}, {}, {f"W{w}": [] for w in range(n_wards)}
    for i, size in enumerate(sizes):
        izs[f"I{i}"] = [f"D{i}{j}" for j in range(size)]
        ward_of = draw(st.lists(st.integers(0, n_wards - 1), min_size=size, max_size=size).filter(
            lambda w: len(set(w)) >= 2))
        for dz, w in zip(izs[f"I{i}"], ward_of, strict=True):
            counts[dz] = float(draw(st.one_of(st.integers(0, min_count), st.integers(0, 30))))
            wards[f"W{w}"].append(dz)
    wards = {w: zones for w, zones in wards.items() if zones}
    areas = {"council": {"C": list(counts)}, "intermediate_zone": izs, "ward": wards}
    return counts, areas, min_count


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crossing_worlds())
def test_crossing_hierarchies_need_no_more_widening_than_the_build_allows(world) -> None:  # noqa: ANN001
    """Two crossing hierarchies: suppression (with its rule for nested differences) and at most
    the build's rounds of widening leave no withheld count an exact attacker can narrow."""
    counts, areas, min_count = world
    con = _world(counts, areas, native_geography="datazone", min_count=min_count)
    run_sql_file(con, "core", "bridge_area_area")
    apply_complementary_suppression(con)
    for outer, inner, hidden, part in _nested_differences(con, areas):
        assert len(hidden) != 1 and (not hidden or part >= min_count), (outer, inner, hidden, part, counts, areas)
    _protect(con, rounds=MAX_WIDENINGS, suppress=False)
    for cell, lo, hi, true in _exact_ranges(con, areas):
        assert lo <= true <= hi, (cell, lo, hi, true)
        holds_small = hi >= 1 and lo <= min_count - 1
        assert not (hi - lo < min_count and holds_small), (cell, lo, hi, true, min_count, counts, areas)
