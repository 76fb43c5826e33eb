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
        message = outcome.message if outcome.message.startswith(f"{outcome.source}:") else \
            f"{outcome.source}: {outcome.message}"
        line = f"{stamp} [{style}]{outcome.status.upper():<12}[/] {message}"
        (err if outcome.status == "failed" else console).print(line, soft_wrap=True, highlight=False)
        for item in outcome.files:
            size = "" if not item.size_bytes else f", {item.size_bytes / 1e6:.2f} MB" \
                if item.size_bytes >= 10_000 else f", {item.size_bytes:,} bytes"
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


@app.command()
def changes(
    since: Annotated[str | None, typer.Option("--since", help="Compare with this release (YYYY-MM or edition); "
                                              "default: each indicator's release before its newest.")] = None,
    council: Annotated[str | None, typer.Option("--council", help="Council whose verdict changes to list "
                                                "(name or code; a unique part of the name will do).")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Also write every change to this Excel file.")] = None,
    rows: Annotated[int, typer.Option("--rows", help="Revised values and verdict changes to print (the largest).")] = 15,
    warehouse: Annotated[Path | None, typer.Option("--warehouse", help="Warehouse file (default "
                                                   "data/warehouse/cpop.duckdb).")] = None,
    debug: DebugOpt = False,
) -> None:
    """What changed in this release: revised values (old, new, difference), new periods, indicators
    added or removed, and the trend, RAG, CPOP-rating and gap verdicts that changed since the
    previous build."""
    from rich.table import Table

    from dashboard.data.queries import Queries
    from dashboard.data.reader import WarehouseReader
    from dashboard.logic.changes import NOT_KNOWN, number, release_changes

    settings = _settings(warehouse=warehouse)
    reader = WarehouseReader(settings.warehouse_path)
    try:
        queries = Queries(reader)
        match = None
        if council:
            from etl.research import find_area

            match = find_area(settings.warehouse_path, "council", council)
        known = _releases(queries)
        if since is not None and since not in known:
            raise InputError(None, f"no release '{since}' in this warehouse",
                             hint="choose from " + ", ".join(known))
        result = release_changes(queries, since)
        content = None
        if xlsx is not None:
            from dashboard.exports.changes import changes_xlsx

            content = changes_xlsx(result, match.area_code if match else None, match.area_name if match else None)
    except Exception as exc:  # noqa: BLE001 - reported cleanly
        _fail(exc, debug)
        return
    finally:
        reader.close()
    console.print(result.headline(match.area_code if match else None, match.area_name if match else None),
                  highlight=False)
    summary = result.summary()
    table = Table(title="Indicators that changed")
    for column, label in (("title", "indicator"), ("new_release", "release"), ("compared_with", "compared with"),
                          ("revised_values", "revised values"), ("areas_revised", "areas"),
                          ("largest_difference", "largest difference"), ("new_periods", "new periods"),
                          ("verdicts_changed", "verdicts changed")):
        table.add_column(label, justify="right" if column in ("revised_values", "areas_revised",
                                                              "largest_difference", "verdicts_changed") else "left")
    for row in summary.itertuples():
        table.add_row(row.title, row.new_release, row.compared_with, f"{row.revised_values:,}", f"{row.areas_revised:,}",
                      number(row.largest_difference),
                      row.new_periods or "", "not known" if row.verdicts_changed is None else str(int(row.verdicts_changed)))
    console.print(table)
    revised = result.revisions_in(match.area_code if match else None)
    if not revised.empty:
        biggest = Table(title=f"Largest revisions, relative to the old value (of {len(revised):,}"
                              + (f" in {match.area_name})" if match else ")"))
        for label in ("indicator", "area", "period", "old", "new", "difference", "verdicts changed"):
            biggest.add_column(label)
        for r in result.largest_revisions(rows, match.area_code if match else None).itertuples():
            biggest.add_row(r.indicator_id, f"{_text(r.area_name) or r.area_code} ({r.area_type})", r.period_label,
                            f"{number(r.old_value) or 'none'} ({r.old_release})",
                            f"{number(r.new_value) or 'none'} ({r.new_release})",
                            ("+" if r.difference > 0 else "") + number(r.difference), _text(r.verdicts_changed))
        console.print(biggest)
    for r in result.indicators.itertuples():
        console.print(f"Indicator {r.change}: {r.title} ({r.indicator_id}), {r.basis}", highlight=False)
    if not result.verdicts_known:
        console.print(NOT_KNOWN)
    elif match is not None:
        mine = result.verdict_rows()
        mine = mine[(mine.area_type == "council") & (mine.area_code == match.area_code)]
        for r in mine.head(rows).itertuples():
            console.print(f"{match.area_name}: {r.title}: {r.verdict_kind} {r.verdict_before} → {r.verdict_now}",
                          highlight=False)
    if content is not None and xlsx is not None:
        xlsx.parent.mkdir(parents=True, exist_ok=True)
        xlsx.write_bytes(content)
        console.print(f"Every change written to {xlsx} ({len(content):,} bytes).")


def _releases(queries: object) -> list[str]:
    from dashboard.data.changes import releases

    return releases(queries)  # type: ignore[arg-type]


def _text(value: object) -> str:
    """A text cell for a rich table: a missing one (None, or NaN in pandas' text columns) as ''."""
    from dashboard.logic.provenance import is_missing

    return "" if is_missing(value) else str(value)
