"""``cpop local add/list/report/publish/rollback``: local partner datasets from the command line.

Why: an officer (or a script run by one) adds a council service's spreadsheet beside the national
measures without a developer: the tool guesses the columns, checks every row, keeps the rejected
ones with their reasons, and publishes a version into the next build (etl/local/).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from etl.cli_common import ACTOR, fail
from etl.errors import InputError
from etl.settings import Settings, get_settings

local_app = typer.Typer(help="Local partner datasets: add a CSV or workbook, check it, publish it, roll it back.",
                        no_args_is_help=True)
console = Console()
UserDirOpt = Annotated[Path | None, typer.Option("--user-dir", help="Folder of user data (default data/user, "
                                                 "or CPOP_USER_DIR); local datasets are kept in its local/.")]
WarehouseOpt = Annotated[Path | None, typer.Option("--warehouse", help="Warehouse whose areas the codes are "
                                                   "checked against (default data/warehouse/cpop.duckdb).")]
RawOpt = Annotated[Path | None, typer.Option("--raw-dir", help="Raw folder holding the postcode directory "
                                             "(default data/raw).")]


def _settings(user_dir: Path | None = None, warehouse: Path | None = None, raw_dir: Path | None = None) -> Settings:
    overrides = {key: value.resolve() for key, value in
                 (("user_dir", user_dir), ("warehouse_path", warehouse), ("raw_dir", raw_dir)) if value is not None}
    return get_settings(**overrides)


def _print_report(report, quarantine_path: Path | None = None, quarantine=None) -> None:  # noqa: ANN001
    from etl.local.guess import LEVEL_LABELS

    console.print(f"[bold]{report.file}[/]{f' (sheet {report.sheet})' if report.sheet else ''}: "
                  f"{report.layout} layout, {LEVEL_LABELS[report.geography_level]} level"
                  + (" (counted into data zones)" if report.geography_level == "postcode" else ""))
    console.print(f"rows read {report.rows_read:,} = accepted {report.accepted:,} + quarantined "
                  f"{report.quarantined:,}" + (" (a wide file counts one row per area and period)"
                                               if report.layout == "wide" else ""))
    console.print(f"periods: {', '.join(report.periods) or 'none'}; areas: {report.areas:,}"
                  + (f"; values revised since the previous version: {report.revised:,}" if report.revised else ""))
    if report.reasons:
        from etl.local.validate import REASONS

        table = Table("reason", "rows", title="Quarantined")
        for reason, count in report.reasons.items():
            table.add_row(REASONS.get(reason, reason), f"{count:,}")
        console.print(table)
    if quarantine is not None and len(quarantine):
        table = Table("row", "column", "area", "period", "value", "why", title="First quarantined rows")
        for rec in quarantine.head(20).itertuples():
            table.add_row(str(rec.row), rec.column, rec.area, rec.period, rec.value, rec.detail)
        console.print(table)
    if quarantine_path is not None and report.quarantined:
        console.print(f"Every quarantined row, with its reason: {quarantine_path}")


@local_app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="The CSV or Excel workbook (.xlsx).")],
    meta: Annotated[Path, typer.Option("--meta", help="The dataset's metadata (YAML; see docs/local-data.md).")],
    sheet: Annotated[str | None, typer.Option("--sheet", help="The workbook's sheet (default the first with "
                                              "data).")] = None,
    geography_column: Annotated[str | None, typer.Option("--geography-column", help="Column of area codes or "
                                                         "postcodes (default: guessed).")] = None,
    period_column: Annotated[str | None, typer.Option("--period-column", help="Column of years or periods, for a "
                                                      "file with one row per area and period (default: guessed)."
                                                      )] = None,
    value_column: Annotated[str | None, typer.Option("--value-column", help="Column of counts (default: guessed)."
                                                     )] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the guess and the validation report; keep "
                                          "nothing.")] = False,
    user_dir: UserDirOpt = None,
    warehouse: WarehouseOpt = None,
    raw_dir: RawOpt = None,
) -> None:
    """Check a local dataset and keep it as a new version (it is published by `cpop local publish`)."""
    from etl.local.metadata import load_metadata
    from etl.local.service import add_upload, check_upload

    settings = _settings(user_dir, warehouse, raw_dir)
    try:
        metadata = load_metadata(meta)
        checked = check_upload(file, metadata, settings, sheet=sheet, geography_column=geography_column,
                               period_column=period_column, value_column=value_column)
        console.print("Columns used:")
        for reason in checked.guess.reasons:
            console.print(f"  {reason}")
        _print_report(checked.validation.report, quarantine=checked.validation.quarantine)
        if dry_run:
            console.print("Dry run: nothing was kept.")
            return
        info = add_upload(checked, metadata, settings, ACTOR)
    except InputError as exc:
        fail(exc)
        return
    if info.version > 1:
        console.print(f"values revised since the previous version: {info.revised:,}")
    console.print(f"Kept as version {info.version} of local dataset '{metadata.id}'. Publish it with "
                  f"`cpop local publish {metadata.id}`.")


@local_app.command("list")
def list_datasets(user_dir: UserDirOpt = None) -> None:
    """List the local datasets, their versions and which one is published."""
    from etl.local.store import LocalStore

    states = LocalStore(_settings(user_dir).user_dir).states()
    if not states:
        console.print("No local datasets yet. Add one with `cpop local add FILE --meta meta.yaml`.")
        return
    table = Table("title", "organisation", "versions", "published", "latest: read / accepted / quarantined")
    table.add_column("id", no_wrap=True)
    for s in states:
        last = s.versions[-1]
        table.add_row(s.title, s.organisation, str(len(s.versions)),
                      f"version {s.published_version}" if s.published_version else "no",
                      f"{last.rows_read:,} / {last.accepted:,} / {last.quarantined:,}", s.id)
    console.print(table)


@local_app.command("report")
def report(
    dataset: Annotated[str, typer.Argument(help="The dataset's id.")],
    version: Annotated[int | None, typer.Option("--version", help="Version (default the newest).")] = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Show a version's validation report and its quarantined rows."""
    import pandas as pd

    from etl.local.store import LocalStore

    store = LocalStore(_settings(user_dir).user_dir)
    try:
        found = store.report(dataset, version)
        path = store.quarantine_path(dataset, version)
    except InputError as exc:
        fail(exc)
        return
    _print_report(found, path, pd.read_csv(path, dtype=str, keep_default_na=False))


def _built_next() -> None:
    console.print("The next `cpop build` includes the change (run it now to show it on the dashboard).")


@local_app.command("publish")
def publish(
    dataset: Annotated[str, typer.Argument(help="The dataset's id.")],
    version: Annotated[int | None, typer.Option("--version", help="Version (default the newest).")] = None,
    user_dir: UserDirOpt = None,
) -> None:
    """Publish a version: the next build adds the indicator to the catalogue, with every statistic."""
    from etl.local.service import publish_dataset

    try:
        state = publish_dataset(_settings(user_dir), dataset, ACTOR, version)
    except InputError as exc:
        fail(exc)
        return
    console.print(f"Published version {state.published_version} of '{dataset}' (indicator local_{dataset}).")
    _built_next()


@local_app.command("rollback")
def rollback(dataset: Annotated[str, typer.Argument(help="The dataset's id.")], user_dir: UserDirOpt = None) -> None:
    """Go back to the version before the published one (before the first: the dataset is withdrawn)."""
    from etl.local.service import roll_back_dataset

    try:
        state = roll_back_dataset(_settings(user_dir), dataset, ACTOR)
    except InputError as exc:
        fail(exc)
        return
    console.print(f"'{dataset}' now publishes version {state.published_version}." if state.published_version
                  else f"'{dataset}' is withdrawn: no version is published.")
    _built_next()
