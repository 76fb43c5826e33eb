"""Guessing which columns of an upload hold the geography, the period(s) and the values.

Why: no officer should have to describe their spreadsheet before seeing it understood. The
guess looks at the cells (codes shaped like data zones, postcodes; headers shaped like years)
more than at the headers, says why it chose each column, and is a pydantic model the officer
corrects on the page or with ``--geography-column``, ``--period-column`` and ``--value-column``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from etl.errors import InputError
from etl.local.periods import to_datecode
from etl.local.table import UploadTable
from etl.sources.postcodes import normalise_postcode

Level = Literal["datazone", "intermediate_zone", "ward", "council", "postcode"]
LEVEL_PATTERNS: dict[str, re.Pattern[str]] = {
    "datazone": re.compile(r"^S01\d{6}$"),
    "intermediate_zone": re.compile(r"^S02\d{6}$"),
    "ward": re.compile(r"^S13\d{6}$"),
    "council": re.compile(r"^S12\d{6}$"),
}
LEVEL_LABELS = {"datazone": "data zone", "intermediate_zone": "intermediate zone", "ward": "ward",
                "council": "council", "postcode": "postcode"}
_VALUE_WORDS = ("count", "number", "numerator", "value", "total", "n")
_DENOMINATOR_WORDS = ("denominator", "population", "base", "eligible", "roll", "out_of", "of_which")
_PERIOD_WORDS = ("year", "period", "date", "session")
#: the share of a column's cells that must look like codes (or numbers) for the guess to take it
SHARE = 0.6


class ColumnGuess(BaseModel):
    """Which columns hold what: the tool's guess, or the officer's correction of it.

    ``layout`` long: one row per area and period (``period_column``, ``value_column`` and an
    optional ``denominator_column``). ``layout`` wide: one row per area, one column per period
    (``period_columns`` maps each column to its period).
    """

    model_config = ConfigDict(extra="forbid")

    sheet: str | None = None
    geography_column: str
    geography_level: Level
    layout: Literal["long", "wide"]
    period_column: str | None = None
    value_column: str | None = None
    denominator_column: str | None = None
    period_columns: dict[str, str] = Field(default_factory=dict)
    reasons: list[str] = Field(default_factory=list, description="why each column was chosen (for the officer)")

    @model_validator(mode="after")
    def _complete(self) -> ColumnGuess:
        if self.layout == "long" and not (self.period_column and self.value_column):
            raise ValueError("a long file needs a period column and a value column")
        if self.layout == "wide" and not self.period_columns:
            raise ValueError("a wide file needs at least one column per period")
        return self


def _filled(values: list[str]) -> list[str]:
    return [v for v in values if v]


def _share(values: list[str], test) -> float:  # noqa: ANN001 - a predicate on one cell
    filled = _filled(values)
    return sum(1 for v in filled if test(v)) / len(filled) if filled else 0.0


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def level_of(values: list[str]) -> tuple[str | None, float]:
    """The geography level most of these cells are codes of, and the share that are."""
    best: tuple[str | None, float] = (None, 0.0)
    for level, pattern in LEVEL_PATTERNS.items():
        share = _share(values, lambda v, p=pattern: bool(p.match(v.upper())))
        if share > best[1]:
            best = (level, share)
    postcode = _share(values, lambda v: normalise_postcode(v) is not None)
    if postcode > best[1]:
        best = ("postcode", postcode)
    return best


def _named(column: str, words: tuple[str, ...]) -> bool:
    parts = re.split(r"[^a-z0-9]+", column.lower())
    return any(w in parts or (len(w) > 3 and w in column.lower()) for w in words)


def _check_columns(table: UploadTable, columns: dict[str, str | None]) -> None:
    for option, column in columns.items():
        if column is not None and column not in table.columns:
            raise InputError(table.path, f"there is no column '{column}' (columns: {', '.join(table.columns)})",
                             row=1, column=column, hint=f"give {option} one of the column headings exactly")


def guess_columns(table: UploadTable, *, geography_column: str | None = None, period_column: str | None = None,
                  value_column: str | None = None, denominator_column: str | None = None) -> ColumnGuess:
    """The guess for ``table``; a column the officer names is taken as given (and checked to exist)."""
    _check_columns(table, {"--geography-column": geography_column, "--period-column": period_column,
                           "--value-column": value_column, "--denominator-column": denominator_column})
    frame = table.frame
    cells = {c: frame[c].tolist() for c in table.columns}
    reasons: list[str] = []
    if geography_column:
        level, share = level_of(cells[geography_column])
        reasons.append(f"geography: '{geography_column}' (given)")
    else:
        ranked = sorted(((level_of(v), c) for c, v in cells.items()), key=lambda x: -x[0][1])
        (level, share), geography_column = ranked[0] if ranked else ((None, 0.0), None)
        if geography_column is None or share < SHARE:
            raise InputError(table.path, "no column looks like area codes (data zone S01..., intermediate zone "
                             "S02..., ward S13..., council S12...) or postcodes", row=1,
                             hint="name the column with --geography-column (or choose it on the page)")
        reasons.append(f"geography: '{geography_column}' ({share:.0%} of its cells are "
                       f"{LEVEL_LABELS[level]} {'s' if level == 'postcode' else 'codes'})")
    if level is None:
        raise InputError(table.path, f"the cells of '{geography_column}' are not area codes or postcodes",
                         column=geography_column, hint="choose the column that holds codes such as S01006506")
    rest = [c for c in table.columns if c != geography_column]
    wide = {c: to_datecode(c) for c in rest if to_datecode(c) and _share(cells[c], _is_number) >= SHARE}
    if not period_column and not value_column and len(wide) >= 2:
        reasons.append(f"layout: wide, one column per period ({', '.join(wide)})")
        return ColumnGuess(sheet=table.sheet, geography_column=geography_column, geography_level=level,
                           layout="wide", period_columns={c: d for c, d in wide.items() if d}, reasons=reasons)
    if period_column:
        reasons.append(f"period: '{period_column}' (given)")
    else:
        periods = sorted(((_share(cells[c], lambda v: to_datecode(v) is not None), _named(c, _PERIOD_WORDS), c)
                          for c in rest), reverse=True)
        if not periods or periods[0][0] < SHARE:
            raise InputError(table.path, "no column looks like periods (2019, 2019/20) and no column headings are "
                             "years", row=1, hint="name the column with --period-column (or choose it on the page)")
        period_column = periods[0][2]
        reasons.append(f"period: '{period_column}' ({periods[0][0]:.0%} of its cells are years or periods)")
    numeric = [c for c in rest if c != period_column and _share(cells[c], _is_number) >= SHARE]
    if denominator_column is None and not value_column:
        named = [c for c in numeric if _named(c, _DENOMINATOR_WORDS)]
        denominator_column = named[0] if named and len(numeric) > 1 else None
    if value_column:
        reasons.append(f"value: '{value_column}' (given)")
    else:
        candidates = [c for c in numeric if c != denominator_column]
        if not candidates:
            raise InputError(table.path, "no column of numbers to take the values from", row=1,
                             hint="name the column with --value-column (or choose it on the page)")
        value_column = next((c for c in candidates if _named(c, _VALUE_WORDS)), candidates[0])
        reasons.append(f"value: '{value_column}' (a column of numbers)")
    if denominator_column:
        reasons.append(f"denominator: '{denominator_column}'")
    return ColumnGuess(sheet=table.sheet, geography_column=geography_column, geography_level=level, layout="long",
                       period_column=period_column, value_column=value_column,
                       denominator_column=denominator_column, reasons=reasons)
