"""What the officer-facing command groups (`cpop user`, `cpop local`, `cpop spend`) share.

Why one place: the audit log names who ran a command the same way whichever group it came from,
and every group stops on a bad input with the same one-line error and exit code.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console

from etl.settings import get_settings

#: who ran the command, as the audit log records it (the invoking user behind sudo, if any)
ACTOR = "cli:" + (os.environ.get("SUDO_USER") or os.environ.get("USER") or "unknown")
err = Console(stderr=True)


def fail(message: object) -> None:
    """Print ``message`` as the command's one error line and exit with code 1."""
    err.print(f"[bold red]Error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code=1)


def user_dir_of(user_dir: Path | None) -> Path:
    """The ``--user-dir`` given, else the configured one (data/user or CPOP_USER_DIR)."""
    return user_dir.resolve() if user_dir else Path(get_settings().user_dir)
