"""Check each row of a spend file against the warehouse's areas: accepted rows become tidy
data, refused rows are quarantined with the row, column and reason. Pure (no I/O).

Why: an officer must see every row that was not used and why; nothing is dropped silently, so
rows read = rows accepted + rows quarantined, always. An area is a code of the file's level
(data zone ``S01``, intermediate zone ``S02``, ward ``S13``, a locality's code) or, for
localities, a name within its council (councils define localities by name, and two councils
may use the same one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from etl.spend.read import ROW_COLUMN

#: the area types a spend file can be by, with the code prefix of each (localities have none)
LEVELS: dict[str, str | None] = {"datazone": "S01", "intermediate_zone": "S02", "ward": "S13", "locality": None}
LEVEL_WORDS = {"datazone": "data zone", "intermediate_zone": "intermediate zone", "ward": "ward",
               "locality": "locality"}
TIDY_COLUMNS = ["area_type", "area_code", "area_name", "council_code", "year", "period_label", "service", "amount",
                ROW_COLUMN]
QUARANTINE_COLUMNS = [ROW_COLUMN, "column", "reason"]
ALL_SERVICES = "All services"
_YEAR = re.compile(r"^(?:FY\s*)?((?:19|20)\d\d)(?:\s*[-/]\s*(\d{2}|\d{4}))?$", re.IGNORECASE)
_AMOUNT = re.compile(r"^[£$€]?\s*-?[\d,]*\.?\d+$")


@dataclass
class Checked:
    """The outcome of checking one file: tidy accepted rows, quarantined rows, and notes."""

    level: str
    accepted: pd.DataFrame
    quarantined: pd.DataFrame
    rows_read: int
    notes: list[str] = field(default_factory=list)


def guess_level(codes: pd.Series) -> str:
    """The level most of the area values are codes of; ``locality`` when most are not codes."""
    prefixes = codes.str.upper().str[:3]
    counts = {level: int((prefixes == prefix).sum()) for level, prefix in LEVELS.items() if prefix}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] * 2 > len(codes) else "locality"


def parse_year(text: str) -> tuple[int, str] | None:
    """``2023`` → (2023, "2023"); ``2023/24`` or ``2023-2024`` → (2023, "2023/24"): a financial
    year counts as the calendar year it starts in. None when not a year."""
    match = _YEAR.match(text.strip())
    if not match:
        return None
    start = int(match.group(1))
    end = match.group(2)
    if end is None:
        return start, str(start)
    if int(end[-2:]) != (start + 1) % 100:
        return None
    return start, f"{start}/{(start + 1) % 100:02d}"


def parse_amount(text: str) -> float | None:
    """``£1,234.50`` → 1234.5; None when not a number."""
    cleaned = text.replace(" ", "")
    if not _AMOUNT.match(cleaned):
        return None
    return float(cleaned.lstrip("£$€").replace(",", ""))


def _name_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


class _AreaIndex:
    """Look up a file's area value among the warehouse's areas of one level."""

    def __init__(self, areas: pd.DataFrame, level: str) -> None:
        own = areas[areas.area_type == level]
        self.by_code = {str(r.area_code).upper(): r for r in own.itertuples(index=False)}
        self.by_name: dict[str, list] = {}
        if level == "locality":
            for r in own.itertuples(index=False):
                self.by_name.setdefault(_name_key(str(r.area_name)), []).append(r)
        self.other_levels = {str(r.area_code).upper(): str(r.area_type) for r in
                             areas[areas.area_type != level].itertuples(index=False)}
        self.councils = {}
        for r in areas.drop_duplicates("council_code").itertuples(index=False):
            if isinstance(r.council_code, str):
                self.councils[r.council_code.upper()] = r.council_code
                if isinstance(getattr(r, "council_name", None), str):
                    self.councils[_name_key(r.council_name)] = r.council_code

    def find(self, value: str, council: str | None, level: str) -> tuple[object | None, str]:
        """The area row, or None and why."""
        hit = self.by_code.get(value.upper())
        if hit is not None:
            return hit, ""
        word = LEVEL_WORDS[level]
        if value.upper() in self.other_levels:
            other = LEVEL_WORDS.get(self.other_levels[value.upper()], self.other_levels[value.upper()])
            article = "an" if other[0] in "aeiou" else "a"
            return None, f"'{value}' is {article} {other} code, but this file is by {word}"
        named = self.by_name.get(_name_key(value), [])
        if council:
            council_code = self.councils.get(council.upper()) or self.councils.get(_name_key(council))
            if council_code is None:
                return None, f"unknown council '{council}'"
            named = [r for r in named if r.council_code == council_code]
        if len(named) == 1:
            return named[0], ""
        if len(named) > 1:
            return None, f"'{value}' names {word}s in several councils: add a council column"
        return None, f"unknown {word} '{value}'" + ("" if level == "locality" or LEVELS[level] is None
                                                   else f" (expected an {LEVELS[level]} code)")


def check_rows(rows: pd.DataFrame, roles: dict[str, str], areas: pd.DataFrame, *, level: str | None = None,
               council: str | None = None) -> Checked:
    """Accept or quarantine every row of ``rows`` (from ``read_spend_file``).

    ``areas`` holds the warehouse's areas (``area_type, area_code, area_name, council_code,
    council_name``). ``level`` is guessed from the codes when not given; ``council`` is used for
    locality names when the file has no council column.
    """
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not '{level}'")
    area_col, year_col, amount_col = roles["area"], roles["year"], roles["amount"]
    service_col, council_col = roles.get("service"), roles.get("council")
    level = level or guess_level(rows[area_col].astype(str))
    index = _AreaIndex(areas, level)
    accepted: list[tuple] = []
    quarantined: list[tuple] = []
    seen: dict[tuple, int] = {}
    for record in rows.to_dict("records"):
        row = int(record[ROW_COLUMN])
        value = str(record[area_col])
        if not value:
            quarantined.append((row, area_col, "no area given"))
            continue
        row_council = str(record[council_col]) if council_col and record[council_col] else council
        area, why = index.find(value, row_council, level)
        if area is None:
            quarantined.append((row, council_col if why.startswith("unknown council") else area_col, why))
            continue
        year = parse_year(str(record[year_col]))
        if year is None:
            quarantined.append((row, year_col, f"'{record[year_col]}' is not a year (write 2023 or 2023/24)"))
            continue
        text = str(record[amount_col])
        amount = parse_amount(text)
        if amount is None:
            quarantined.append((row, amount_col, "no amount given" if not text else f"'{text}' is not a number"))
            continue
        if amount < 0:
            quarantined.append((row, amount_col, f"negative amount {text}: spend and resources cannot be below zero"))
            continue
        service = str(record[service_col]) if service_col else ALL_SERVICES
        if not service:
            quarantined.append((row, service_col, "no service named (this file has a service column)"))
            continue
        key = (area.area_code, year[0], service.lower())
        if key in seen:
            quarantined.append((row, area_col, f"duplicate of row {seen[key]} (same area, year and service)"))
            continue
        seen[key] = row
        accepted.append((level, area.area_code, area.area_name, area.council_code, year[0], year[1], service,
                         amount, row))
    return Checked(level, pd.DataFrame(accepted, columns=TIDY_COLUMNS),
                   pd.DataFrame(quarantined, columns=QUARANTINE_COLUMNS), len(rows))
