"""One build at a time per warehouse: a lock file beside it, held with the kernel's ``flock``.

Why: two overlapping ``cpop build`` runs on one warehouse once shared one side file; the second
deleted the first's half-written file and the first then swapped the second's half-built file in
and said "Warehouse ready". Now a build holds ``<warehouse>.lock`` for its whole run and writes
its own side file (``<warehouse>.building-<build_id>``); a second build stops at once with a
message naming the running build's process, host and start time.

The stale-lock rule is the kernel's: an ``flock`` dies with the process that holds it (killed,
crashed, machine restarted), so a lock file left behind by a dead build is simply taken over.
The file's text (JSON: pid, host, started_at, raw_dir) is only what the messages quote.
Locks are advisory and per host: keep the warehouse on a local disk (not a network share).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


def lock_path(warehouse: Path) -> Path:
    """``<warehouse>.lock``: beside the warehouse, so every build of that file agrees on it."""
    return warehouse.with_name(warehouse.name + ".lock")


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or last held) a build lock, as written in the lock file."""

    pid: int | None
    host: str
    started_at: str
    raw_dir: str

    def describe(self) -> str:
        """"process 1234 on host x, started 2026-12-03 13:07 UTC (raw files: …)"."""
        raw = f", raw files {self.raw_dir}" if self.raw_dir else ""
        return f"process {self.pid if self.pid is not None else '?'} on host {self.host or '?'}, started {self.started_at or '?'}{raw}"

    def is_alive(self) -> bool:
        """True when the holder may still be running (always True for another host: we cannot tell)."""
        if self.pid is None:
            return False
        if self.host and self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # alive, another user's
            return True
        return True


class BuildLocked(Exception):
    """Another build of the same warehouse is running; this one did nothing."""

    def __init__(self, warehouse: Path, holder: LockHolder) -> None:
        self.warehouse = warehouse
        self.holder = holder
        super().__init__(
            f"another build of {warehouse} is running ({holder.describe()}). This build did not start and "
            f"the live warehouse was not changed by it. What to do: wait for that build to finish and run "
            f"`cpop build` again (the lock is released by itself when that process ends)"
        )


def read_holder(warehouse: Path) -> LockHolder | None:
    """What the lock file beside ``warehouse`` says, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads(lock_path(warehouse).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    pid = data.get("pid")
    return LockHolder(pid if isinstance(pid, int) else None, str(data.get("host", "")),
                      str(data.get("started_at", "")), str(data.get("raw_dir", "")))


def build_running(warehouse: Path) -> bool:
    """True when a build of ``warehouse`` appears to be running (for the dashboard's message).

    Read-only: it reads the lock file and asks whether its process is alive, and never takes the
    lock (that would make a starting build fail).
    """
    holder = read_holder(warehouse)
    return holder is not None and holder.is_alive()


@contextmanager
def build_lock(warehouse: Path, raw_dir: Path | None = None) -> Iterator[LockHolder | None]:
    """Hold the build lock of ``warehouse`` for the block, or raise BuildLocked at once.

    Yields the previous holder when the lock file was left behind by a build that is no longer
    running (a stale lock, taken over), else None.
    """
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = read_holder(warehouse) or LockHolder(None, "", "", "")
            raise BuildLocked(warehouse, holder) from None
        previous = read_holder(warehouse)
        me = {"pid": os.getpid(), "host": socket.gethostname(),
              "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
              "raw_dir": str(raw_dir) if raw_dir else ""}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me).encode("utf-8"), 0)
        try:
            yield previous if previous is not None and previous.pid is not None else None
        finally:
            os.ftruncate(fd, 0)  # released: nobody is named as running
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
