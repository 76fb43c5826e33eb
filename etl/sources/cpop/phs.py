"""CPOP's numerators and denominators workbook ("CPOP Data - for PHS"): counts beside populations.

Why: for child poverty and out-of-work benefits the Improvement Service publishes the counts
behind its data zone and intermediate zone percentages, so cpop can build wards, localities,
HSCPs, health boards and user-made areas by summing counts (never averaging rates). Each sheet
holds two blocks side by side under two header rows: a title row ("Children in low-income
households", "Population 0-15") and a row of headings (area code columns, then one column a
year). The count's year is a financial year (``2019/20``); the population's is a mid-year
(``2019``). CPOP divides the count for 2019/20 by the mid-2019 population (this reproduces
every published IZ child poverty figure), so the population rows get the count's label,
``2019/20`` (30 June 2019 falls in that financial year), and their Units say so: a catalogue
denominator on this dataset joins its numerator by period.

``Crime - DZ`` is one block: the SIMD 2020 crime count beside the 2017 total and working-age
populations. CPOP's DZ workbook shows count / working-age population x 10,000 as 2017/18, so
all three get that label.

Rows are matched within a sheet: both blocks of a row must name the same area (a shifted
block would pair one area's count with another's population).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from etl.sources.cpop.cells import (
    Cell,
    Rows,
    area_code,
    cpop_year,
    financial_label,
    is_blank,
    value_text,
)

DATASET = "cpop-phs"
TITLE = "CPOP: counts and populations behind the data zone and intermediate zone figures"
#: Sheet name → (Measurement, area type).
SHEETS: dict[str, tuple[str, str]] = {
    "Child Poverty - DZ": ("Child Poverty", "datazone"),
    "Child Poverty - IGZ": ("Child Poverty", "intermediate_zone"),
    "OOWB - DZ": ("Out of Work Benefits", "datazone"),
    "OOWB - IGZ": ("Out of Work Benefits", "intermediate_zone"),
    "Crime - DZ": ("Crime", "datazone"),
}
#: Block title (first words, lower case) → Units.
BLOCK_UNITS: dict[str, str] = {
    "children in low-income": "Children in low-income families",
    "population 0-15": "Population aged 0-15 (mid-year at the start of the year)",
    "total claiming oowb": "Out-of-work benefit claimants aged 16-64 (mean of the year's quarterly counts)",
    "working age population": "Population aged 16-64 (mid-year at the start of the year)",
}
#: ``Crime - DZ`` headings → Units.
CRIME_UNITS: dict[str, str] = {
    "crime_count": "SIMD 2020 crimes (count)",
    "Total population": "Population, all ages (mid-year at the start of the year)",
    "WA population": "Population aged 16-64 (mid-year at the start of the year)",
}
_AREA = re.compile(r"^S0[12]\d{6}$")
_MID_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Block:
    """One side of a sheet: its code column, its units and its year columns."""

    code_column: int
    units: str
    years: list[tuple[int, str, str]]  # (column, heading, DateCode)


def is_phs_workbook(sheet_names: Sequence[str]) -> bool:
    return bool(sheet_names) and all(name.strip() in SHEETS for name in sheet_names)


def read_sheet(path: Path, sheet: str, rows: Sequence[tuple], target: Rows) -> None:
    """The canonical rows of one sheet of the workbook."""
    measurement, kind = SHEETS[sheet.strip()]
    if sheet.strip() == "Crime - DZ":
        _read_crime(path, sheet, rows, measurement, target)
        return
    if len(rows) < 3:
        raise Cell(path, sheet, 1, "A").error("the sheet has no rows of figures")
    blocks = _blocks(path, sheet, rows)
    for i, row in enumerate(rows[2:], start=3):
        codes = {b.code_column: row[b.code_column] if b.code_column < len(row) else None for b in blocks}
        if all(is_blank(c) for c in codes.values()):
            _nothing_without_area(path, sheet, i, row, blocks)
            continue
        resolved = []
        for block in blocks:
            cell = Cell(path, sheet, i, _heading(rows, block.code_column))
            resolved.append(area_code(codes[block.code_column], kind, cell))
        if len(set(resolved)) > 1:
            raise Cell(path, sheet, i, _heading(rows, blocks[1].code_column)).error(
                f"the blocks side by side name different areas ({', '.join(resolved)})",
                hint="each row of the count block and the population block is the same area")
        for block, code in zip(blocks, resolved, strict=True):
            for j, heading, period in block.years:
                cell = Cell(path, sheet, i, heading)
                value = value_text(row[j] if j < len(row) else None, cell)
                target.add(code, period, measurement, block.units, value, "raw", cell)


def _blocks(path: Path, sheet: str, rows: Sequence[tuple]) -> list[Block]:
    """The blocks of a two-header-row sheet: runs of year headings, their code column and title."""
    titles, headings, first = rows[0], rows[1], rows[2]
    runs: list[list[int]] = []
    for j, heading in enumerate(headings):
        if _is_year(heading):
            if runs and runs[-1][-1] == j - 1:
                runs[-1].append(j)
            else:
                runs.append([j])
    blocks = []
    previous_end = -1
    for run in runs:
        code_column = next((j for j in range(run[0] - 1, previous_end, -1)
                            if j < len(first) and _AREA.match(str(first[j] or "").strip())), None)
        if code_column is None:
            raise Cell(path, sheet, 2, str(headings[run[0]])).error(
                "no column of area codes stands before these years", hint="each block starts with its area codes")
        named = [str(titles[j]).strip() for j in range(code_column, run[-1] + 1)
                 if j < len(titles) and not is_blank(titles[j])]
        units = [u for key, u in BLOCK_UNITS.items() if named and named[0].lower().startswith(key)]
        if len(named) != 1 or not units:
            raise Cell(path, sheet, 1, named[0] if named else str(headings[run[0]])).error(
                f"the block above '{headings[run[0]]}' has title {named or 'none'}, not one cpop knows",
                hint=f"known titles begin: {', '.join(BLOCK_UNITS)}")
        years = [(j, f"{named[0]}: {str(headings[j]).strip()}", _period(headings[j], Cell(path, sheet, 2, str(headings[j]))))
                 for j in run]
        blocks.append(Block(code_column, units[0], years))
        previous_end = run[-1]
    if len(blocks) != 2:
        raise Cell(path, sheet, 2, "A").error(f"expected a count block and a population block, found {len(blocks)}",
                                              hint="the sheet has two blocks side by side, each with its years")
    return blocks


def _is_year(heading: object) -> bool:
    text = str(heading).strip() if heading is not None else ""
    return bool(_MID_YEAR.match(text)) or bool(re.match(r"^\d{4}/\d{2}$", text))


def _period(heading: object, cell: Cell) -> str:
    """A financial year as published; a mid-year ``2019`` as the financial year it falls in."""
    text = str(heading).strip()
    return financial_label(int(text)) if _MID_YEAR.match(text) else cpop_year(text, cell)


def _heading(rows: Sequence[tuple], j: int) -> str:
    heading = rows[1][j] if j < len(rows[1]) else None
    return str(heading).strip() if not is_blank(heading) else f"column {j + 1}"


def _nothing_without_area(path: Path, sheet: str, i: int, row: tuple, blocks: list[Block]) -> None:
    for block in blocks:
        for j, heading, _period_label in block.years:
            if j < len(row) and not is_blank(row[j]):
                raise Cell(path, sheet, i, heading).error("a figure has no area code",
                                                          hint="every row of figures starts with its area code")


def _read_crime(path: Path, sheet: str, rows: Sequence[tuple], measurement: str, target: Rows) -> None:
    """``Crime - DZ``: the SIMD 2020 crime count and the 2017 populations, all labelled 2017/18."""
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    columns, keys, years = [], set(), set()
    for j, heading in enumerate(header):
        match = re.match(r"^(?P<what>.*?)\s*(?P<year>\d{4})?$", heading)
        key = match["what"] if match else heading
        if key in CRIME_UNITS:
            columns.append((j, heading, CRIME_UNITS[key]))
            keys.add(key)
            if match and match["year"]:
                years.add(int(match["year"]))
    if keys != set(CRIME_UNITS) or len(years) != 1 or header[0] != "Data_Zone":
        raise Cell(path, sheet, 1, header[0] if header else "A").error(
            "expected Data_Zone, crime_count and the populations of one year",
            hint="headings: Data_Zone, Intermediate_Zone, Council_area, crime_count, "
                 "Total population 2017, WA population 2017")
    period = financial_label(years.pop())
    for i, row in enumerate(rows[1:], start=2):
        if is_blank(row[0] if row else None):
            if any(not is_blank(row[j]) for j, _h, _u in columns if j < len(row)):
                raise Cell(path, sheet, i, "Data_Zone").error("a figure has no area code")
            continue
        code = area_code(row[0], "datazone", Cell(path, sheet, i, "Data_Zone"))
        for j, heading, units in columns:
            cell = Cell(path, sheet, i, heading)
            target.add(code, period, measurement, units, value_text(row[j] if j < len(row) else None, cell), "raw",
                       cell)
