"""Reading an officer's upload (CSV, or one sheet of an XLSX workbook) as text, row numbers kept.

Why: every later message (a guess, a quarantined row) names the row as the officer sees it in
their spreadsheet, so rows are numbered here once (header = row 1) and never renumbered. The
same edge checks as a national raw file run first (``etl.sources.limits``: size, workbook
bombs; ``etl.sources.csv_shape``: short and cut rows, row limit), so a hostile or broken file is
refused before it is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.errors import InputError
from etl.sources.csv_shape import check_csv_rows
from etl.sources.limits import check_raw_file

SUFFIXES = (".csv", ".xlsx", ".xlsm")
ROW = "_row"  # the spreadsheet row number of each data row


@dataclass(frozen=True)
class UploadTable:
    """The file's cells as text (``""`` for an empty cell) with a ``_row`` column; the sheet read."""

    path: Path
    frame: pd.DataFrame
    sheet: str | None
    sheets: list[str]

    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if c != ROW]


def _tidy(frame: pd.DataFrame, path: Path, first_row: int) -> pd.DataFrame:
    """Text cells, stripped headers, a row number per row; blank rows dropped, blank headers refused."""
    frame = frame.copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    unnamed = [i for i, c in enumerate(frame.columns) if not c or c.startswith("Unnamed:")]
    for i in unnamed:  # a column without a heading is only acceptable when it is empty
        if frame.iloc[:, i].fillna("").astype(str).str.strip().ne("").any():
            raise InputError(path, f"column {i + 1} has values but no heading", row=1,
                             hint="give every column of data a heading in the first row")
    frame = frame.drop(columns=[frame.columns[i] for i in unnamed])
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    if duplicated:
        raise InputError(path, f"two columns are both headed '{duplicated[0]}'", row=1, column=duplicated[0],
                         hint="give each column its own heading")
    if frame.columns.empty:
        raise InputError(path, "the file has no columns with a heading", row=1)
    frame = frame.fillna("").astype(str).apply(lambda col: col.str.strip())
    frame[ROW] = range(first_row, first_row + len(frame))
    return frame[frame.drop(columns=ROW).ne("").any(axis=1)].reset_index(drop=True)


def read_upload(path: Path, sheet: str | None = None) -> UploadTable:
    """The data of ``path``: a CSV, or a workbook's ``sheet`` (default the first with data)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(path, f"'{path.suffix or path.name}' files cannot be read",
                         hint="save the data as CSV (UTF-8) or as an Excel workbook (.xlsx)")
    check_raw_file(path)
    if suffix == ".csv":
        if sheet:
            raise InputError(path, "a CSV file has no sheets", hint="leave out --sheet for a CSV file")
        check_csv_rows(path)
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(path, "the file is not UTF-8 text",
                             hint="in Excel use Save As > 'CSV UTF-8 (Comma delimited)'") from exc
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise InputError(path, f"cannot be read as CSV ({str(exc).splitlines()[0]})") from exc
        return UploadTable(path, _tidy(frame, path, 2), None, [])
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise InputError(path, f"cannot be opened as an Excel workbook ({exc})",
                         hint="save the workbook again, or save the data sheet as CSV UTF-8") from exc
    names = list(book.sheet_names)
    if sheet is not None and sheet not in names:
        raise InputError(path, f"the workbook has no sheet '{sheet}' (sheets: {', '.join(names)})",
                         hint="choose one of the sheets listed")
    for name in [sheet] if sheet is not None else names:
        frame = _tidy(pd.read_excel(book, sheet_name=name, dtype=str, keep_default_na=False), path, 2)
        if len(frame):
            return UploadTable(path, frame, name, names)
    raise InputError(path, f"sheet '{sheet}' has no data rows" if sheet else "no sheet of the workbook has data rows")
