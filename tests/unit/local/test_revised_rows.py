"""Which values a new version of a local dataset revises (issue 15: "flags revised values"): hand-made
versions, so the expected rows are known without the code under test."""

from __future__ import annotations

import pandas as pd

from etl.local.store import revised_rows, revised_values


def _tidy(rows: list[tuple[str, str, float, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["FeatureCode", "DateCode", "numerator", "denominator"])


def test_a_changed_count_a_changed_denominator_and_a_dropped_value_are_revisions_a_new_one_is_not() -> None:
    before = _tidy([("S01000001", "2021", 5, None), ("S01000002", "2021", 7, 20.0), ("S01000003", "2021", 9, None),
                    ("S01000004", "2021", 2, None)])
    after = _tidy([("S01000001", "2021", 5, None), ("S01000002", "2021", 7, 21.0), ("S01000003", "2021", 12, None),
                   ("S01000001", "2022", 6, None)])  # S01000004 dropped; 2022 is new, not a revision
    rows = revised_rows(before, after)
    assert rows["FeatureCode"].tolist() == ["S01000002", "S01000003", "S01000004"]
    assert rows["numerator_before"].tolist() == [7, 9, 2]
    assert rows["numerator_after"].tolist()[:2] == [7, 12] and pd.isna(rows["numerator_after"].iloc[2])
    assert rows["denominator_after"].iloc[0] == 21.0
    assert revised_values(before, after) == 3
    assert revised_values(before, before) == 0 and revised_rows(before, before).empty
