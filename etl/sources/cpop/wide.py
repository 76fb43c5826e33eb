"""CPOP's "a sheet per indicator" workbooks: the CPP, IGZ and DZ data workbooks.

Why: the Improvement Service publishes CPOP's figures as workbooks with one sheet per
indicator: the first column names the area (council names plus "Scotland" in the CPP
workbook, ``InterZone`` codes in the IGZ workbooks, ``DZ`` codes in the DZ workbook) and each
other column is headed ``<Indicator>_<Type>_<Year>`` (``Child Poverty_Raw data_2020/21``).
One reader serves the three: the first heading says the area type, and with it the dataset
(``cpop-cpp``, ``cpop-igz``, ``cpop-dz``).

The cells are array formulas; the workbook is opened with cached values (``data_only``), which
are the figures the Improvement Service saved. Trailing empty rows and columns are ignored; a
row or column holding figures without an area or a heading is an error, never skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from etl.sources.cpop.cells import Cell, Rows, area_code, is_blank, value_text
from etl.sources.cpop.measures import parse_heading, units_of, with_index_base

#: The first heading of a sheet → the area type of its rows.
AREA_HEADINGS: dict[str, str] = {"": "council", "InterZone": "intermediate_zone", "DZ": "datazone"}
DATASETS: dict[str, tuple[str, str]] = {
    "council": ("cpop-cpp", "CPOP: community planning partnership (council) and Scotland figures"),
    "intermediate_zone": ("cpop-igz", "CPOP: intermediate zone (community) figures"),
    "datazone": ("cpop-dz", "CPOP: data zone figures"),
}
#: Sheets that are not indicators: notes, and the IGZ/DZ labels (names, SIMD ranks).
SKIPPED_SHEETS = ("Front page", "Labels")


def is_indicator_sheet(rows: Sequence[tuple]) -> bool:
    """A first row of an area heading followed by at least one ``<Indicator>_<Type>_<Year>``."""
    if not rows:
        return False
    header = rows[0]
    first = "" if header[0] is None else str(header[0]).strip()
    headings = [h for h in header[1:] if not is_blank(h)]
    return first in AREA_HEADINGS and bool(headings) and all(str(h).count("_") >= 2 for h in headings)


def is_skipped(sheet: str) -> bool:
    return any(sheet.strip().startswith(name) for name in SKIPPED_SHEETS)


def read_sheet(path: Path, sheet: str, rows: Sequence[tuple], collected: dict[str, Rows]) -> None:
    """Every cell of one indicator sheet as canonical rows of its area type's dataset."""
    header = rows[0]
    kind = AREA_HEADINGS[str(header[0] or "").strip()]
    dataset, title = DATASETS[kind]
    target = collected.setdefault(dataset, Rows(dataset, title, []))
    columns = []
    for j, heading in enumerate(header[1:], start=1):
        if is_blank(heading):
            continue
        cell = Cell(path, sheet, 1, str(heading).strip())
        measure, value_type, period = parse_heading(str(heading), cell)
        columns.append((j, str(heading).strip(), measure, value_type, period, units_of(measure, cell, sheet)))
    found: list[tuple] = []
    for i, row in enumerate(rows[1:], start=2):
        label = row[0] if row else None
        if is_blank(label):
            _nothing_without_area(path, sheet, i, row, header)
            continue
        code = area_code(label, kind, Cell(path, sheet, i, str(header[0] or "").strip() or "first column"))
        _nothing_without_heading(path, sheet, i, row, header)
        for j, heading, measure, value_type, period, units in columns:
            cell = Cell(path, sheet, i, heading)
            found.append((code, period, measure, units, value_text(row[j] if j < len(row) else None, cell),
                          value_type, cell))
    for code, period, measure, units, value, value_type, cell in with_index_base(found):
        target.add(code, period, measure, units, value, value_type, cell)


def _nothing_without_area(path: Path, sheet: str, i: int, row: tuple, header: tuple) -> None:
    for j, value in enumerate(row[1:], start=1):
        if not is_blank(value):
            heading = header[j] if j < len(header) and not is_blank(header[j]) else f"column {j + 1}"
            raise Cell(path, sheet, i, str(heading)).error(
                "a figure has no area in the first column", hint="every row of figures starts with its area")


def _nothing_without_heading(path: Path, sheet: str, i: int, row: tuple, header: tuple) -> None:
    for j in range(1, len(row)):
        if (j >= len(header) or is_blank(header[j])) and not is_blank(row[j]):
            raise Cell(path, sheet, i, f"column {j + 1}").error(
                "a figure has no heading in the first row",
                hint="every column of figures is headed '<Indicator>_<Type>_<Year>'")
