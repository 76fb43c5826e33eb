"""Reading the one useful sheet of a publisher's workbook as text.

Why: the Scottish Government ships the SIMD lookup as an ``.xlsx`` workbook whose data sheet
is one of several; reading every cell as text keeps codes like ``S01006506`` and ranks intact
for ``staging`` to type and validate.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.errors import InputError


def read_data_sheet(path: Path, *, name_contains: str, key_column: str) -> pd.DataFrame:
    """The sheet whose name contains ``name_contains``, else the first with ``key_column``."""
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise InputError(path, f"cannot be opened as an Excel workbook ({exc})",
                         hint="download the workbook again or save the data sheet as CSV UTF-8") from exc
    candidates = [s for s in book.sheet_names if name_contains.lower() in s.lower()]
    candidates += [s for s in book.sheet_names if s not in candidates]
    for sheet in candidates:
        frame = pd.read_excel(book, sheet_name=sheet, dtype=str)
        if key_column in frame.columns:
            return frame.dropna(how="all")
    raise InputError(path, f"no sheet has a '{key_column}' column (sheets: {', '.join(book.sheet_names)})",
                     column=key_column, hint="save the data sheet as CSV UTF-8 instead")
