"""A frame's rows as Python records and named tuples: the same values ``DataFrame.to_dict`` and
``itertuples`` give, for every dtype a warehouse read or a profile frame holds
(``dashboard.logic.records`` reads columns whole because pandas 3 keeps text in Arrow, which
``to_dict`` and ``itertuples`` fetched a cell at a time)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.logic.records import records as _records
from dashboard.logic.records import row_tuples as _rows


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "text": pd.array(["a", None], dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
        "text_na": pd.array(["a", None], dtype=pd.StringDtype("python", na_value=pd.NA)),
        "objects": ["x", None],
        "float": [1.5, np.nan],
        "int32": np.array([1, 2], dtype="int32"),
        "nullable_int": pd.array([1, None], dtype="Int64"),
        "bool": [True, False],
        "nullable_bool": pd.array([True, None], dtype="boolean"),
        "when": pd.to_datetime(["2020-01-01", None]),
        "category": pd.Categorical(["a", None]),
        "lists": [["datazone", "council"], None],
    })


def test_records_equal_to_dict_value_for_value_and_type() -> None:
    frame = _frame()
    expected, got = frame.to_dict(orient="records"), _records(frame)
    assert repr(got) == repr(expected)  # repr: nan, NaT and None told apart, types included
    assert [[type(v) for v in row.values()] for row in got] == [[type(v) for v in row.values()] for row in expected]
    assert got[1]["nullable_int"] is None and got[1]["nullable_bool"] is None and got[1]["text_na"] is None


def test_records_of_no_rows_and_rows_are_fresh_dicts() -> None:
    frame = _frame()
    assert _records(frame.iloc[:0]) == []
    first, second = _records(frame), _records(frame)
    first[0]["text"] = "changed"
    assert second[0]["text"] == "a"


def test_records_of_an_object_frame_as_the_tables_grid_sends_it() -> None:
    frame = _frame().drop(columns=["lists"])
    clean = frame.astype(object).where(frame.notna(), None)
    assert repr(_records(clean)) == repr(clean.to_dict(orient="records"))


def test_rows_are_itertuples_value_for_value() -> None:
    frame = _frame().assign(**{"not a name": [1, 2], "class": ["c", "d"]})
    expected, got = list(frame.itertuples(index=False)), _rows(frame)
    assert [type(r)._fields for r in got] == [type(r)._fields for r in expected]  # renamed fields too
    assert repr([tuple(r) for r in got]) == repr([tuple(r) for r in expected]).replace(
        "np.int64(1)", "1").replace("np.True_", "True")  # nullable columns: Python's int and bool
    assert got[0].text == "a" and got[0].nullable_int == 1 and got[1].nullable_bool is pd.NA
    assert _rows(frame.iloc[:0]) == []


def test_rows_of_repeated_column_names_are_itertuples() -> None:
    frame = pd.DataFrame([[1, "a"], [2, "b"]], columns=["x", "x"])
    assert _rows(frame) == list(frame.itertuples(index=False))
