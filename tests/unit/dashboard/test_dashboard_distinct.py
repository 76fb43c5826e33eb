"""per_distinct: words made once per distinct key and given to every row, missing keys included."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.logic.distinct import per_distinct


def test_each_distinct_key_is_made_once_and_reaches_every_row_in_order() -> None:
    frame = pd.DataFrame({"a": ["x", "y", "x", None, None, "y"], "b": [1, 1, 1, 2, 2, 1]})
    calls: list[tuple] = []

    def make(a: object, b: object) -> str:
        calls.append((a, b))
        return f"{a}-{b}"

    out = per_distinct(frame, ["a", "b"], make)
    missing = frame["a"].astype(object).iloc[3]  # None or NaN, as the column's dtype keeps it
    assert out.tolist() == ["x-1", "y-1", "x-1", f"{missing}-2", f"{missing}-2", "y-1"]
    assert [c[0] for c in calls[:2]] == ["x", "y"] and len(calls) == 3  # once each, in order of first appearance


def test_missing_values_are_one_key_and_reach_make_as_object_values() -> None:
    frame = pd.DataFrame({"s": pd.array(["p", pd.NA, pd.NA], dtype="string"),
                          "f": pd.array([pd.NA, True, True], dtype="boolean")})
    seen: list[tuple] = []
    out = per_distinct(frame, ["s", "f"], lambda s, f: seen.append((s, f)) or len(seen))
    assert out.tolist() == [1, 2, 2]
    assert seen[0][0] == "p" and seen[0][1] is pd.NA
    assert seen[1][1] is True and (seen[1][0] is pd.NA or (isinstance(seen[1][0], float) and math.isnan(seen[1][0])))


def test_an_empty_frame_gives_an_empty_column() -> None:
    assert len(per_distinct(pd.DataFrame({"a": []}), ["a"], lambda a: 1)) == 0
