"""CPOP's long CSVs: ``CPPcleandata.csv`` and the statistics.gov.scot pulls of an IS prototype.

Why: the same release ships the council figures twice, as the CPP workbook and as
``CPPcleandata.csv`` (one row per council, indicator, type and year), the file CPOP's own web
app reads. They do not agree everywhere (child poverty, below), so the CSV is its own dataset
(``cpop-cpp-app``) with the workbook's Measurement and Units: the catalogue lists it after the
workbook, so the workbook's figure is shown and the app's stays queryable beside it
(``marts.indicator_releases``), and either file alone serves the catalogue.

Label reconciliation, in this one place (``APP_LABEL_SHIFT``): for child poverty the CSV
labels each council figure one financial year later than the workbook, the intermediate-zone
workbook and DWP's own "financial year ending" labels (the CSV's 2021/22 is the COVID-uplift
dip of 2020/21, and it divides by the next year's population), so its labels are moved back a
year to line up with every other file; its values are kept as published.

The prototype's pulls (``dummy_cpop_api_pulls``) are council populations (aged 0-15 and 16-64,
2001-2021) and the intermediate zone attainment series; they load as their own datasets.
Rolled periods (``2011/12-2013/14``) keep CPOP's convention: the label of the last year.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from etl.errors import InputError
from etl.sources.cpop.cells import Cell, Rows, area_code, cpop_year, value_text
from etl.sources.cpop.measures import units_of, value_type, with_index_base

_ROLLED = re.compile(r"^\d{4}/\d{2}-(?P<last>\d{4}/\d{2})$")
_CALENDAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class CsvLayout:
    """One CSV layout: the columns that identify it (others allowed) and how a row becomes rows."""

    name: str
    required: frozenset[str]
    allowed: frozenset[str]
    read: Callable[[Path, list[dict[str, str]], list[int]], list[Rows]]

    def matches(self, header: list[str]) -> bool:
        columns = set(header)
        return self.required <= columns and columns <= self.required | self.allowed


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    """Header, rows and each row's line number (header = line 1) of a CSV file."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            reader.fieldnames = header
            rows, lines = [], []
            for row in reader:
                rows.append(row)
                lines.append(reader.line_num)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"is not UTF-8 text ({exc.reason})", hint="save it as CSV UTF-8") from exc
    return header, rows, lines


#: Years to move the app CSV's labels by, per CPOP indicator, to line up with the workbooks.
APP_LABEL_SHIFT: dict[str, int] = {"Child Poverty": -1}
APP_DATASET = ("cpop-cpp-app", "CPOP web app's council figures (CPPcleandata.csv)")


def _shifted(label: str, years: int) -> str:
    """``2015/16`` moved by ``years`` (``-1`` → ``2014/15``)."""
    first = int(label[:4]) + years
    return f"{first}/{(first + 1) % 100:02d}"


def _cpp_long(path: Path, rows: list[dict[str, str]], lines: list[int]) -> list[Rows]:
    dataset, title = APP_DATASET
    found = []
    for row, line in zip(rows, lines, strict=True):
        code = area_code(row["CPP"], "council", Cell(path, "", line, "CPP"))
        measure = row["Indicator"].strip()
        cell = Cell(path, "", line, "value")
        period = cpop_year(row["Year"], Cell(path, "", line, "Year"))
        if measure in APP_LABEL_SHIFT:
            period = _shifted(period, APP_LABEL_SHIFT[measure])
        found.append((code, period, measure,
                      units_of(measure, Cell(path, "", line, "Indicator")), value_text(row["value"], cell),
                      value_type(row["Type"], Cell(path, "", line, "Type")), cell))
    target = Rows(dataset, title, [])
    for record in with_index_base(found):
        target.add(*record)
    return [target]


def _population(age: str, column: str) -> Callable[[Path, list[dict[str, str]], list[int]], list[Rows]]:
    def read(path: Path, rows: list[dict[str, str]], lines: list[int]) -> list[Rows]:
        target = Rows("cpop-population-cpp", "NRS mid-year population by council, as pulled for CPOP", [])
        for row, line in zip(rows, lines, strict=True):
            code = area_code(row["CPP"], "council", Cell(path, "", line, "CPP"))
            year = row["Year"].strip()
            if not _CALENDAR.match(year):
                raise Cell(path, "", line, "Year").error(f"'{year}' is not a year", hint="years look like 2019")
            target.add(code, year, "Population", f"People aged {age}", value_text(row[column], Cell(path, "", line, column)),
                       "raw", Cell(path, "", line, column))
        return [target]

    return read


def _attainment_iz(path: Path, rows: list[dict[str, str]], lines: list[int]) -> list[Rows]:
    target = Rows("cpop-attainment-iz", "Average highest attainment of school leavers by intermediate zone "
                  "(statistics.gov.scot, 3-year rolled), as pulled for CPOP", [])
    for row, line in zip(rows, lines, strict=True):
        code = area_code(row["IZCode"], "intermediate_zone", Cell(path, "", line, "IZCode"))
        label = row["Year"].strip()
        rolled = _ROLLED.match(label)
        period = rolled["last"] if rolled else cpop_year(label, Cell(path, "", line, "Year"))
        measure = row["Indicator"].strip()
        target.add(code, period, measure, units_of(measure, Cell(path, "", line, "Indicator")),
                   value_text(row["value"], Cell(path, "", line, "value")),
                   value_type(row["Type"], Cell(path, "", line, "Type")), Cell(path, "", line, "value"))
    return [target]


LAYOUTS = (
    CsvLayout("CPP long figures (CPPcleandata.csv)", frozenset({"CPP", "Indicator", "Type", "Year", "value"}),
              frozenset({"IndicatorFullName", "FG"}), _cpp_long),
    CsvLayout("council population aged 0-15 (under_16_population.csv)", frozenset({"CPP", "Year", "child_population"}),
              frozenset(), _population("0-15", "child_population")),
    CsvLayout("council population aged 16-64 (working_age_population_cpp.csv)",
              frozenset({"CPP", "Year", "working_age_population"}), frozenset(), _population("16-64", "working_age_population")),
    CsvLayout("intermediate zone attainment (educational_attainment_iz.csv)",
              frozenset({"value", "Year", "IZCode", "Indicator", "Type"}), frozenset({"IZName", "CPP"}), _attainment_iz),
)


def read_csv(path: Path) -> list[Rows] | None:
    """The rows of a CPOP CSV, or ``None`` when its header is none of ``LAYOUTS``."""
    header, rows, lines = read_rows(path)
    for layout in LAYOUTS:
        if layout.matches(header):
            return layout.read(path, rows, lines)
    return None
