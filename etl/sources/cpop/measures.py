"""What each CPOP figure is: Measurement (CPOP's indicator name) and Units (what the number is).

Why: the catalogue picks rows by dataset / Measurement / Units, so one indicator must carry the
same pair in every file that publishes it (the CPP workbook and ``CPPcleandata.csv``, the IGZ
and DZ workbooks) and a different pair where the number means something else. The scheme:

* ``Measurement`` is CPOP's own indicator name as its headings spell it (``Child Poverty``,
  ``Primary 1 Body Mass Index``, ``Crime Rate``), so a reader of the workbook recognises it;
* ``Units`` says what the number is (``Percent``, ``Per 10,000 working-age population``,
  ``Index (2010/11 = 100)``), checked against the magnitudes in the files, not only the labels.

Two places where a label and the numbers disagree are settled here (docs/data-formats.md):

* the Aug-2022 IGZ sheet "Total crimes per 100,000 - IGZ" holds recorded crimes per 10,000
  people (IZ rates times population sum to about 242,000 crimes in 2017/18; Scotland recorded
  244,504): a different series from the Sep-2023 crimes and offences per 10,000 working-age
  population, so it gets its own Units and is never mixed with it;
* index series (Depopulation, Fragility) name their base year from the data: the period in
  which every area is 100. The Aug-2022 IGZ depopulation index has no such period (its base is
  not in the file) and the Sep-2023 one is rebased to 2010/11 = 100, so the two never mix.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from etl.sources.cpop.cells import Cell, cpop_year

PERCENT = "Percent"
#: Units of each CPOP indicator, by the name its headings use.
UNITS: dict[str, str] = {
    "Healthy Birthweight": PERCENT,
    "Primary 1 Body Mass Index": PERCENT,
    "Employment Rate": PERCENT,
    "Median Earnings": "GBP per week",
    "Business Survival": PERCENT,
    "Dwelling Fires": "Per 100,000 population",
    "Unplanned Hospital Attendances": "Per 100,000 population",
    "Well-being": "Score (0-10)",
    "Fuel Poverty": PERCENT,
    "Fragility": "Index",
    "Carbon Emissions": "Tonnes CO2 per person",
    "Child Poverty": PERCENT,
    "Attainment": "Score",
    "Participation Rate": PERCENT,
    "Positive Destinations": PERCENT,
    "Out of Work Benefits": PERCENT,
    "Crime Rate": "Per 10,000 working-age population",
    "Emergency Admissions": "Per 100,000 population aged 65+",
    "Early Mortality": "EASR per 100,000 population aged under 75",
    "Depopulation": "Index",
    # DZ Data: SIMD domain crimes (a subset of all crimes), only in SIMD years
    "Crime": "SIMD crimes per 10,000 working-age population",
}
#: Sheets whose title and numbers disagree, and what the numbers are (module docstring).
UNITS_BY_SHEET: dict[tuple[str, str], str] = {
    ("Total crimes per 100,000 - IGZ", "Crime Rate"): "Per 10,000 population",
}
VALUE_TYPES: dict[str, str] = {"Raw data": "raw", "Raw": "raw", "Imputed": "imputed", "Projected": "projected"}
_HEADING = re.compile(r"^(?P<measure>.+?)_(?P<type>[^_]+)_(?P<year>[^_]+)$")


def units_of(measurement: str, cell: Cell, sheet: str = "") -> str:
    """The Units of a CPOP indicator (index series still need ``index_units``)."""
    if (sheet.strip(), measurement) in UNITS_BY_SHEET:
        return UNITS_BY_SHEET[(sheet.strip(), measurement)]
    if measurement not in UNITS:
        raise cell.error(f"'{measurement}' is not a CPOP indicator cpop knows the units of",
                         hint=f"known indicators: {', '.join(sorted(UNITS))}; a new one needs its units "
                              "added to etl/sources/cpop/measures.py")
    return UNITS[measurement]


def value_type(label: str, cell: Cell) -> str:
    """CPOP's ``Raw data`` / ``Imputed`` / ``Projected`` as the contract's value type."""
    if label.strip() not in VALUE_TYPES:
        raise cell.error(f"'{label}' is not a CPOP value type", hint=f"use one of {', '.join(VALUE_TYPES)}")
    return VALUE_TYPES[label.strip()]


def parse_heading(heading: str, cell: Cell) -> tuple[str, str, str]:
    """``Child Poverty_Raw data_2020/21`` → (``Child Poverty``, ``raw``, ``2020/21``)."""
    match = _HEADING.match(heading.strip())
    if not match:
        raise cell.error(f"heading '{heading}' is not '<Indicator>_<Type>_<Year>'",
                         hint="CPOP headings look like 'Child Poverty_Raw data_2020/21'")
    return match["measure"].strip(), value_type(match["type"], cell), cpop_year(match["year"], cell)


def index_units(values_by_period: dict[str, Iterable[str]]) -> str:
    """``Index (<period> = 100)`` for the first period in which every area is 100, else no base.

    ``values_by_period`` maps each period label to the value texts of one index series.
    """
    for period in sorted(values_by_period):
        numbers = [float(v) for v in values_by_period[period] if v not in ("", "..", "*")]
        if numbers and all(abs(n - 100) < 1e-9 for n in numbers):
            return f"Index ({period} = 100)"
    return "Index (base period not in the file)"


def with_index_base(found: list[tuple]) -> list[tuple]:
    """Rows ``(code, period, measure, units, value, value_type, cell)`` with index Units named.

    An index series' Units become ``Index (<base> = 100)`` (``index_units``), decided from all
    of the series' rows at once, so the workbook and the CSV of one release agree.
    """
    by_measure: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for _code, period, measure, units, value, _type, _cell in found:
        if units == "Index":
            by_measure[measure][period].append(value)
    based = {measure: index_units(periods) for measure, periods in by_measure.items()}
    return [(code, period, measure, based[measure] if units == "Index" else units, value, value_type, cell)
            for code, period, measure, units, value, value_type, cell in found]
