"""ScotPHO online-profile extracts (Public Health Scotland) as canonical tables.

Why: ScotPHO publishes council, health board and Scotland figures for some 230 public-health
indicators with their 95 % intervals, and by SIMD quintile with the inequality measures (SII,
RII, PAR, ranges). They are intensive published values: shown where published, never summed;
and the quintile file lets a test compare our SII/RII/PAR with ScotPHO's own.

Two layouts, both in ``data/raw/scotpho/<release>/`` (the release is the download month):

* the profile tool's data download (``area_code, area_type, area_name, year, period,
  type_definition, indicator, numerator, measure, upper_confidence_interval,
  lower_confidence_interval``): dataset ``scotpho-ca``. ``Measurement`` is the indicator's
  name, ``Units`` its ``type_definition`` (the value with the published interval) or
  ``Numerator`` (indicators with no numerator at all in the file have no numerator rows);
* the deprivation data (``code, quintile, quint_type, numerator, denominator, measure, lowci,
  upci, sii ... ind_id, indicator, def_period``) as Parquet, or as CSV with those headings:
  dataset ``scotpho-deprivation`` with dimensions ``SIMD quintile`` (``1`` most deprived …
  ``5``, ``Total``) and ``Quintile basis`` (``Scotland``, ``Health board``, ``Council area``:
  quintiles of Scotland's, the board's or the council's own data zones). Units are the
  ``type_definition`` (with ``lowci``/``upci``), ``Numerator``, ``Denominator`` on every row,
  and on the ``Total`` rows only (ScotPHO repeats them on every row of a group) the
  inequality measures ``INEQUALITY_UNITS``.

Periods: the publisher's label is turned into a ``DateCode`` by ``period_code`` (a single
calendar, survey or snapshot year → ``2021``; a financial or school year → ``2021/22``; a span
of calendar years → ``2018-2022``; a span of financial or school years → its last year,
``2022/23``, the catalogue's ``rolling_years`` saying how many years it covers). ScotPHO's
``year`` column is not used: it is the middle year of an aggregate.

Missing values (``NA`` in the CSV, null in Parquet) are written blank: withheld or not
published. Scotland's code in the deprivation file is the retired ``S00000001``: it is read
as ``S92000003``; council codes retired in 2018/19 and 2019/20 become the current ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from etl.errors import InputError
from etl.sources.canonical import block, is_typed_number, require_numbers, value_text
from etl.sources.councils import FORMER_CODES, SCOTLAND_CODE
from etl.sources.files import check_text_file, csv_header
from etl.sources.published import PublishedTable, PublisherReader

SOURCE = "scotpho"
CA_DATASET = "scotpho-ca"
DEPRIVATION_DATASET = "scotpho-deprivation"
CA_COLUMNS = ("area_code", "period", "type_definition", "indicator", "numerator", "measure",
              "upper_confidence_interval", "lower_confidence_interval")
DEPRIVATION_COLUMNS = ("code", "quintile", "quint_type", "numerator", "denominator", "measure", "lowci", "upci",
                       "sii", "lowci_sii", "upci_sii", "rii", "lowci_rii", "upci_rii", "rii_int",
                       "lowci_rii_int", "upci_rii_int", "par", "abs_range", "rel_range", "indicator", "def_period",
                       "type_definition")
NUMERATOR, DENOMINATOR = "Numerator", "Denominator"
QUINTILE, BASIS = "SIMD quintile", "Quintile basis"
QUINTILE_BASES = {"sc_quin": "Scotland", "hb_quin": "Health board", "ca_quin": "Council area"}
#: Inequality measure column → (Units, lower CI column, upper CI column). ScotPHO's sign
#: convention is kept as published (for ``interpret == 'H'`` indicators a wider gap is negative).
INEQUALITY_UNITS: dict[str, tuple[str, str | None, str | None]] = {
    "sii": ("Slope index of inequality", "lowci_sii", "upci_sii"),
    "rii": ("Relative index of inequality", "lowci_rii", "upci_rii"),
    "rii_int": ("Relative index of inequality, % above the average", "lowci_rii_int", "upci_rii_int"),
    "par": ("Population attributable risk, %", None, None),
    "abs_range": ("Absolute range, most minus least deprived", None, None),
    "rel_range": ("Relative range, most over least deprived", None, None),
}
_OLD_SCOTLAND = "S00000001"
_CODE = re.compile(r"^S(08|12|92)\d{6}$")
_FINANCIAL = re.compile(r"\b((?:19|20)\d{2})/(\d{2})\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def period_code(label: str) -> str | None:
    """The ``DateCode`` of a ScotPHO period label, or ``None`` when it names no year.

    >>> period_code("2020/21 to 2022/23 financial years; 3-year aggregates")
    '2022/23'
    >>> period_code("4-year aggregate (2014 - 2017)")
    '2014-2017'
    >>> period_code("31st March 2014 snapshot")
    '2014'
    """
    financial = _FINANCIAL.findall(label)
    if financial:
        first, second = financial[-1]
        return f"{first}/{second}"
    years = _YEAR.findall(label)
    if not years:
        return None
    return years[0] if len(years) == 1 or years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def read(path: Path) -> list[PublishedTable]:
    """The canonical table of one ScotPHO file (profile extract, or deprivation data)."""
    if path.suffix.lower() == ".parquet":
        try:
            frame = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise InputError(path, f"cannot be read as Parquet ({exc})", hint="download the file again") from exc
        return [_deprivation(path, frame)]
    header = set(csv_header(path))
    check_text_file(path)
    if set(DEPRIVATION_COLUMNS) <= header:
        return [_deprivation(path, pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig"))]
    if set(CA_COLUMNS) <= header:
        return [_profile_extract(path, pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig"))]
    missing = [c for c in CA_COLUMNS if c not in header]
    raise InputError(path, "not a ScotPHO profile data extract or deprivation file (no "
                     f"{', '.join(repr(c) for c in missing[:4])} column)", row=1, column=missing[0],
                     hint="use the ScotPHO profiles tool's data download as published (docs/data-formats.md); "
                          "keep the technical document and geography look-up out of this folder")


@dataclass(frozen=True)
class _Keys:
    """What every ScotPHO row is keyed by, read and checked once."""

    rows: pd.Series
    codes: pd.Series
    dates: pd.Series
    indicator: pd.Series
    units: pd.Series


def _keys(path: Path, frame: pd.DataFrame, code_column: str, period_column: str) -> _Keys:
    """Row numbers, current area codes, ``DateCode`` s, indicator names and units, or an error."""
    rows = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    indicator = frame["indicator"].astype("string").str.strip()
    units = frame["type_definition"].astype("string").str.strip()
    _require_text(path, indicator, rows, "indicator")
    _require_text(path, units, rows, "type_definition")
    return _Keys(rows, _area_codes(path, frame[code_column], rows, code_column),
                 _dates(path, frame[period_column], rows, period_column), indicator, units)


def _profile_extract(path: Path, frame: pd.DataFrame) -> PublishedTable:
    keys = _keys(path, frame, "area_code", "period")
    rows, codes, dates, indicator, units = keys.rows, keys.codes, keys.dates, keys.indicator, keys.units
    values = {c: value_text(frame[c]) for c in ("measure", "numerator", "lower_confidence_interval",
                                                  "upper_confidence_interval")}
    for column, text in values.items():
        require_numbers(path, text, rows, column)
    _no_duplicates(path, pd.DataFrame({"a": codes, "d": dates, "i": indicator}), rows)
    measures = block(codes=codes, date=dates, measurement=indicator, units=units, values=values["measure"],
                     rows=rows, column="measure", lower=values["lower_confidence_interval"],
                     upper=values["upper_confidence_interval"])
    published = values["numerator"] != ""
    has_numerators = published.groupby(indicator).transform("any")
    numerators = block(codes=codes, date=dates, measurement=indicator, units=NUMERATOR, values=values["numerator"],
                       rows=rows, column="numerator")[has_numerators.to_numpy()]
    frame = pd.concat([measures, numerators], ignore_index=True)
    return PublishedTable(CA_DATASET, frame, "ScotPHO profiles: council area data extract")


def _deprivation(path: Path, frame: pd.DataFrame) -> PublishedTable:
    missing = [c for c in DEPRIVATION_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(path, f"not ScotPHO deprivation data: no '{missing[0]}' column", column=missing[0],
                         hint="use the ScotPHO deprivation (SIMD quintile) data as published")
    keys = _keys(path, frame, "code", "def_period")
    rows, codes, dates, indicator, units = keys.rows, keys.codes, keys.dates, keys.indicator, keys.units
    quintile = _quintiles(path, frame["quintile"], rows)
    basis = frame["quint_type"].astype("string").str.strip().map(QUINTILE_BASES)
    if basis.isna().any():
        first = basis.isna().to_numpy().argmax()
        raise InputError(path, f"unknown quintile basis '{frame['quint_type'].iloc[first]}'", row=int(rows.iloc[first]),
                         column="quint_type", hint=f"one of {', '.join(QUINTILE_BASES)}")
    _no_duplicates(path, pd.DataFrame({"a": codes, "d": dates, "i": indicator, "q": quintile, "b": basis}), rows)
    totals = (quintile == "Total").to_numpy()
    everyone = np.ones(len(frame), dtype=bool)

    def rows_of(units_: pd.Series | str, column: str, mask: np.ndarray,
                lower: str | None = None, upper: str | None = None) -> pd.DataFrame:
        """One column's rows (``mask``: the rows it is published on), with its interval."""
        return block(codes=codes[mask], date=dates[mask], measurement=indicator[mask],
                     units=units_ if isinstance(units_, str) else units_[mask],
                     values=_cells(path, frame, column, rows, mask), rows=rows[mask], column=column,
                     dimensions={QUINTILE: quintile[mask], BASIS: basis[mask]},
                     lower=None if lower is None else _cells(path, frame, lower, rows, mask),
                     upper=None if upper is None else _cells(path, frame, upper, rows, mask))

    blocks = [rows_of(units, "measure", everyone, "lowci", "upci"), rows_of(NUMERATOR, "numerator", everyone),
              rows_of(DENOMINATOR, "denominator", everyone)]
    blocks += [rows_of(name, column, totals, lower, upper) for column, (name, lower, upper) in INEQUALITY_UNITS.items()]
    return PublishedTable(DEPRIVATION_DATASET, pd.concat(blocks, ignore_index=True),
                          "ScotPHO profiles: deprivation (SIMD quintile) data")


def _cells(path: Path, frame: pd.DataFrame, column: str, rows: pd.Series, mask: np.ndarray) -> pd.Series:
    """The text of one column's cells on ``mask``, checked to be numbers unless the file is typed."""
    cells = frame[column][mask]
    text = value_text(cells)
    if not is_typed_number(cells):
        require_numbers(path, text, rows[mask], column)
    return text


def _area_codes(path: Path, raw: pd.Series, rows: pd.Series, column: str) -> pd.Series:
    """Current GSS codes: Scotland's retired S00000001 and retired council codes replaced."""
    codes = raw.astype("string").fillna("").str.strip()
    codes = codes.replace({_OLD_SCOTLAND: SCOTLAND_CODE, **FORMER_CODES})
    bad = ~codes.str.match(_CODE)
    if bad.any():
        first = bad.to_numpy().argmax()
        raise InputError(path, f"not a council, health board or Scotland code: '{raw.iloc[first]}'",
                         row=int(rows.iloc[first]), column=column,
                         hint="ScotPHO area codes look like S12000047 (council), S08000015 (board), S92000003")
    return codes


def _dates(path: Path, labels: pd.Series, rows: pd.Series, column: str) -> pd.Series:
    """``period_code`` of every label (each distinct label parsed once)."""
    text = labels.astype("string").fillna("").str.strip()
    codes = {label: period_code(label) for label in text.unique()}
    dates = text.map(codes)
    if dates.isna().any():
        first = dates.isna().to_numpy().argmax()
        raise InputError(path, f"cannot tell the period from '{text.iloc[first]}'", row=int(rows.iloc[first]),
                         column=column, hint="periods name their years, e.g. '2021/22 financial year' or "
                                             "'2019 to 2021 calendar years; 3-year aggregates'")
    return dates.astype("string")


def _quintiles(path: Path, raw: pd.Series, rows: pd.Series) -> pd.Series:
    """``'1 - most deprived'`` → ``'1'``, ``'5 - least deprived'`` → ``'5'``, ``'Total'`` stays."""
    text = raw.astype("string").fillna("").str.strip()
    quintile = text.str.extract(r"^([1-5])\b", expand=False).fillna(text.where(text == "Total"))
    if quintile.isna().any():
        first = quintile.isna().to_numpy().argmax()
        raise InputError(path, f"unknown quintile '{text.iloc[first]}'", row=int(rows.iloc[first]), column="quintile",
                         hint="quintiles are 1 (most deprived) to 5 (least deprived) or Total")
    return quintile.astype("string")


def _require_text(path: Path, text: pd.Series, rows: pd.Series, column: str) -> None:
    empty = text.fillna("") == ""
    if empty.any():
        first = empty.to_numpy().argmax()
        raise InputError(path, "is empty", row=int(rows.iloc[first]), column=column,
                         hint=f"every row names its {column}")


def _no_duplicates(path: Path, keys: pd.DataFrame, rows: pd.Series) -> None:
    duplicated = keys.duplicated()
    if duplicated.any():
        first = duplicated.to_numpy().argmax()
        raise InputError(path, "the same area, period and indicator appear twice", row=int(rows.iloc[first]),
                         hint="one row per area, period and indicator (and quintile): download the file again")


READER = PublisherReader(source=SOURCE, suffixes=(".csv", ".parquet"), read=read)
