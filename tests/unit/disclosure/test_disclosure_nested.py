"""Complementary suppression's rule 5 (etl.disclosure._exposed_differences) on equations small
enough to check by hand: which differences of nested equations give a count away."""

from __future__ import annotations

import pandas as pd

from etl.disclosure import _exposed_differences

PERIODS = pd.DataFrame({"ip": [1], "min_count": [5], "is_percentage": [False]})


def _rows(equations: dict[int, list[int]], counts: dict[int, float | None]) -> pd.DataFrame:
    return pd.DataFrame([(1, eq, leaf, counts[leaf], None) for eq, leaves in equations.items() for leaf in leaves],
                        columns=["ip", "equation", "leaf", "numerator", "complement"])


def _pairs(found: pd.DataFrame) -> set[tuple[int, int, float]]:
    return set(zip(found.outer_eq, found.inner_eq, found.part, strict=True))


def test_a_ward_minus_the_intermediate_zone_inside_it_is_one_cell() -> None:
    # ward 10 holds hidden cells 1, 2, 3; intermediate zone 20 holds 1 and 2 (7 between them):
    # each alone is fine, but the ward minus the zone is cell 3 = 2
    found = _exposed_differences(_rows({10: [1, 2, 3], 20: [1, 2]}, {1: 3, 2: 4, 3: 2}), PERIODS)
    assert _pairs(found) == {(10, 20, 2.0)}


def test_a_difference_of_two_cells_adding_up_to_less_than_min_count_is_exposed() -> None:
    found = _exposed_differences(_rows({10: [1, 2, 3, 4], 20: [1, 2]}, {1: 3, 2: 4, 3: 2, 4: 2}), PERIODS)
    assert _pairs(found) == {(10, 20, 4.0)}
    found = _exposed_differences(_rows({10: [1, 2, 3, 4], 20: [1, 2]}, {1: 3, 2: 4, 3: 2, 4: 3}), PERIODS)
    assert found.empty


def test_equations_alone_and_crossing_ones() -> None:
    # an equation with one hidden cell is exposed by itself (inner 0); two equations sharing
    # some cells but neither holding the other's are no difference a reader can take
    found = _exposed_differences(_rows({10: [1], 20: [2, 3, 4], 30: [3, 4, 5]},
                                       {1: 9, 2: 5, 3: 5, 4: 5, 5: 5}), PERIODS)
    assert _pairs(found) == {(10, 0, 9.0)}


def test_a_count_unknown_at_source_leaves_the_sum_unchecked_but_not_a_single_cell() -> None:
    # 10 − 20 holds cell 2 (unknown at source) and cell 3: its sum cannot be judged, its size can
    # (20 alone is one cell, exposed by itself)
    found = _exposed_differences(_rows({10: [1, 2, 3], 20: [1]}, {1: 3, 2: None, 3: 1}), PERIODS)
    assert _pairs(found) == {(20, 0, 3.0)}
    found = _exposed_differences(_rows({10: [1, 2], 20: [1]}, {1: 3, 2: None}), PERIODS)
    assert _pairs(found) == {(10, 20, 0.0), (20, 0, 3.0)}
