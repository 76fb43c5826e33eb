"""Deprivation groups nested in one another (issue 14): one group minus another inside it must not
give a withheld group, or the total of withheld data zones, away.

Hand-worked family: council C (100 in all, published) with national quintiles 4 (30) and 5 (70)
and national deciles 7 (27), 8 (3), 9 (2) and 10 (68); min_count 5. Deciles 8 and 9 are small,
withheld by the primary rule. The council's decile family then has two withheld cells, so the
older rules were content, yet quintile 4 − decile 7 = 30 − 27 = 3 is decile 8, and quintile 5 −
decile 10 = 2 is decile 9. Each quintile with its two deciles is a family of its own: one more
cell must go in each, the visible one with the smallest count (decile 7 = 27 < 30; decile
10 = 68 < 70).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.marts.inequality import _group_values, group_nests, protect_groups
from etl.withheld import WITHHELD_REASON
from tests.unit.marts.test_marts_inequality_groups import _world, council_frame


def _frame(rows: list[tuple[str, int, float]], *, primary: tuple[tuple[str, int], ...]) -> pd.DataFrame:
    frame = council_frame(rows)
    for basis, number in primary:
        at = frame.index[(frame.basis == basis) & (frame.group_number == number)]
        frame.loc[at, ["is_suppressed", "numerator", "value"]] = [True, np.nan, np.nan]
        frame.loc[at, "suppression_reason"] = WITHHELD_REASON
    return frame


FAMILY = [("total", 0, 100.0), ("national_quintile", 4, 30.0), ("national_quintile", 5, 70.0),
          ("national_decile", 7, 27.0), ("national_decile", 8, 3.0), ("national_decile", 9, 2.0),
          ("national_decile", 10, 68.0)]


def _withheld(out: pd.DataFrame) -> set[tuple[str, int]]:
    hidden = out[(out.group_number > 0) & out.is_suppressed]
    return set(zip(hidden.basis, hidden.group_number, strict=True))


def test_a_quintile_and_its_two_deciles_are_a_family() -> None:
    out = protect_groups(_frame(FAMILY, primary=(("national_decile", 8), ("national_decile", 9))))
    assert _withheld(out) == {("national_decile", 7), ("national_decile", 8), ("national_decile", 9),
                              ("national_decile", 10)}
    # every quintile family now has two withheld cells or none
    for q, deciles in ((4, (7, 8)), (5, (9, 10))):
        family = out[((out.basis == "national_quintile") & (out.group_number == q))
                     | ((out.basis == "national_decile") & out.group_number.isin(deciles))]
        assert family.is_suppressed.sum() != 1
    assert out.loc[out.is_suppressed & (out.group_number > 0), "numerator"].isna().all()


def test_a_withheld_quintile_is_not_the_sum_of_its_two_visible_deciles() -> None:
    # quintile 4 withheld (as if by another rule); deciles 7 and 8 visible would add up to it
    rows = [("total", 0, 100.0), ("national_quintile", 4, 30.0), ("national_quintile", 5, 70.0),
            ("national_decile", 7, 12.0), ("national_decile", 8, 18.0), ("national_decile", 9, 35.0),
            ("national_decile", 10, 35.0)]
    out = protect_groups(_frame(rows, primary=(("national_quintile", 4), ("national_quintile", 5))))
    assert ("national_decile", 7) in _withheld(out) and ("national_decile", 9) in _withheld(out)


NESTS = pd.DataFrame([
    # local quintile 1 = national decile 1 and two more data zones, all of them withheld
    {"indicator_id": "x", "period_label": "2020", "area_code": "C", "outer_basis": "local_quintile",
     "outer_group": 1, "inner_basis": "national_decile", "inner_group": 1, "rest_members": 2, "rest_hidden": True},
    # local quintile 2 = national decile 2 exactly (twins)
    {"indicator_id": "x", "period_label": "2020", "area_code": "C", "outer_basis": "local_quintile",
     "outer_group": 2, "inner_basis": "national_decile", "inner_group": 2, "rest_members": 0, "rest_hidden": False},
])
LOCAL = [("total", 0, 200.0), ("local_quintile", 1, 50.0), ("local_quintile", 2, 40.0),
         ("local_quintile", 3, 30.0), ("local_quintile", 4, 40.0), ("local_quintile", 5, 40.0),
         ("national_decile", 1, 47.0), ("national_decile", 2, 40.0), ("national_decile", 3, 33.0),
         ("national_decile", 4, 40.0), ("national_decile", 5, 40.0)]


def test_a_local_quintile_minus_a_national_decile_inside_it_gives_no_withheld_total_away() -> None:
    # local quintile 1 − decile 1 = 3: the total of two withheld data zones; only a group can go
    frame = _frame(LOCAL, primary=())
    assert _withheld(protect_groups(frame)) == set()  # the data alone: nothing to protect
    out = protect_groups(frame, NESTS)
    # decile 1 (47 < 50) goes; then the decile family has one withheld cell, so decile 3 (33)
    assert _withheld(out) == {("national_decile", 1), ("national_decile", 3)}


def test_twin_groups_are_withheld_together() -> None:
    frame = _frame(LOCAL, primary=(("national_decile", 2),))
    out = protect_groups(frame, NESTS.iloc[[1]])
    assert ("local_quintile", 2) in _withheld(out)
    assert ("local_quintile", 2) not in _withheld(protect_groups(frame))


def test_group_nests_reads_the_nesting_from_the_data_zones() -> None:
    # the ten-data-zone world: in C1, national quintile 1 = DZ1, DZ2; local quintile 1 = DZ1 =
    # national decile 1; in C2, local quintile 5 = DZ10 (count 5, visible) inside quintile 5 = DZ9, DZ10
    con = _world(counts=[40, 30, 25, 20, 15, 12, 10, 8, 2, 5])
    nests = group_nests(con, _group_values(con)).set_index(
        ["area_code", "outer_basis", "outer_group", "inner_basis", "inner_group"])
    assert nests.loc[("C1", "national_quintile", 1, "local_quintile", 1), "rest_members"] == 1
    assert not nests.loc[("C1", "national_quintile", 1, "local_quintile", 1), "rest_hidden"]
    assert nests.loc[("C1", "local_quintile", 1, "national_decile", 1), "rest_members"] == 0
    assert nests.loc[("C1", "national_decile", 1, "local_quintile", 1), "rest_members"] == 0
    # DZ9 (count 2) is withheld: quintile 5 − local quintile 5 is DZ9 alone
    assert nests.loc[("C2", "national_quintile", 5, "local_quintile", 5), "rest_hidden"]
    assert ("C1", "national_quintile", 1, "local_quintile", 3) not in nests.index  # DZ3 is in quintile 2
    assert not (nests.reset_index().outer_basis.eq("national_quintile")
                & nests.reset_index().inner_basis.eq("national_decile")).any()  # structural: not listed


def test_a_rest_large_enough_to_narrow_nothing_withholds_no_group() -> None:
    # local quintile 1 = 60, decile 1 = 47: the two withheld data zones add up to 13 >= 2 x 5 - 1,
    # so each lies in [0, 13] or, if the other is capped, wholly at 5 or more: nothing to protect
    rows = [(b, n, 60.0 if (b, n) == ("local_quintile", 1) else c) for b, n, c in LOCAL]
    rows[0] = ("total", 0, 210.0)
    assert _withheld(protect_groups(council_frame(rows), NESTS.iloc[[0]])) == set()
    # a rest of 8 (below 2 x 5 - 1) still counts
    rows = [(b, n, 55.0 if (b, n) == ("local_quintile", 1) else c) for b, n, c in rows]
    assert ("national_decile", 1) in _withheld(protect_groups(council_frame(rows), NESTS.iloc[[0]]))
