"""Officers' commentary on the exception report, kept outside the warehouse (data/user/).

Why: the commentary is the board's record of "what is being done"; it must survive every
warehouse rebuild, so it lives in a small JSON file written under a lock, atomically.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path


class CommentaryStore:
    """Commentary per (council, indicator): text, who/when."""

    def __init__(self, user_dir: Path) -> None:
        self.path = Path(user_dir) / "commentary.json"

    def _read(self) -> dict[str, dict]:
        return json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}

    def get(self, council: str, indicator: str) -> str:
        return self._read().get(f"{council}|{indicator}", {}).get("text", "")

    def save(self, council: str, indicator: str, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = self._read()
                data[f"{council}|{indicator}"] = {"text": text.strip()[:4000],
                                                 "saved_at": datetime.now(UTC).isoformat(timespec="seconds")}
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".commentary-")
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, indent=1, sort_keys=True)
                os.replace(tmp, self.path)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
