"""The disclosure audit's reader (etl/disclosure_audit.py) on equations small enough to solve by hand."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

import etl.build as build
from etl.build import SQL_DIR
from etl.disclosure_audit import (
    AuditResult,
    Narrow,
    _narrow,
    propagate,
    sum_bounds,
    with_differences,
)
from etl.errors import CheckFailed
from etl.withheld import WITHHELD_REASON

INF = np.inf


def _a(rows: list[list[int]]) -> sp.csr_matrix:
    return sp.csr_matrix(np.array(rows, dtype=float))


def test_issue_14_example_is_pinned() -> None:
    # hi_early_mortality 2012, IZ S02010082 = 27, its visible data zones add up to 26 and one is
    # withheld: the IZ's equation has one unknown, which is 27 − 26 = 1
    lo, hi, _ = propagate(_a([[1]]), np.array([1.0]), np.array([INF]))
    assert (lo[0], hi[0]) == (1, 1)
    assert _narrow(lo, hi, np.array([5.0]), np.array([False]), np.array([np.nan]))[0]


def test_a_small_hidden_part_bounds_each_of_its_cells() -> None:
    # parent − visible children = 3, two hidden children: each is 0..3 (the reader knows both
    # are small counts), which the rule forbids for min_count 5; a hidden part of 7 is fine
    lo, hi, _ = propagate(_a([[1, 1]]), np.array([3.0]), np.array([INF, INF]))
    assert list(lo) == [0, 0] and list(hi) == [3, 3]
    assert _narrow(lo, hi, np.array([5.0, 5.0]), np.array([False, False]), np.array([np.nan, np.nan])).all()
    lo, hi, _ = propagate(_a([[1, 1]]), np.array([7.0]), np.array([INF, INF]))
    assert not _narrow(lo, hi, np.array([5.0, 5.0]), np.array([False, False]), np.array([np.nan, np.nan])).any()


def test_bounds_chain_across_families() -> None:
    # x0 + x1 = 9 (an IZ), x1 + x2 = 2 (a ward): x1 <= 2, so x0 >= 7; x0 lies in [7, 9] — narrow,
    # but 7..9 holds no small count, so it breaks nothing; x1 and x2 lie in [0, 2] and do
    lo, hi, _ = propagate(_a([[1, 1, 0], [0, 1, 1]]), np.array([9.0, 2.0]), np.full(3, INF))
    assert list(lo) == [7, 0, 0] and list(hi) == [9, 2, 2]
    assert list(_narrow(lo, hi, np.full(3, 5.0), np.zeros(3, bool), np.full(3, np.nan))) == [False, True, True]


def test_a_zero_known_to_be_zero_breaks_nothing_unless_zeros_are_withheld() -> None:
    lo, hi = np.array([0.0]), np.array([0.0])
    assert not _narrow(lo, hi, np.array([5.0]), np.array([False]), np.array([np.nan]))[0]
    assert _narrow(lo, hi, np.array([5.0]), np.array([True]), np.array([np.nan]))[0]


def test_percentages_protect_the_complement_and_a_small_denominator_needs_the_whole_range() -> None:
    # count in [96, 98] of 100: the complement is 2..4, a small count
    assert _narrow(np.array([96.0]), np.array([98.0]), np.array([5.0]), np.array([False]), np.array([100.0]))[0]
    # denominator 3: [0, 3] is all a reader could ever say, and that is allowed; [0, 2] is not
    assert not _narrow(np.array([0.0]), np.array([3.0]), np.array([5.0]), np.array([False]), np.array([3.0]))[0]
    assert _narrow(np.array([0.0]), np.array([2.0]), np.array([5.0]), np.array([False]), np.array([3.0]))[0]


def test_nested_equations_are_subtracted() -> None:
    # IZ = x0 + x1 + x2 = 3 and a ward inside it x0 + x2 = 2: the IZ minus the ward is x1 = 1
    a, rhs, origin, inner = with_differences(_a([[1, 1, 1], [1, 0, 1]]), np.array([3.0, 2.0]))
    lo, hi, _ = propagate(a, rhs, np.full(3, INF))
    assert (lo[1], hi[1]) == (1, 1) and list(origin) == [0, 1, 0] and list(inner) == [-1, -1, 1]


def test_a_withheld_area_is_bounded_by_the_equations_that_hold_its_cells() -> None:
    # council x0 + x1 + x2 = 10 and ward x2 + x3 = 1: a withheld IZ of x0 and x1 is 10 − x2, so
    # it lies in [9, 10]
    a = _a([[1, 1, 1, 0], [0, 0, 1, 1]])
    rhs = np.array([10.0, 1.0])
    lo, hi, _ = propagate(a, rhs, np.full(4, INF))
    agg_lo, agg_hi = sum_bounds(_a([[1, 1, 0, 0]]), a, rhs, lo, hi)
    assert (agg_lo[0], agg_hi[0]) == (9, 10)
    # a withheld area with no hidden cell is the sum of visible ones: 0 wide
    agg_lo, agg_hi = sum_bounds(_a([[0, 0, 0, 0]]), a, rhs, lo, hi)
    assert agg_hi[0] - agg_lo[0] == 0


def test_the_sql_reason_is_the_published_constant() -> None:
    sql = (SQL_DIR / "marts" / "computed_values.sql").read_text(encoding="utf-8")
    assert f"WHEN is_primary THEN '{WITHHELD_REASON}'" in sql


def test_a_build_whose_audit_cannot_be_satisfied_fails_naming_the_cell(monkeypatch) -> None:  # noqa: ANN001
    # nothing left to widen, and even withholding the period whole (the last resort,
    # test_disclosure_fallback.py) leaves the cell narrow: only then does the build fail
    cell = Narrow("hi_early_mortality", "2012", "datazone:S01020446", 1.0, 1.0, 5.0, "intermediate_zone:S02010082")
    monkeypatch.setattr(build, "audit", lambda con, **_: AuditResult([cell], 1, 1, 0.0))
    monkeypatch.setattr(build, "widen", lambda con, narrow: 0)
    whole: list = []
    monkeypatch.setattr(build, "withhold_whole", lambda con, periods: whole.extend(periods) or 1)
    for name in ("apply_complementary_suppression", "run_sql_file", "_write_group_exposure"):
        monkeypatch.setattr(build, name, lambda *args: 0)
    with pytest.raises(CheckFailed) as failed:
        build._audit_disclosure(None, None, [])
    assert whole == [("hi_early_mortality", "2012")]
    assert failed.value.failures["disclosure_audit"] == [
        ("hi_early_mortality", "2012", "datazone:S01020446", 1.0, 1.0, 5.0)]
