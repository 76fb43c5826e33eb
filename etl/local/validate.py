"""Checking every row of an upload: accepted rows become the tidy series, the rest are quarantined.

Why: nothing an officer uploads may vanish silently. Each record (a row of a long file; a row
and period column of a wide one) is either accepted or quarantined with the first reason that
applies, so ``rows read = accepted + quarantined`` always holds, and the quarantine (written as
CSV beside the upload) tells the officer which row, which column and why.

Notes
-----
Reasons, checked in this order: ``unknown_code`` (not an area of this country at the level
guessed), ``deleted_postcode`` / ``unmatched_postcode`` (through the postcode directory),
``bad_period`` / ``period_out_of_range``, ``duplicate``, ``empty``, ``non_numeric``, ``not_whole``
(a count with decimals), ``negative``, ``above_denominator`` (a percentage whose count exceeds
its denominator); ``duplicate`` (the same area and period as an earlier row, checked before the
values so the second of two copies is the one quarantined as a duplicate). Accepted
postcode rows are summed into their data zones (counts are extensive).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd
from pydantic import BaseModel, Field

from etl.local.areas import KnownAreas
from etl.local.guess import LEVEL_LABELS, ColumnGuess
from etl.local.periods import out_of_range, to_datecode
from etl.local.table import ROW, UploadTable
from etl.sources.postcodes import normalise_postcode

REASONS = {
    "unknown_code": "unknown area code",
    "deleted_postcode": "deleted (terminated) postcode",
    "unmatched_postcode": "postcode not in the postcode directory",
    "bad_period": "not a period",
    "period_out_of_range": "period outside the range",
    "empty": "empty value",
    "non_numeric": "not a number",
    "not_whole": "a count must be a whole number",
    "negative": "a count cannot be negative",
    "above_denominator": "count above its denominator",
    "duplicate": "duplicate of an earlier row (same area and period)",
}
QUARANTINE_COLUMNS = ["row", "column", "area", "period", "value", "denominator", "reason", "detail"]
TIDY_COLUMNS = ["FeatureCode", "DateCode", "numerator", "denominator"]
#: the store level of each upload level: postcodes are counted into data zones
NATIVE = {"datazone": "datazone", "postcode": "datazone", "intermediate_zone": "intermediate_zone",
          "council": "council", "ward": "ward"}


class ValidationReport(BaseModel):
    """What the officer reads before publishing (and ``cpop local report`` prints)."""

    file: str
    sheet: str | None = None
    layout: str
    geography_level: str
    native_geography: str
    rows_read: int = Field(description="records read: rows of a long file; rows x period columns of a wide one")
    accepted: int
    quarantined: int
    reasons: dict[str, int] = Field(default_factory=dict)
    periods: list[str] = Field(default_factory=list)
    areas: int = 0
    unmatched_postcodes: int = 0
    deleted_postcodes: int = 0
    revised: int = Field(0, description="area-period values that differ from the previous version")


@dataclass(frozen=True)
class Validation:
    """The outcome: the tidy accepted series, the quarantined records and the report."""

    tidy: pd.DataFrame
    quarantine: pd.DataFrame
    report: ValidationReport


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _records(table: UploadTable, guess: ColumnGuess) -> list[tuple[int, str, str, str, str, str | None]]:  # noqa: E501
    """(row, value column, area, period text, value text, denominator text) per record."""
    frame = table.frame
    geo = frame[guess.geography_column].tolist()
    rows = frame[ROW].tolist()
    if guess.layout == "wide":
        return [(row, column, area, period, value, None)
                for column, period in guess.period_columns.items()
                for row, area, value in zip(rows, geo, frame[column].tolist(), strict=True)]
    denominators = frame[guess.denominator_column].tolist() if guess.denominator_column else [None] * len(frame)
    return list(zip(rows, [guess.value_column] * len(frame), geo, frame[guess.period_column].tolist(),
                    frame[guess.value_column].tolist(), denominators, strict=True))


def _area(level: str, text: str, areas: KnownAreas) -> tuple[str | None, str | None, str]:
    """(stored code, reason, detail): the data zone of a postcode, or the code itself."""
    if level == "postcode":
        postcode = normalise_postcode(text)
        if postcode is None:
            return None, "unknown_code", f"'{text}' is not a postcode"
        if postcode in areas.postcodes:
            return areas.postcodes[postcode], None, ""
        if postcode in areas.deleted_postcodes:
            return None, "deleted_postcode", f"{postcode} has been deleted from the postcode directory"
        return None, "unmatched_postcode", f"{postcode} is not in the postcode directory"
    code = text.strip().upper()
    if code not in areas.codes.get(level, set()):
        return None, "unknown_code", f"'{text}' is not a {LEVEL_LABELS[level]} code of this country"
    return code, None, ""


def _count(text: str | None, label: str) -> tuple[float | None, str | None, str]:
    if text is None:
        return None, None, ""
    if text in ("",):
        return None, "empty", f"the {label} is empty"
    number = _number(text)
    if number is None:
        return None, "non_numeric", f"the {label} '{text}' is not a number"
    if number != round(number):
        return None, "not_whole", f"the {label} {text} is a count and has decimals"
    if number < 0:
        return None, "negative", f"the {label} {text} is below zero"
    return number, None, ""


class _Rejected(Exception):
    """One record's reason for quarantine, the column at fault and what was wrong."""

    def __init__(self, reason: str, detail: str, column: str | None = None) -> None:
        super().__init__(detail)
        self.reason, self.detail, self.column = reason, detail, column


Record = tuple[int, str, str, str, str, str | None]


def _judge(record: Record, guess: ColumnGuess, areas: KnownAreas, percentage: bool,
           seen: set[tuple[str, str]]) -> tuple[str, str, float, float | None]:
    """The accepted (code, period, count, denominator) of one record, or ``_Rejected`` with the first reason."""
    _, column, area_text, period_text, value_text, denominator_text = record
    code, reason, detail = _area(guess.geography_level, area_text, areas)
    if reason:
        raise _Rejected(reason, detail, guess.geography_column)
    datecode = to_datecode(period_text)
    if datecode is None:
        raise _Rejected("bad_period", f"'{period_text}' is not a year or period such as 2019 or 2019/20",
                        guess.period_column)
    if (why := out_of_range(datecode)) is not None:
        raise _Rejected("period_out_of_range", why, guess.period_column)
    key = (normalise_postcode(area_text) or area_text.strip().upper(), datecode)
    if key in seen:  # an earlier row had this area and period (whatever became of it)
        raise _Rejected("duplicate", f"{key[0]} {datecode} appears in an earlier row", guess.geography_column)
    seen.add(key)
    value, reason, detail = _count(value_text, "value")
    if reason:
        raise _Rejected(reason, detail)
    denominator, reason, detail = _count(denominator_text, "denominator")
    if reason:
        raise _Rejected(reason, detail, guess.denominator_column)
    if percentage and denominator is not None and value > denominator:
        raise _Rejected("above_denominator", f"{value_text} is above its denominator {denominator_text}")
    return code, datecode, value, denominator


def validate(table: UploadTable, guess: ColumnGuess, areas: KnownAreas, *, percentage: bool) -> Validation:
    """Accept or quarantine every record of ``table`` read as ``guess`` says.

    ``percentage`` turns on the "count above its denominator" check.
    """
    accepted: list[tuple[str, str, float, float | None]] = []
    quarantined: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    records = _records(table, guess)
    for record in records:
        try:
            accepted.append(_judge(record, guess, areas, percentage, seen))
        except _Rejected as why:
            row, column, area_text, period_text, value_text, denominator_text = record
            quarantined.append({"row": row, "column": why.column or column, "area": area_text,
                                "period": period_text, "value": value_text, "denominator": denominator_text or "",
                                "reason": why.reason, "detail": why.detail})
    tidy = pd.DataFrame(accepted, columns=TIDY_COLUMNS)
    if guess.geography_level == "postcode":  # counts of postcodes summed into their data zones
        tidy = tidy.groupby(["FeatureCode", "DateCode"], as_index=False).agg(
            numerator=("numerator", "sum"), denominator=("denominator", lambda s: s.sum(min_count=1)))
    tidy = tidy.sort_values(["DateCode", "FeatureCode"]).reset_index(drop=True)
    # in the file's order (a wide file's records were read a period column at a time)
    quarantine_frame = pd.DataFrame(quarantined, columns=QUARANTINE_COLUMNS).sort_values("row", kind="stable")
    quarantine_frame = quarantine_frame.reset_index(drop=True)
    reasons = Counter(quarantine_frame["reason"])
    report = ValidationReport(
        file=table.path.name, sheet=table.sheet, layout=guess.layout, geography_level=guess.geography_level,
        native_geography=NATIVE[guess.geography_level], rows_read=len(records),
        accepted=len(accepted), quarantined=len(quarantined), reasons=dict(sorted(reasons.items())),
        periods=sorted(tidy["DateCode"].unique().tolist()), areas=int(tidy["FeatureCode"].nunique()),
        unmatched_postcodes=reasons.get("unmatched_postcode", 0), deleted_postcodes=reasons.get("deleted_postcode", 0))
    return Validation(tidy, quarantine_frame, report)
