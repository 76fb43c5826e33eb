"""SIMD indicator data (the Scottish Government's "SIMD indicators" workbook) as canonical tables.

Why: the SIMD indicator file is the only published source of several data zone *counts* with
their bases: people who are income deprived (with the total population), employment deprived
(with the working-age population) and SIMD crimes (with the total population). Counts summed
over data zones give every area type honestly (ward, locality, user-made areas), and the
income-deprived counts feed the Duncan index. The rest of the file (standardised ratios,
proportions, travel times) is kept as published values at data zone level.

Two editions are read with the same code, into the same dataset ``simd-indicators`` so one
catalogue mapping gives a two-point series:

* SIMD 2020v2 (``Data_Zone`` or ``dz11_code``, ``no_qualifications``, ``not_participating``,
  ``University``, ``Broadband`` ...): put it in ``data/raw/simd_indicators/2020v2/``;
* SIMD 2016 (``SIMD16 indicator data.xlsx``, sheet ``Data``: ``Noquals``, ``NEET``, ``HESA``,
  ``Working_age_population_revised``): ``data/raw/simd_indicators/2016/``.

The edition is told from the headings, never from the folder. Each indicator has its own
reference period (``REFERENCE_PERIODS``, with where each comes from; ``docs/data-formats.md``
repeats it for users).

Withheld cells: ``*`` (SIMD crime counts below 3, small school cohorts) stays ``*``; a blank
(a rate whose population is 0) stays blank; a spreadsheet error cell (``#VALUE!`` in the 2016
workbook, the same zero populations) is written blank.

Bases: a count's base is emitted next to it as ``Measurement = <the count's>``,
``Units = "Population base"`` with the count's period, so numerator and denominator share a
``DateCode`` (SIMD crimes are 2017/18 but their base is the 2017 population). The Census 2011
housing counts have no base column: it is derived as count ÷ published proportion, rounded
(exact to 1e-3 in the real file), and left blank where both housing counts are 0 (five data
zones), where it cannot be derived. These are the only values this reader computes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from etl.errors import InputError
from etl.sources.canonical import block, require_numbers, value_text
from etl.sources.files import check_text_file
from etl.sources.published import PublishedTable, PublisherReader

SOURCE = "simd_indicators"
DATASET = "simd-indicators"
BASE_UNITS = "Population base"
CODE_HEADINGS = ("data_zone", "dz11_code", "dz", "datazone", "datazone2011", "datazone2011code", "datazone_code")
_DZ_CODE = re.compile(r"^S01\d{6}$")
EDITION_2020, EDITION_2016 = "2020v2", "2016"


@dataclass(frozen=True)
class Period:
    """One indicator group's reference period in each edition, and how sure we are of it."""

    simd2020: str | None
    simd2016: str | None
    basis: str


#: The reference period of each group of indicators, by edition. "confirmed" periods are
#: borne out by a published figure or label; "inferred" ones follow the SIMD technical notes as
#: far as we know them and are not checked against a file here (docs/data-formats.md).
REFERENCE_PERIODS: dict[str, Period] = {
    "population": Period("2017", "2014", "confirmed: the SIMD 2020v2 look-up heads its population 'Population "
                         "(NRS SAPE 2017)'; the SIMD16 file describes 'Total_population' as the 2014 NRS SAPE"),
    "income": Period("2017", "2014", "confirmed: ScotPHO publishes these counts summed (Scotland 654,561 and "
                     "659,920) as 'Population income deprived', 2017 and 2014 calendar years"),
    "employment": Period("2017", "2014", "confirmed: ScotPHO 'Working age population employment deprived' "
                         "gives the same counts for 2017"),
    "crime": Period("2017/18", "2014/15", "confirmed: statistics.gov.scot 'SIMD - Crime indicators' reference "
                    "periods 2014/2015 and 2017/2018; CPOP labels the SIMD crime rate 2014/15 and 2017/18"),
    "census": Period("2011", "2011", "confirmed: Census 2011; the values are identical in both editions"),
    "cif": Period("2017", "2015", "inferred: SIMD technical notes"),
    "depress": Period("2017/18", "2014-2015", "inferred: SIMD technical notes (prescribing years)"),
    "mortality_births": Period("2014-2017", None, "inferred: SIMD technical notes (4 years of deaths, births)"),
    "smr_2016": Period(None, "2011-2014", "inferred: SIMD technical notes"),
    "lbwt_2016": Period(None, "2011-2015", "inferred: SIMD technical notes"),
    "hospital": Period("2017/18", "2011-2014", "inferred: SIMD technical notes; 2020 covers 2014/15-2017/18, "
                       "labelled by its last year"),
    "attendance": Period("2018/19", "2014/15", "inferred: latest biennial attendance collection before publication"),
    "attainment": Period("2017/18", "2014/15", "inferred: school leavers up to the year before publication"),
    "participation": Period("2019", None, "inferred: Annual Participation Measure 2019"),
    "university": Period("2016/17", None, "inferred: SIMD technical notes; entrants up to 2016/17"),
    "access": Period("2019", "2015", "2016 confirmed: statistics.gov.scot 'SIMD - Geographic access to services "
                     "indicators' reference period 2015; 2020 inferred"),
    "broadband": Period("2019", None, "inferred: SIMD technical notes"),
}


@dataclass(frozen=True)
class Series:
    """What one column of the file holds."""

    measurement: str
    units: str
    period: str


PROPORTION = "Proportion"
RATIO = "Standardised ratio"
MINUTES = "Minutes"

#: Column heading (lower case) → canonical series. Both editions' headings are listed; a
#: heading missing from a file is simply not read. SIMD16's NEET and HESA are not read: their
#: reference periods are not established (docs/data-formats.md).
SERIES: dict[str, Series] = {
    "total_population": Series("Total population", "People", "population"),
    "working_age_population": Series("Working-age population", "People", "population"),
    "working_age_population_revised": Series("Working-age population", "People", "population"),
    "income_count": Series("Income deprived", "People", "income"),
    "income_rate": Series("Income deprived", PROPORTION, "income"),
    "employment_count": Series("Employment deprived", "People", "employment"),
    "employment_rate": Series("Employment deprived", PROPORTION, "employment"),
    "cif": Series("Comparative illness factor", RATIO, "cif"),
    "alcohol": Series("Hospital stays related to alcohol misuse", RATIO, "hospital"),
    "drug": Series("Hospital stays related to drug misuse", RATIO, "hospital"),
    "smr": Series("Standardised mortality ratio", RATIO, "mortality_births"),
    "depress": Series("Population prescribed drugs for anxiety, depression or psychosis", PROPORTION, "depress"),
    "lbwt": Series("Live singleton births of low birth weight", PROPORTION, "mortality_births"),
    "emerg": Series("Emergency stays in hospital", RATIO, "hospital"),
    "attendance": Series("School pupil attendance", PROPORTION, "attendance"),
    "attainment": Series("Attainment of school leavers", "Score", "attainment"),
    "no_qualifications": Series("Working-age people with no qualifications", RATIO, "census"),
    "noquals": Series("Working-age people with no qualifications", RATIO, "census"),
    "not_participating": Series("People aged 16-19 not participating in education, employment or training",
                                PROPORTION, "participation"),
    "university": Series("People aged 17-21 entering university", PROPORTION, "university"),
    "broadband": Series("Premises without access to superfast broadband", PROPORTION, "broadband"),
    "drive_petrol": Series("Drive time to a petrol station", MINUTES, "access"),
    "drive_gp": Series("Drive time to a GP surgery", MINUTES, "access"),
    "drive_post": Series("Drive time to a post office", MINUTES, "access"),
    "drive_po": Series("Drive time to a post office", MINUTES, "access"),
    "drive_primary": Series("Drive time to a primary school", MINUTES, "access"),
    "drive_retail": Series("Drive time to a retail centre", MINUTES, "access"),
    "drive_secondary": Series("Drive time to a secondary school", MINUTES, "access"),
    "pt_gp": Series("Public transport travel time to a GP surgery", MINUTES, "access"),
    "pt_post": Series("Public transport travel time to a post office", MINUTES, "access"),
    "pt_retail": Series("Public transport travel time to a retail centre", MINUTES, "access"),
    "crime_count": Series("SIMD crimes", "Crimes", "crime"),
    "crime_rate": Series("SIMD crimes", "Crimes per 10,000 people", "crime"),
    "overcrowded_count": Series("People in overcrowded households", "People", "census"),
    "overcrowded_rate": Series("People in overcrowded households", PROPORTION, "census"),
    "nocentralheat_count": Series("People in households without central heating", "People", "census"),
    "nocentralheat_rate": Series("People in households without central heating", PROPORTION, "census"),
}
#: The 2016 edition's periods differ from 2020's for these headings.
SERIES_2016_PERIOD = {"smr": "smr_2016", "lbwt": "lbwt_2016"}
#: Count column → the column holding its base, or ("derive", proportion column).
BASES: dict[str, tuple[str, ...]] = {
    "income_count": ("total_population",),
    "employment_count": ("working_age_population", "working_age_population_revised"),
    "crime_count": ("total_population",),
    "overcrowded_count": ("derive", "overcrowded_rate"),
    "nocentralheat_count": ("derive", "nocentralheat_rate"),
}
_EDITION_2020_HEADINGS = {"no_qualifications", "not_participating", "university", "broadband", "drive_post"}
_EDITION_2016_HEADINGS = {"noquals", "neet", "hesa", "working_age_population_revised", "drive_po"}


def read(path: Path) -> list[PublishedTable]:
    """The canonical table of one SIMD indicator file (CSV, or the workbook's data sheet)."""
    frame, sheet = _read_cells(path)
    headings = {str(c).strip().lower(): str(c) for c in frame.columns}
    code_heading = next((headings[h] for h in CODE_HEADINGS if h in headings), None)
    edition = _edition(path, headings)
    if code_heading is None:
        raise InputError(path, f"no data zone code column (expected one of: Data_Zone, dz11_code, DZ; found: "
                         f"{', '.join(list(frame.columns)[:8])})", row=1, column="Data_Zone",
                         hint="use the Scottish Government's SIMD indicator data file (docs/data-formats.md)")
    rows = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    codes = frame[code_heading].astype("string").fillna("").str.strip()
    _check_codes(path, codes, rows, code_heading, sheet)
    blocks = []
    for heading, original in headings.items():
        series = SERIES.get(heading)
        if series is None:
            continue
        period = _period(series, heading, edition)
        values = value_text(frame[original])
        require_numbers(path, values, rows, original, sheet=sheet or None)
        blocks.append(block(codes=codes, date=period, measurement=series.measurement, units=series.units,
                            values=values, rows=rows, column=original, sheet=sheet))
        if heading in BASES:
            blocks.append(_base_block(path, frame, headings, heading, codes, rows, period, sheet))
    title = f"SIMD {edition} indicator data"
    return [PublishedTable(DATASET, pd.concat(blocks, ignore_index=True), title)]


def _read_cells(path: Path) -> tuple[pd.DataFrame, str]:
    """Every cell as text: the CSV, or the first sheet of a workbook with a data zone code heading."""
    if path.suffix.lower() == ".csv":
        check_text_file(path)
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig"), ""
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise InputError(path, f"cannot be opened as an Excel workbook ({exc})",
                         hint="download the workbook again or save its Data sheet as CSV UTF-8") from exc
    ordered = sorted(sheets, key=lambda name: name.strip().lower() != "data")
    for name in ordered:
        frame = sheets[name]
        if any(str(c).strip().lower() in CODE_HEADINGS for c in frame.columns):
            return frame.dropna(how="all"), name
    raise InputError(path, f"no sheet has a data zone code column (sheets: {', '.join(sheets)})",
                     column="Data_Zone", hint="the SIMD indicator workbook's 'Data' sheet is read")


def _edition(path: Path, headings: dict[str, str]) -> str:
    is_2020 = bool(_EDITION_2020_HEADINGS & headings.keys())
    is_2016 = bool(_EDITION_2016_HEADINGS & headings.keys())
    if is_2020 == is_2016:
        raise InputError(path, "cannot tell the SIMD edition from the headings", row=1,
                         hint="SIMD 2020v2 files have 'no_qualifications' and 'Broadband', SIMD16 files "
                              "'Noquals' and 'HESA'; keep the publisher's headings")
    return EDITION_2020 if is_2020 else EDITION_2016


def _period(series: Series, heading: str, edition: str) -> str:
    if edition == EDITION_2016:
        period = REFERENCE_PERIODS[SERIES_2016_PERIOD.get(heading, series.period)].simd2016
    else:
        period = REFERENCE_PERIODS[series.period].simd2020
    assert period is not None, f"no {edition} period for {heading}"  # the tables above are complete
    return period


def _check_codes(path: Path, codes: pd.Series, rows: pd.Series, heading: str, sheet: str) -> None:
    where = f"{heading} (sheet '{sheet}')" if sheet else heading
    bad = ~codes.str.match(_DZ_CODE)
    if bad.any():
        first = bad.to_numpy().argmax()
        raise InputError(path, f"not a 2011 data zone code: '{codes.iloc[first]}'", row=int(rows.iloc[first]),
                         column=where, hint="data zone codes look like S01006506")
    duplicated = codes.duplicated()
    if duplicated.any():
        first = duplicated.to_numpy().argmax()
        raise InputError(path, f"data zone '{codes.iloc[first]}' appears twice", row=int(rows.iloc[first]),
                         column=where, hint="one row per data zone")


def _base_block(path: Path, frame: pd.DataFrame, headings: dict[str, str], count: str, codes: pd.Series,
                rows: pd.Series, period: str, sheet: str) -> pd.DataFrame:
    """The population a count is out of, with the count's period (module docstring)."""
    series = SERIES[count]
    spec = BASES[count]
    if spec[0] == "derive":
        text = _household_base(frame, headings).round().astype("Int64").astype("string").fillna("")
        column = " or ".join(f"{headings[c]} / {headings[r]}" for c, r in _HOUSING if c in headings and r in headings)
        return block(codes=codes, date=period, measurement=series.measurement, units=BASE_UNITS, values=text,
                     rows=rows, column=column, sheet=sheet)
    original = next((headings[h] for h in spec if h in headings), None)
    if original is None:
        raise InputError(path, f"the file has '{headings[count]}' but not its base ({' or '.join(spec)})", row=1,
                         column=spec[0], hint="keep the publisher's population columns")
    return block(codes=codes, date=period, measurement=series.measurement, units=BASE_UNITS,
                 values=value_text(frame[original]), rows=rows, column=original, sheet=sheet)


#: The Census 2011 housing counts and their proportions, both out of people in households.
_HOUSING = (("overcrowded_count", "overcrowded_rate"), ("nocentralheat_count", "nocentralheat_rate"))


def _household_base(frame: pd.DataFrame, headings: dict[str, str]) -> pd.Series:
    """People in households: count ÷ proportion from whichever housing pair has a positive count.

    Why both pairs: a data zone with no overcrowded people (proportion 0) still gives its base
    through the central-heating pair, and vice versa. With both counts 0 (5 data zones in SIMD
    2020v2) no base can be derived; both counts are exactly 0 whatever it is, so the data zone's
    total population stands in for it (people in households can only be fewer), rather than
    leaving every area containing it without a value: area totals move by well under 0.1 %.
    """
    base = pd.Series(np.nan, index=frame.index)
    zero_both = pd.Series(True, index=frame.index)
    for count, rate in _HOUSING:
        if count in headings and rate in headings:
            counts = pd.to_numeric(value_text(frame[headings[count]]), errors="coerce").astype("float64")
            rates = pd.to_numeric(value_text(frame[headings[rate]]), errors="coerce").astype("float64")
            base = base.fillna((counts / rates).where((counts > 0) & (rates > 0)))
            zero_both &= counts == 0
    total = next((headings[h] for h in ("total_population", "Total_population") if h in headings), None)
    if total is not None:
        people = pd.to_numeric(value_text(frame[total]), errors="coerce").astype("float64")
        base = base.fillna(people.where(zero_both))
    return base


READER = PublisherReader(source=SOURCE, suffixes=(".csv", ".xlsx"), read=read)
