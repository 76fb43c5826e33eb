"""Release names from what publishers say: a date (its month, ``YYYY-MM``) or a pattern's match.

Why: ``data/raw/<source>/<release>/`` folders sort by name, and the build treats the newest as
current; a month is what the snapshot's publisher releases use (``2023-09``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_ISO = re.compile(r"(\d{4})-(\d{2})(?:-\d{2})?")
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def month_of(text: str) -> str | None:
    """``YYYY-MM`` of an ISO date (``2023-09-14T10:00:00``) or an HTTP date, else None."""
    text = text.strip().strip('"')
    if m := _ISO.search(text):
        return f"{m.group(1)}-{m.group(2)}"
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return f"{parsed.year:04d}-{parsed.month:02d}"


def release_from(text: str, pattern: str | None) -> str | None:
    """The release a publisher's text names: the pattern's first group (or match), else its month."""
    if pattern:
        m = re.search(pattern, text)
        found = (m.group(1) if m.groups() else m.group(0)) if m else None
    else:
        found = month_of(text)
    return found if found and _SAFE.match(found) else None


def this_month(today: date | datetime | None = None) -> str:
    """``YYYY-MM`` of today (releases recognised by when cpop first saw them)."""
    today = today or date.today()
    return f"{today.year:04d}-{today.month:02d}"
