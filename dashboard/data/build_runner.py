"""Start a rebuild of the warehouse the dashboard serves, in a separate process, and follow it.

Why: the Local data page's "Build now" (issue 15): after publishing, an officer makes the next
build without a shell. The build runs as ``python -m etl.cli build --progress-file …`` in its own
process with exactly the server's settings (raw folder, warehouse, user folder, catalogue,
snapshot, limits: passed as ``CPOP_*`` variables, the settings' own choke point), so its memory
and the GIL are not the server's and a slow build never stalls a page. The server picks the new
warehouse up by itself when the build swaps it in (``reader.WarehouseReader`` reopens on a change
of the file's identity; ``warmer.CacheWarmer`` warms the caches).

Only one build at a time: ``etl.build_lock`` stops a second build of the same warehouse (from
the CLI too), and this module refuses to start one while the lock's holder or the last build
started from here is alive. Starting is serialised by an ``flock`` so two clicks at the same
instant (two threads or two server processes) cannot both start one. The progress file lives in
the user folder (``<user_dir>/build/progress.json``), so a page reload, or another officer, sees
the same build. A thread waits for the process (no zombie) and, if it ended without writing an
ending (killed, out of memory), writes one.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from etl.build_lock import build_running, read_holder
from etl.build_progress import (
    FAILED,
    RUNNING,
    BuildProgress,
    now_text,
    read_progress,
    write_progress,
)
from etl.settings import PROJECT_ROOT, Settings

#: Settings a build does not need (and a secret is never put in a child's environment).
NOT_PASSED = {"secret_key"}


def build_folder(settings: Settings) -> Path:
    """``<user_dir>/build``: the progress file, the log of the last build started from the dashboard."""
    return Path(settings.user_dir) / "build"


def progress_path(settings: Settings) -> Path:
    return build_folder(settings) / "progress.json"


def log_path(settings: Settings) -> Path:
    return build_folder(settings) / "build.log"


@dataclass(frozen=True)
class Started:
    """The answer to "Build now": whether a build started, and what to tell the officer."""

    started: bool
    message: str


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def current_progress(settings: Settings) -> BuildProgress | None:
    """The last build started from the dashboard as its progress file says, or None before the first.

    A file that says "running" while its process is gone (the server restarted during a build that
    was then killed) is shown as failed: it will never finish.
    """
    progress = read_progress(progress_path(settings))
    if progress is not None and progress.state == RUNNING and not _alive(progress.pid):
        return progress.model_copy(update={"state": FAILED, "message": _ended_message(None, settings)})
    return progress


def running_message(settings: Settings) -> str | None:
    """Why a build cannot start now (one is running: from this page, or ``cpop build`` on the server), or None."""
    progress = current_progress(settings)
    if progress is not None and progress.state == RUNNING:
        return (f"A build is already running (started {progress.started_at}, now {progress.stage_words}). "
                "Wait for it to finish: its progress is shown here.")
    if build_running(settings.warehouse_path):
        holder = read_holder(settings.warehouse_path)
        return (f"A build of this warehouse is already running on the server ({holder.describe() if holder else ''}). "
                "Wait for it to finish, then press Build now again.")
    return None


def child_environment(settings: Settings) -> dict[str, str]:
    """This process's environment with every setting as its ``CPOP_*`` variable, so the build child
    reads exactly the server's settings (a setting the server has as None is removed)."""
    env = dict(os.environ)
    for name, value in settings.model_dump(exclude=NOT_PASSED).items():
        key = f"CPOP_{name.upper()}"
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    return env


def build_command(settings: Settings) -> list[str]:
    """``python -m etl.cli build --warehouse … [--raw-dir …] --progress-file …`` for the server's settings."""
    command = [sys.executable, "-m", "etl.cli", "build", "--warehouse", str(settings.warehouse_path)]
    if Path(settings.raw_dir).is_dir():  # else the settings' raw folder is absent: snapshot only
        command += ["--raw-dir", str(settings.raw_dir)]
    return [*command, "--progress-file", str(progress_path(settings))]


@contextmanager
def _starting(settings: Settings) -> Iterator[None]:
    """Hold ``<user_dir>/build/start.lock`` (blocking, held only for the check and the spawn)."""
    folder = build_folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "start.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def start_build(settings: Settings) -> Started:
    """Start a build of the served warehouse in a separate process, unless one is running."""
    with _starting(settings):
        busy = running_message(settings)
        if busy is not None:
            return Started(False, busy)
        with log_path(settings).open("wb") as log:
            process = subprocess.Popen(build_command(settings), stdin=subprocess.DEVNULL, stdout=log,  # noqa: S603
                                       stderr=subprocess.STDOUT, env=child_environment(settings), cwd=PROJECT_ROOT,
                                       start_new_session=True)  # a server stopped mid-build does not stop it
        # written before the child starts writing it, so a second click meanwhile is refused
        write_progress(progress_path(settings), BuildProgress(state=RUNNING, pid=process.pid,
                                                              started_at=now_text()))
    threading.Thread(target=_wait, args=(process, settings), name=f"cpop-build-{process.pid}", daemon=True).start()
    return Started(True, "The build has started. Its progress is shown here; the page can be left and reopened.")


def _ended_message(code: int | None, settings: Settings) -> str:
    how = f" (exit code {code})" if code is not None else ""
    return (f"The build process ended before it finished{how}: it may have been stopped or run out of memory. "
            f"The dashboard keeps showing the last complete build. The build's log is {log_path(settings)} on the "
            "server.")


def _wait(process: subprocess.Popen, settings: Settings) -> None:
    """Reap the build process; if it ended without writing its ending, write one for it."""
    code = process.wait()
    progress = read_progress(progress_path(settings))
    if progress is not None and progress.state == RUNNING and progress.pid == process.pid:
        write_progress(progress_path(settings), progress.model_copy(
            update={"state": FAILED, "message": _ended_message(code, settings)}))
