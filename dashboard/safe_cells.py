"""Cells that are safe to open in a spreadsheet, and text that any file format can hold.

Why: an area name such as ``=HYPERLINK("http://…","click")`` written as it is into a CSV runs as
a formula when an officer opens the file in Excel (CSV/formula injection), and one written into
a workbook with openpyxl *becomes* a formula. Names come from raw files and from users (saved
areas), so every CSV and XLSX the dashboard or CLI writes goes through this module:

- CSV (OWASP's rule): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is prefixed with ``'`` so spreadsheets show it as text; a number (``-5``, ``-1.2e3``)
  stays a number.
- XLSX: no cell is ever a formula; a text cell that starts like one is stored as text with
  Excel's "quote prefix" (so editing it does not turn it into a formula either).
- Any Unicode: a lone surrogate (from a browser's broken UTF-16) cannot be encoded as UTF-8 and
  would crash an export; it becomes U+FFFD. XLSX also cannot hold most ASCII control characters;
  they are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.workbook import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (a valid pair is kept as its character)."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def starts_like_formula(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (and it is not a plain number)."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.match(text.strip())


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: text cleaned and, if it starts like a formula, prefixed with ``'``."""
    if isinstance(value, str):
        text = clean_text(value)
        return "'" + text if starts_like_formula(text) else text
    return value


def csv_row(values: list[Any] | tuple[Any, ...]) -> list[Any]:
    """Every cell of a row through ``csv_cell``."""
    return [csv_cell(v) for v in values]


def _map_text(frame: pd.DataFrame, fix: Callable[[Any], Any]) -> pd.DataFrame:
    """A copy of ``frame`` with ``fix`` applied to every cell of its non-numeric columns and to the names."""
    out = frame.copy()
    for column in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column])):
            out[column] = out[column].map(fix)
    out.columns = [fix(c) for c in out.columns]
    return out


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) went through ``csv_cell``."""
    return _map_text(frame, csv_cell)


def xlsx_text(value: Any) -> Any:
    """A value openpyxl can store: text cleaned of lone surrogates and illegal control characters."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", clean_text(value))
    return value


def xlsx_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names went through ``xlsx_text``."""
    return _map_text(frame, xlsx_text)


def defuse_workbook(wb: Workbook) -> Workbook:
    """Make every cell of ``wb`` plain data: no formulas, text that starts like one quote-prefixed.

    Call it just before saving: openpyxl turns any string starting with ``=`` into a formula, and
    our exports never write one on purpose.
    """
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                if isinstance(cell.value, str):
                    text = xlsx_text(cell.value)
                    if text != cell.value:
                        cell.value = text
                        if text.startswith("="):
                            cell.data_type = "s"
                    if starts_like_formula(text):
                        cell.quotePrefix = True
    return wb
