"""The audit log: who changed what, and when, appended to ``<user_dir>/audit.jsonl``.

Why: a board relies on saved areas and officers' commentary; when one changes, the council
must be able to say who did it. The app only ever appends (the file is opened with
``O_APPEND``, one JSON object per line, under an exclusive lock), and no page or callback
reads it back to edit it; ``cpop user audit`` prints it. Keep the file on storage the web
server's account can append to but that officers do not edit (see docs/security.md).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

AUDIT_FILE = "audit.jsonl"


@dataclass(frozen=True)
class AuditEntry:
    """One change: when (UTC), who, what action, on what, and a few details."""

    at: str
    user: str
    action: str
    target: str
    details: dict[str, Any]


class AuditLog:
    """Append-only JSON-lines log of changes made from the dashboard (and account changes from the CLI)."""

    def __init__(self, user_dir: Path) -> None:
        self.path = Path(user_dir) / AUDIT_FILE

    def append(self, user: str, action: str, target: str, **details: Any) -> AuditEntry:
        """Record one change; returns the entry written."""
        entry = AuditEntry(datetime.now(UTC).isoformat(timespec="seconds"), user, action, target, details)
        line = json.dumps({"at": entry.at, "user": user, "action": action, "target": target, "details": details},
                          ensure_ascii=True, sort_keys=True, default=str) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, line.encode("ascii"))
        finally:
            os.close(fd)  # closing releases the lock
        return entry

    def entries(self) -> Iterator[AuditEntry]:
        """Every entry, oldest first (a line that is not an entry is skipped, never repaired)."""
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    rec = json.loads(line)
                    yield AuditEntry(str(rec["at"]), str(rec["user"]), str(rec["action"]), str(rec["target"]),
                                     dict(rec.get("details") or {}))
                except (ValueError, KeyError, TypeError):
                    continue
