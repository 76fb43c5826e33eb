"""Reading a period as an officer writes it (``2019``, ``2019/20``, ``FY 2019-20``, ``2017-2019``).

Why: partners label years every way a spreadsheet allows; the build reads statistics.gov.scot's
``DateCode`` (``2019``, ``2019/2020``, ``2017-2019``), so each label is turned into one of those
here, or refused with a reason the officer can act on.
"""

from __future__ import annotations

import re
from datetime import date

_PERIOD = re.compile(r"^(?:[A-Za-z ]*?)\s*((?:19|20)\d{2})(?:\s*([/-])\s*(\d{2}|\d{4}))?\s*$")
#: the earliest first year a local series may start (2011 data zones: series from 2001 on)
FIRST_YEAR = 2001


def to_datecode(text: str) -> str | None:
    """``2019`` → ``2019``; ``2019/20``, ``2019-20``, ``FY2019/2020`` → ``2019/2020``; ``2017-2019`` →
    ``2017-2019`` (a multi-year period); None when the text is not a period."""
    match = _PERIOD.match(str(text).strip())
    if not match:
        return None
    first, _, end = match.groups()
    start = int(first)
    if end is None:
        return str(start)
    if len(end) == 2:  # 2019/20, 1999/00: a financial or school year, nothing else
        return f"{start}/{start + 1}" if (start + 1) % 100 == int(end) else None
    last = int(end)
    if last == start + 1:
        return f"{start}/{last}"
    if last > start + 1:
        return f"{start}-{last}"
    return None


def first_year(datecode: str) -> int:
    """The first year a DateCode covers (``2019/2020`` → 2019, ``2017-2019`` → 2017)."""
    return int(datecode[:4])


def out_of_range(datecode: str, today: date | None = None) -> str | None:
    """Why a period is outside the range a local series may cover, or None."""
    year = first_year(datecode)
    this_year = (today or date.today()).year
    if year < FIRST_YEAR:
        return f"period {datecode} starts before {FIRST_YEAR}, the first year local series may cover"
    if year > this_year:
        return f"period {datecode} is in the future (after {this_year})"
    return None
