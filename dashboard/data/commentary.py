"""Officers' commentary on the exception report, kept outside the warehouse (data/user/).

Why: the commentary is the board's record of "what is being done"; it must survive every
warehouse rebuild, so it lives in a small JSON file written under a lock, atomically.

Each note belongs to a scope area (a council or one of its localities) and an indicator. The
file maps ``"<area_type>/<area_code>|<indicator_id>"`` to ``{"text", "saved_at", ...}``.
Files written before localities had commentary keyed notes by ``"<council_code>|<indicator_id>"``;
those keys are still read, as the council's notes, and are replaced by the new key when the
note is saved again.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

MAX_CHARS = 4000
LEGACY_AREA_TYPE = "council"  # the only scope before localities


@dataclass(frozen=True)
class Commentary:
    """One officer's note on one indicator for one area."""

    area_type: str
    area_code: str
    indicator_id: str
    text: str
    saved_at: str  # ISO 8601, UTC


def commentary_key(area_type: str, area_code: str, indicator_id: str) -> str:
    """The JSON key of a note: ``'locality/S99009001|ey_child_poverty'``."""
    return f"{area_type}/{area_code}|{indicator_id}"


def _parse_key(key: str) -> tuple[str, str, str] | None:
    """(area_type, area_code, indicator_id) of a new or legacy key; None for anything else."""
    scope, sep, indicator = key.rpartition("|")
    if not sep or not scope or not indicator:
        return None
    area_type, slash, area_code = scope.partition("/")
    if not slash:  # legacy "<council>|<indicator>"
        return LEGACY_AREA_TYPE, scope, indicator
    return (area_type, area_code, indicator) if area_type and area_code else None


class CommentaryStore:
    """Commentary per (area type, area code, indicator): text and when it was saved."""

    def __init__(self, user_dir: Path) -> None:
        self.path = Path(user_dir) / "commentary.json"

    def _read(self) -> dict[str, dict]:
        if not self.path.exists():
            return {}
        data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        return data if isinstance(data, dict) else {}

    def for_area(self, area_type: str, area_code: str) -> dict[str, Commentary]:
        """indicator_id -> note for one area (one read of the file); new keys win over legacy ones."""
        found: dict[str, Commentary] = {}
        legacy: dict[str, Commentary] = {}
        for key, record in self._read().items():
            parsed = _parse_key(key)
            if parsed is None or not isinstance(record, dict) or (parsed[0], parsed[1]) != (area_type, area_code):
                continue
            note = Commentary(*parsed, str(record.get("text", "")), str(record.get("saved_at", "")))
            (found if "/" in key.rpartition("|")[0] else legacy)[parsed[2]] = note
        return {**legacy, **found}

    def get(self, area_code: str, indicator: str, area_type: str = LEGACY_AREA_TYPE) -> str:
        """The note's text ('' when there is none). A council is the default scope."""
        note = self.for_area(area_type, area_code).get(indicator)
        return note.text if note else ""

    def save(self, area_code: str, indicator: str, text: str, area_type: str = LEGACY_AREA_TYPE) -> Commentary:
        """Save (or, with empty text, keep empty) the note and return it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        note = Commentary(area_type, area_code, indicator, (text or "").strip()[:MAX_CHARS],
                          datetime.now(UTC).isoformat(timespec="seconds"))
        with open(self.path.with_suffix(".lock"), "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = self._read()
                if area_type == LEGACY_AREA_TYPE:
                    data.pop(f"{area_code}|{indicator}", None)  # the legacy key is superseded
                data[commentary_key(area_type, area_code, indicator)] = {
                    "text": note.text, "saved_at": note.saved_at, "area_type": area_type,
                    "area_code": area_code, "indicator_id": indicator}
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".commentary-")
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, indent=1, sort_keys=True)
                os.replace(tmp, self.path)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return note
