"""object_strings: text columns become Python objects, missing values stay missing, the rest is untouched."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.logic.text_columns import object_strings


def test_text_columns_become_objects_and_nothing_else_changes() -> None:
    frame = pd.DataFrame({"name": pd.array(["Fife", pd.NA], dtype=pd.StringDtype(na_value=float("nan"))),
                          "value": [1.5, None], "flag": [True, False]})
    out = object_strings(frame)
    assert out["name"].dtype == object and out["name"].iloc[0] == "Fife"
    assert isinstance(out["name"].iloc[1], float) and math.isnan(out["name"].iloc[1])  # as the Arrow column walks
    assert out["value"].dtype == frame["value"].dtype and out["flag"].dtype == frame["flag"].dtype
    assert list(out.itertuples(index=False, name=None))[0] == ("Fife", 1.5, True)


def test_a_frame_without_text_is_returned_as_it_is() -> None:
    frame = pd.DataFrame({"value": [1.0]})
    assert object_strings(frame) is frame
