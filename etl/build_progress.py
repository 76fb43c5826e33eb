"""A build's progress as a small JSON file, for a reader in another process (the dashboard).

Why: "Build now" on the Local data page runs ``cpop build`` in a separate process (the server's
memory and GIL stay free); the page polls this file to draw a progress bar, and after a page
reload it still finds the build. ``cpop build --progress-file PATH`` writes it: one JSON object
``{state, stage, done, total, message, pid, started_at, updated_at}`` replaced atomically (written
beside, then ``os.replace``) so a reader never sees half a file.

``state`` is ``running``, ``done`` or ``failed``; ``message`` is plain words for a user (never a
traceback).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

State = Literal["running", "done", "failed"]
RUNNING: State = "running"
DONE: State = "done"
FAILED: State = "failed"

#: The stages ``etl.build`` reports, in the order it reports them (an unknown stage counts as the first).
STAGES = ("starting", "catalogue", "load raw files", "staging", "validate codes", "geographies", "core", "marts",
          "disclosure", "derived marts", "disclosure audit", "boundaries", "checks", "publish")
STAGE_WORDS = {
    "starting": "starting the build", "catalogue": "reading the catalogue of indicators",
    "load raw files": "loading the raw files", "staging": "checking and typing the data",
    "validate codes": "checking the area codes", "geographies": "building the geographies",
    "core": "building the data-zone model", "marts": "computing the indicators for every area",
    "disclosure": "applying disclosure control", "derived marts": "computing trends and inequality",
    "disclosure audit": "auditing disclosure control", "boundaries": "preparing the maps",
    "checks": "running the data checks", "publish": "swapping the new warehouse in",
}


def now_text() -> str:
    """Now, as the progress file writes times ('2026-12-03 19:20:00 UTC')."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class BuildProgress(BaseModel):
    """One snapshot of a build's progress (what the file holds)."""

    state: State
    stage: str = "starting"
    done: int = 0
    total: int = 1
    message: str = ""
    pid: int | None = None
    started_at: str = ""
    updated_at: str = ""

    @property
    def stage_words(self) -> str:
        """The stage in words for a user ('applying disclosure control')."""
        return STAGE_WORDS.get(self.stage, self.stage)

    @property
    def percent(self) -> int:
        """How far the whole build is, 0-100: the stages before this one plus this one's share."""
        if self.state == DONE:
            return 100
        index = STAGES.index(self.stage) if self.stage in STAGES else 0
        share = min(max(self.done / self.total, 0.0), 1.0) if self.total > 0 else 0.0
        return int(100 * (index + share) / len(STAGES))

    def is_finished(self) -> bool:
        return self.state in (DONE, FAILED)


def write_progress(path: Path, progress: BuildProgress) -> None:
    """Replace ``path`` with ``progress`` atomically (a reader sees the old or the new file, whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    progress = progress.model_copy(update={"updated_at": now_text()})
    side = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    side.write_text(progress.model_dump_json(), encoding="utf-8")
    os.replace(side, path)


def read_progress(path: Path) -> BuildProgress | None:
    """The progress in ``path``, or None when there is none (or it is not a progress file)."""
    try:
        return BuildProgress.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        return None


class ProgressFile:
    """The writer ``cpop build --progress-file`` uses: ``tick`` is ``etl.build``'s progress callback."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._base = BuildProgress(state=RUNNING, pid=os.getpid(), started_at=now_text())
        write_progress(path, self._base)

    def tick(self, stage: str, done: int, total: int) -> None:
        self._base = self._base.model_copy(update={"stage": stage, "done": done, "total": total})
        write_progress(self.path, self._base)

    def finish(self, message: str) -> None:
        write_progress(self.path, self._base.model_copy(update={"state": DONE, "message": message}))

    def fail(self, message: str) -> None:
        write_progress(self.path, self._base.model_copy(update={"state": FAILED, "message": message}))
