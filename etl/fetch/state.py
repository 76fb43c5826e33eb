"""What the last successful fetch of each source got: release, and per file ETag, Last-Modified, SHA-256.

Why: the next run asks the publisher "changed since?" with these (no re-download when nothing
changed), and a file whose content is byte-identical is recognised even without those headers.
Kept in ``data/raw/.fetch-state.json`` (a dot file: the build ignores it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

STATE_FILE = ".fetch-state.json"


def load_state(raw_dir: Path) -> dict[str, dict]:
    """The state of every source, empty when nothing was fetched yet (or the file is unreadable)."""
    path = raw_dir / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(raw_dir: Path, state: dict[str, dict]) -> None:
    """Write the state atomically (a crash leaves the old state, never half a file)."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    path = raw_dir / STATE_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
