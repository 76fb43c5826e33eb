"""Cells of the Improvement Service's CPOP files as canonical rows: value text, areas, tables.

Why: every CPOP layout (a sheet per indicator, side-by-side count blocks, long CSVs) ends the
same way: one row per published cell, with the value as exact text, the area as a GSS code
and the cell it came from. Doing that once keeps the layouts' readers about layout only, and
gives one rule for what a cell that holds no number means:

* a number is written exactly (``repr`` of the float Excel stored, or the integer);
* ``..`` (DWP) and ``*`` (SIMD) are the publisher's withheld markers and are kept as they are;
* an empty cell, R's ``NA`` and an Excel error value (``#N/A``, ``#DIV/0!``) mean "no figure
  was published here" and become a blank Value (the contract's marker for a cell without a
  figure), so an area built from data zones knows that a part is missing and never counts it
  as 0;
* anything else is an error naming the cell.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.errors import InputError
from etl.sources.councils import require_council_code
from etl.sources.published import OBSERVATION_COLUMNS, SOURCE_COLUMNS, PublishedTable

#: Excel's error values: a formula that found nothing. CPOP's files hold ``#N/A`` and ``#DIV/0!``.
EXCEL_ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"})
#: Text that means "no figure here": read as a blank Value.
NO_FIGURE = frozenset({"", "NA"}) | EXCEL_ERRORS
#: The publishers' markers for withheld cells, kept as published (DWP ``..``, SIMD ``*``).
WITHHELD = frozenset({"..", "*"})

_AREA_PATTERNS = {"datazone": re.compile(r"^S01\d{6}$"), "intermediate_zone": re.compile(r"^S02\d{6}$")}
_CPOP_YEAR = re.compile(r"^\d{4}/\d{2}$")


@dataclass(frozen=True)
class Cell:
    """Where a value sits in the original file (for ``_source_*`` columns and error messages)."""

    path: Path
    sheet: str
    row: int
    column: str

    @property
    def where(self) -> str:
        """The column as an error message names it: heading, and sheet when there is one."""
        return f"{self.column} (sheet '{self.sheet}')" if self.sheet else self.column

    def error(self, reason: str, hint: str | None = None) -> InputError:
        return InputError(self.path, reason, row=self.row, column=self.where, hint=hint)


def value_text(value: object, cell: Cell) -> str:
    """The canonical Value of one cell (module docstring: numbers, withheld markers, no figure)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise cell.error(f"'{value}' is not a number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise cell.error(f"'{value}' is not a finite number")
        return repr(value)
    text = str(value).strip()
    if text in NO_FIGURE:
        return ""
    if text in WITHHELD:
        return text
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise cell.error(f"'{text}' is not a number or a withheld marker",
                         hint="values are numbers, '..' or '*' for withheld cells, or empty")
    return text


def is_blank(value: object) -> bool:
    """A cell with nothing a reader would keep: empty, ``NA`` or an Excel error value."""
    return value is None or (isinstance(value, str) and value.strip() in NO_FIGURE)


def area_code(value: object, kind: str, cell: Cell) -> str:
    """The GSS code of the area a row is about: a council name (or "Scotland") or an S01/S02 code."""
    if kind == "council":
        return require_council_code(value, file=cell.path, row=cell.row, column=cell.where)
    text = str(value).strip()
    if not _AREA_PATTERNS[kind].match(text):
        label = "data zone (S01…)" if kind == "datazone" else "intermediate zone (S02…)"
        raise cell.error(f"'{text}' is not a {label} code",
                         hint="every row of this sheet starts with a 2011 area code such as S02001236")
    return text


def cpop_year(label: object, cell: Cell) -> str:
    """A CPOP period label (``2020/21``), checked; rolled series keep the label of their last year."""
    text = str(label).strip()
    if not _CPOP_YEAR.match(text):
        raise cell.error(f"'{text}' is not a CPOP year label", hint="CPOP labels years like 2020/21")
    return text


def financial_label(year: int) -> str:
    """``2019`` → ``2019/20``: the financial year that a mid-year (30 June) estimate falls in."""
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass
class Rows:
    """Canonical rows of one dataset, collected cell by cell."""

    dataset: str
    title: str
    records: list[tuple[str, str, str, str, str, str, str, int, str]]

    def add(self, code: str, period: str, measurement: str, units: str, value: str, value_type: str,
            cell: Cell) -> None:
        self.records.append((code, period, measurement, units, value, value_type, cell.sheet, cell.row,
                             cell.column))


def tables(collected: Iterable[Rows], path: Path) -> list[PublishedTable]:
    """The canonical tables, one per dataset, each checked for a figure given twice."""
    out = []
    for rows in collected:
        if not rows.records:
            continue
        frame = pd.DataFrame(rows.records, columns=["FeatureCode", "DateCode", "Measurement", "Units", "Value",
                                                    "ValueType", *SOURCE_COLUMNS])
        frame["LowerCI"] = ""
        frame["UpperCI"] = ""
        frame = frame[[*OBSERVATION_COLUMNS, *SOURCE_COLUMNS]]
        _no_duplicates(frame, rows.dataset, path)
        out.append(PublishedTable(rows.dataset, frame, rows.title))
    return out


def _no_duplicates(frame: pd.DataFrame, dataset: str, path: Path) -> None:
    key = ["FeatureCode", "DateCode", "Measurement", "Units"]
    repeated = frame[frame.duplicated(key, keep=False)]
    if repeated.empty:
        return
    first = repeated.iloc[0]
    same = repeated[(repeated[key] == first[key]).all(axis=1)]
    again = Cell(path, str(same.iloc[1]["_source_sheet"]), int(same.iloc[1]["_source_row"]),
                 str(same.iloc[1]["_source_column"]))
    raise Cell(path, str(first["_source_sheet"]), int(first["_source_row"]), str(first["_source_column"])).error(
        f"dataset '{dataset}': {first['Measurement']} for {first['FeatureCode']} in {first['DateCode']} is given "
        f"twice (again at row {again.row}, column {again.where})",
        hint="each area, period and indicator appears once in a CPOP file")
