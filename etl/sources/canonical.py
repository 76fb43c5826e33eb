"""Building blocks the publisher readers share: value text, number checks, canonical blocks.

Why: every reader of a publisher's file ends the same way: one block of canonical rows per
column of the original (``etl/sources/published.py`` says what the columns mean), values kept
as the publisher's text, and a clear ``InputError`` naming the cell when a value is neither a
number nor a withheld marker. Writing that once keeps the readers to their layouts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.errors import InputError
from etl.sources.published import OBSERVATION_COLUMNS, SOURCE_COLUMNS, WITHHELD_MARKERS

#: What a spreadsheet shows for a formula it could not compute (a zero population, say).
EXCEL_ERRORS = frozenset({"#VALUE!", "#DIV/0!", "#N/A", "#REF!", "#NUM!", "#NAME?", "#NULL!"})
#: How R and pandas write a missing cell to CSV.
MISSING_TEXT = frozenset({"NA", "NaN", "nan", "<NA>", "None"})


def value_text(values: pd.Series) -> pd.Series:
    """The cells of one column as text: numbers as written, missing cells blank.

    Why blank: ``NA`` (R), ``NaN`` (pandas) and a spreadsheet's error cells (``#VALUE!`` where a
    rate's population is zero) all mean "no figure here"; the canonical tables spell that as a
    blank withheld marker. Floats from a typed file (Parquet) are written in the shortest text
    that round-trips (Arrow's: ``2.6``, ``25564``, ``1e-07``; three times faster than ``repr``).
    """
    if pd.api.types.is_bool_dtype(values):
        return values.astype("string")
    if pd.api.types.is_integer_dtype(values):
        return values.astype("string").fillna("")
    if pd.api.types.is_float_dtype(values):
        floats = pa.array(values.to_numpy(dtype="float64", na_value=np.nan), from_pandas=True)
        text = pc.fill_null(pc.cast(floats, pa.string()), "")
        return pd.Series(pd.arrays.ArrowStringArray(text), index=values.index)
    text = values.astype("string").fillna("").str.strip()
    return text.mask(text.isin(MISSING_TEXT | EXCEL_ERRORS), "")


def is_typed_number(values: pd.Series) -> bool:
    """A numeric column of a typed file (Parquet): its cells need no number check."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def require_numbers(path: Path, values: pd.Series, rows: pd.Series, column: str, *,
                    sheet: str | None = None, markers: tuple[str, ...] = WITHHELD_MARKERS) -> None:
    """Fail naming the first cell that is neither a number nor one of ``markers``."""
    numeric = pd.to_numeric(values, errors="coerce")
    bad = numeric.isna() & ~values.isin(markers)
    if bad.any():
        first = bad.to_numpy().argmax()
        where = f"{column} (sheet '{sheet}')" if sheet else column
        raise InputError(path, f"not a number: '{values.iloc[first]}' ({int(bad.sum())} cell(s) like it)",
                         row=int(rows.iloc[first]), column=where,
                         hint="values are numbers, or the publisher's marker for a withheld cell "
                              f"({', '.join(repr(m) for m in markers if m)} or blank)")


def block(*, codes: pd.Series, date: str | pd.Series, measurement: str | pd.Series, units: str | pd.Series,
          values: pd.Series, rows: pd.Series, column: str | pd.Series, sheet: str = "",
          lower: pd.Series | None = None, upper: pd.Series | None = None,
          dimensions: dict[str, pd.Series | str] | None = None) -> pd.DataFrame:
    """Canonical rows for one column of the original (all arguments aligned on one index)."""
    blank = pd.Series("", index=values.index, dtype="string")
    frame = pd.DataFrame({
        "FeatureCode": codes, "DateCode": date, "Measurement": measurement, "Units": units,
        "Value": values, "ValueType": "raw",
        "LowerCI": blank if lower is None else lower, "UpperCI": blank if upper is None else upper,
        **(dimensions or {}),
        "_source_sheet": sheet, "_source_row": rows.astype("int64"), "_source_column": column,
    }, index=values.index)
    ordered = [*OBSERVATION_COLUMNS, *(dimensions or {}), *SOURCE_COLUMNS]
    return frame[ordered].reset_index(drop=True)
