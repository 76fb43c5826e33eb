"""An officer's spend file (CSV or the first sheet of an XLSX) as text rows, after the limits.

Why: officers export spend from a finance system or a spreadsheet; the columns are recognised
by name (case, spaces and hyphens ignored, a few usual synonyms), every cell is read as text so
``S01006506`` and ``2023/24`` survive, and each row keeps the number a spreadsheet shows for it
(header = row 1), so every later message can point at it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from etl.errors import InputError
from etl.sources.csv_shape import check_csv_rows, open_text
from etl.sources.limits import check_raw_file

SUFFIXES = (".csv", ".xlsx")
#: the role of each column, by its normalised heading
ROLES: dict[str, tuple[str, ...]] = {
    "area": ("area", "area_code", "area_name", "locality", "locality_name", "locality_code", "ward", "ward_code",
             "intermediate_zone", "intermediate_zone_code", "iz", "iz_code", "datazone", "data_zone",
             "datazone_code", "data_zone_code"),
    "year": ("year", "financial_year", "period"),
    "amount": ("amount", "value", "spend", "expenditure", "hours", "staff_hours", "grants", "grant"),
    "service": ("service", "service_name"),
    "council": ("council", "council_code", "council_name", "local_authority"),
}
REQUIRED = ("area", "year", "amount")
ROW_COLUMN = "_source_row"


def normalise_heading(heading: object) -> str:
    """``"Financial Year"`` → ``financial_year``: how column headings are compared."""
    return re.sub(r"[^a-z0-9]+", "_", str(heading).strip().lower()).strip("_")


def column_roles(path: Path, headings: list[str]) -> dict[str, str]:
    """Each role (area, year, amount, service, council) → the file's own heading for it.

    Raises InputError naming the missing role and the headings found, or a role claimed twice.
    """
    found: dict[str, str] = {}
    for heading in headings:
        key = normalise_heading(heading)
        for role, names in ROLES.items():
            if key in names:
                if role in found:
                    raise InputError(path, f"both '{found[role]}' and '{heading}' look like the {role} column",
                                     row=1, column=str(heading), hint="rename or delete one of them")
                found[role] = str(heading)
    for role in REQUIRED:
        if role not in found:
            raise InputError(path, f"no {role} column (headings found: {', '.join(map(str, headings))})", row=1,
                             hint=f"name one column {ROLES[role][0]!r} (or one of: {', '.join(ROLES[role][1:6])})")
    return found


def read_spend_file(path: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """The file's rows as text (plus ``_source_row``) and its column roles.

    The limits (file size, workbook expansion, rows) are checked before the content is read.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    if not path.name.lower().endswith(SUFFIXES):
        raise InputError(path, "is neither a .csv nor an .xlsx file", hint="save the spend sheet as CSV UTF-8 or .xlsx")
    check_raw_file(path)
    if path.name.lower().endswith(".csv"):
        check_csv_rows(path)
        with open_text(path) as handle:
            frame = pd.read_csv(handle, dtype=str, keep_default_na=False, skip_blank_lines=False)
        first_row = 2
    else:
        try:
            frame = pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl").fillna("")
        except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
            raise InputError(path, f"cannot be opened as an Excel workbook ({exc})",
                             hint="save the spend sheet as CSV UTF-8 instead") from exc
        first_row = 2
    frame = frame.loc[:, [not str(c).startswith("Unnamed:") for c in frame.columns]]
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InputError(path, "has no data rows", hint="the first row holds the headings, the rows below the data")
    roles = column_roles(path, list(frame.columns))
    frame = frame.astype(str).apply(lambda col: col.str.strip())
    frame[ROW_COLUMN] = range(first_row, first_row + len(frame))
    blank = (frame.drop(columns=ROW_COLUMN) == "").all(axis=1)
    return frame[~blank].reset_index(drop=True), roles
