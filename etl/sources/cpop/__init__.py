"""The Improvement Service's Community Planning Outcomes Profile (CPOP) files as canonical tables.

Why: CPOP is the national outcomes profile for Scotland's 32 CPPs; its published figures are
what a board compares itself with, so cpop loads them as published. ``read_cpop_file``
recognises each CPOP layout by its sheets and headings (never by file name, which changes
between releases) and returns canonical tables (``etl/sources/published.py``):

===============================================  ==========================  ===================
layout                                           dataset                     module
===============================================  ==========================  ===================
CPP workbook (sheet per indicator, councils)     ``cpop-cpp``                ``wide``
``CPPcleandata.csv`` (same figures, long)        ``cpop-cpp``                ``csvs``
IGZ workbooks (sheet per indicator, S02 codes)   ``cpop-igz``                ``wide``
DZ workbook (sheet per indicator, S01 codes)     ``cpop-dz``                 ``wide``
counts and populations ("CPOP Data - for PHS")   ``cpop-phs``                ``phs``
council populations 0-15 and 16-64 (pulls)       ``cpop-population-cpp``     ``csvs``
intermediate zone attainment (pull)              ``cpop-attainment-iz``      ``csvs``
===============================================  ==========================  ===================

A file of any other layout is an ``InputError`` naming the file and the layouts accepted,
never skipped. ``datazone data for maps.xlsx`` is recognised and refused with its reason: its
columns carry no years, and none can be matched to a period for every data zone.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from etl.errors import InputError
from etl.sources.cpop import phs, wide
from etl.sources.cpop.cells import Rows, tables
from etl.sources.cpop.csvs import LAYOUTS, read_csv
from etl.sources.published import PublishedTable, PublisherReader

ACCEPTED = (
    "a CPOP data workbook with one sheet per indicator (first column council names, InterZone or DZ "
    "codes; headings '<Indicator>_<Type>_<Year>')",
    "the counts-and-populations workbook (sheets " + ", ".join(phs.SHEETS) + ")",
    *(layout.name for layout in LAYOUTS),
)
_MAPS_HEADINGS = ("Datazone", "CPP", "IGZ", "% of children in poverty")


def read_cpop_file(path: Path) -> list[PublishedTable]:
    """The canonical tables of one CPOP file (module docstring), or an ``InputError``."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        collected = read_csv(path)
    elif path.suffix.lower() == ".xlsx":
        collected = _read_workbook(path)
    else:
        collected = None
    if collected is None:
        raise InputError(path, "is not a CPOP layout cpop reads",
                         hint="accepted: " + "; ".join(ACCEPTED) + " (see docs/data-formats.md, CPOP)")
    return tables(collected, path)


def _read_workbook(path: Path) -> list[Rows] | None:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise InputError(path, f"cannot be opened as an Excel workbook ({exc})",
                         hint="download the workbook again") from exc
    try:
        sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()
    if phs.is_phs_workbook(list(sheets)):
        target = Rows(phs.DATASET, phs.TITLE, [])
        for sheet, rows in sheets.items():
            phs.read_sheet(path, sheet, rows, target)
        return [target]
    if any(rows and tuple(str(h or "").strip() for h in rows[0][:4]) == _MAPS_HEADINGS for rows in sheets.values()):
        raise InputError(path, "is CPOP's 'datazone data for maps' workbook, whose columns carry no years: its child "
                         "poverty column equals the August 2022 DZ workbook's 2016/17 for only 5,177 of 6,459 data "
                         "zones and its other four columns match no year of any CPOP file, so the period of its "
                         "figures cannot be established",
                         hint="leave it out of data/raw/cpop/; data zone figures come from the 'DZ Data' workbook")
    indicator_sheets = {name: rows for name, rows in sheets.items() if not wide.is_skipped(name)}
    others = [name for name, rows in indicator_sheets.items() if not wide.is_indicator_sheet(rows)]
    if not indicator_sheets or len(others) == len(indicator_sheets):
        return None
    if others:
        raise InputError(path, f"sheet '{others[0]}' is not an indicator sheet of this CPOP workbook",
                         row=1, column=f"A (sheet '{others[0]}')",
                         hint="an indicator sheet has the area (blank, InterZone or DZ) in A1 and headings "
                              "'<Indicator>_<Type>_<Year>'; only 'Front page…' and 'Labels' sheets are notes")
    collected: dict[str, Rows] = {}
    for sheet, rows in indicator_sheets.items():
        wide.read_sheet(path, sheet, rows, collected)
    return list(collected.values())


READER = PublisherReader(source="cpop", suffixes=(".xlsx", ".csv"), read=read_cpop_file)

__all__ = ["READER", "read_cpop_file"]
