"""A small JSON object on disk, changed under an exclusive lock and replaced atomically.

Why: saved areas and officers' accounts are small files that several dashboard threads (or
processes, or the CLI) may change at once; a ``<file>.lock`` beside each serialises writers,
and writing a temporary file then ``os.replace`` means a reader never sees half a file.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def read_json_object(path: Path) -> dict[str, dict]:
    """The JSON object in ``path`` ({} when the file is absent, empty or not an object)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8") or "{}")
    return data if isinstance(data, dict) else {}


@contextmanager
def locked_json(path: Path, *, private: bool = False) -> Iterator[dict[str, dict]]:
    """Yield the file's object to change in place; written back atomically on exit (0600 when ``private``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            data = read_json_object(path)
            yield data
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".json")
            if private:
                os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
            os.replace(tmp, path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
