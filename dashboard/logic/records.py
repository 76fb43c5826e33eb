"""A frame's rows as Python records, read a column at a time.

Why: ``DataFrame.to_dict(orient="records")`` boxes every cell on its own, and pandas 3 keeps text
in Arrow, which it then fetches one cell at a time; reading each column whole with ``tolist``
gives the same values 3-4x faster (a profile's rows, the Advanced tables grid of every ward).
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict(orient="records")``: the same Python values, types and missing values."""
    columns = list(frame.columns)
    return [dict(zip(columns, row, strict=True)) for row in zip(*(_cells(frame[c]) for c in columns), strict=True)]


def _cells(column: pd.Series) -> list[Any]:
    """A column's values as ``to_dict`` gives them: Python values, NA as None (nullable dtypes)."""
    values = column.tolist()
    if getattr(column.dtype, "na_value", None) is pd.NA:
        return [None if value is pd.NA else value for value in values]
    return values
