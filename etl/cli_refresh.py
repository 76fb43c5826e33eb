"""``cpop fetch`` and ``cpop changes``: refresh from the publishers, and say what changed.

Why: a module of its own, registered on the one typer app (``etl/cli.py`` imports it), so the
refresh commands grow without touching the other commands.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from etl.cli import DebugOpt, RawOpt, _fail, _settings, app, console, err
from etl.errors import InputError

STATUS_STYLE = {"new": "green", "unchanged": "dim", "would change": "yellow", "failed": "bold red"}


@app.command()
def fetch(
    sources: Annotated[list[str] | None, typer.Argument(help="Sources to refresh (default: all in the manifest).",
                                                         show_default=False)] = None,
    raw_dir: RawOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Ask the publishers what changed; download nothing.")] = False,
    manifest: Annotated[Path | None, typer.Option("--manifest", help="Fetch manifest (default "
                                                  "etl/sources/manifest.yaml).")] = None,
    debug: DebugOpt = False,
) -> None:
    """Download each source's current release from its publisher into data/raw/<source>/<release>/.

    Earlier releases are never written over; a source that fails (network, publisher, changed
    layout) is reported and left as it was while the others refresh. Exits 1 if any source failed.
    Then `cpop build` makes a warehouse with the new releases, and `cpop changes` says what changed.
    """
    from etl.fetch.manifest import MANIFEST, load_manifest
    from etl.fetch.runner import fetch_sources

    settings = _settings(raw_dir)
    try:
        spec = load_manifest(manifest.resolve() if manifest else MANIFEST)
    except InputError as exc:
        _fail(exc, debug)
        return
    live = sys.stdout.isatty()
    with Progress(TextColumn("{task.description:<48.48}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  TimeElapsedColumn(), console=console, transient=True, disable=not live) as progress:
        tasks: dict[tuple[str, str], int] = {}

        def tick(source: str, name: str, done: int, total: int | None) -> None:
            key = (source, name)
            if key not in tasks:
                tasks[key] = progress.add_task(f"{source}: {name}", total=total)
            progress.update(tasks[key], completed=done, total=total)

        try:
            outcomes = fetch_sources(spec, settings.raw_dir, only=sources or (), dry_run=dry_run,
                                     contact=settings.fetch_contact, progress=tick)
        except InputError as exc:
            progress.stop()
            _fail(exc, debug)
            return
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for outcome in outcomes:
        style = STATUS_STYLE.get(outcome.status, "")
        line = f"{stamp} [{style}]{outcome.status.upper():<12}[/] {outcome.message or outcome.source}"
        (err if outcome.status == "failed" else console).print(line, soft_wrap=True, highlight=False)
        for item in outcome.files:
            size = f", {item.size_bytes / 1e6:.2f} MB" if item.size_bytes else ""
            sha = f", sha256 {item.sha256[:12]}…" if item.sha256 else ""
            console.print(f"    {item.name}: {item.status}{size}{sha}", soft_wrap=True, highlight=False)
        if outcome.status == "new" and outcome.folder is not None:
            console.print(f"    → {outcome.folder}", soft_wrap=True, highlight=False)
    failed = [o for o in outcomes if o.status == "failed"]
    fresh = [o for o in outcomes if o.status == "new"]
    console.print(f"{stamp} {len(fresh)} new release(s), {len(failed)} failed, "
                  f"{len(outcomes) - len(fresh) - len(failed)} unchanged or dry run."
                  + (" Run `cpop build`, then `cpop changes`." if fresh else ""), highlight=False)
    if failed:
        raise typer.Exit(code=1)
