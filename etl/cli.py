"""The ``cpop`` command line: demo data, build, check, serve, describe, profile, board-report, sql,
exports.

Why: an officer or a CI job runs the whole pipeline with a few memorable commands; bad input
prints one clear message (no traceback unless ``--debug``) and exits non-zero.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl.errors import CheckFailed, InputError, damaged_warehouse, is_corruption
from etl.local_cli import local_app
from etl.settings import DEMO_MARKER, Settings, get_settings
from etl.spend_cli import spend_app
from etl.user_cli import user_app

app = typer.Typer(help="cpop: community planning outcomes profiles for Scotland.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
console = Console()
err = Console(stderr=True)
app.add_typer(user_app, name="user")
app.add_typer(spend_app, name="spend")
app.add_typer(local_app, name="local")

RawOpt = Annotated[Path | None, typer.Option("--raw-dir", help="Folder of raw files (default data/raw).")]
WarehouseOpt = Annotated[Path | None, typer.Option("--warehouse", help="Warehouse file (default data/warehouse/cpop.duckdb).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the full traceback on error.")]


def _settings(raw_dir: Path | None = None, warehouse: Path | None = None, **more: object) -> Settings:
    overrides: dict[str, object] = {k: v for k, v in more.items() if v is not None}
    if raw_dir is not None:
        overrides["raw_dir"] = raw_dir.resolve()
    if warehouse is not None:
        overrides["warehouse_path"] = warehouse.resolve()
    return get_settings(**overrides)


def _damage_named(exc: Exception) -> Exception:
    """A damaged warehouse met mid-command (DuckDB reads lazily) as the message that says so and what to do."""
    import duckdb

    from dashboard.data.reader import CORRUPT, WarehouseUnavailable

    if isinstance(exc, WarehouseUnavailable) and exc.kind == CORRUPT:
        return damaged_warehouse(exc.path, RuntimeError(exc.reason))
    if isinstance(exc, duckdb.Error) and is_corruption(exc):
        return damaged_warehouse(None, exc)
    return exc


def _fail(exc: Exception, debug: bool, cause: Exception | None = None) -> None:
    """Print ``exc`` as one clear message and exit 1; with ``--debug`` raise (``cause``, if given) instead."""
    if debug:
        raise cause or exc
    exc = _damage_named(exc)
    if isinstance(exc, CheckFailed):
        err.print(f"[bold red]Build aborted:[/] {exc}. The live warehouse was not changed.", soft_wrap=True)
        for name, rows in exc.failures.items():
            table = Table(title=f"check {name}: {len(rows)} bad row(s) shown")
            for column in exc.columns[name]:
                table.add_column(str(column))
            for row in rows:
                table.add_row(*[str(v) for v in row])
            err.print(table)
    else:
        err.print(f"[bold red]Error:[/] {exc}", soft_wrap=True)
    raise typer.Exit(code=1)


@app.command()
def demo(
    raw_dir: Annotated[Path | None, typer.Option("--raw-dir", help="Folder to write to (default data/demo/raw).")] = None,
    scale: Annotated[str, typer.Option(help="'demo' (a few councils) or 'scotland' (6,976 data zones, 32 councils).")] = "demo",
    force: Annotated[bool, typer.Option("--force", help="Write even if raw files are already there.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Write the fictional demo country's raw files (the real published formats) for teaching and tests.

    They go to their own folder (data/demo/raw), never into data/raw, so the real warehouse is
    untouched: build and serve the demo with `make demo`, or `cpop build --raw-dir data/demo/raw
    --warehouse data/warehouse/demo.duckdb` and `cpop serve --warehouse data/warehouse/demo.duckdb`.
    Everything shown from it is labelled fictional.
    """
    from etl.demo import write_demo

    settings = _settings()
    target = raw_dir.resolve() if raw_dir is not None else settings.demo_raw_dir
    if scale not in ("demo", "scotland"):
        _fail(InputError(None, f"unknown scale '{scale}'", hint="use --scale demo or --scale scotland"), debug)
    existing = [p for p in target.glob("*/*/*") if p.is_file()] if target.exists() else []
    if existing and not force:
        console.print(f"Raw data already present in {target} ({len(existing)} files); nothing written. "
                      "Use --force to overwrite with demo data.")
        return
    try:
        with console.status(f"Writing {scale}-scale fictional demo data to {target} …"):
            summary = write_demo(target, scale=scale)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - reported cleanly
        _fail(exc, debug)
    console.print(f"Fictional demo data written to {target}: {summary.data_zones:,} data zones, "
                  f"{summary.intermediate_zones:,} intermediate zones, {summary.wards:,} wards, "
                  f"{summary.councils} councils, {len(summary.files)} files. Build it with "
                  f"`cpop build --raw-dir {target} --warehouse <file>` (or run `make demo`).")


@app.command()
def build(
    raw_dir: RawOpt = None,
    warehouse: WarehouseOpt = None,
    threads: Annotated[int | None, typer.Option(help="DuckDB threads.")] = None,
    if_changed: Annotated[bool, typer.Option("--if-changed", help="Do nothing when the live warehouse was built "
                                             "from exactly these inputs (snapshot, raw files, catalogue, code).")] = False,
    progress_file: Annotated[Path | None, typer.Option("--progress-file", help="Also write the progress as JSON "
                             "to this file (state, stage, done, total, message), for the dashboard's Build now.")] = None,
    debug: DebugOpt = False,
) -> None:
    """Build the warehouse from the committed snapshot of real published data and the raw files:
    load, stage, model, check, then swap in atomically."""
    from etl.build import build as run_build
    from etl.build_errors import build_failure
    from etl.build_lock import BuildLocked
    from etl.build_progress import ProgressFile
    from etl.fingerprint import is_up_to_date

    reporter = ProgressFile(progress_file) if progress_file is not None else None

    def fail(exc: Exception, cause: Exception | None = None) -> None:
        """Say why in the progress file too (plain words: a process that dies says nothing, see
        dashboard/data/build_runner.py), then print it and exit 1."""
        if reporter is not None:
            shown = _damage_named(exc)
            reporter.fail(f"{shown}. The live warehouse was not changed." if isinstance(shown, CheckFailed)
                          else str(shown))
        _fail(exc, debug, cause=cause)

    settings = _settings(raw_dir, warehouse, threads=threads)
    if raw_dir is not None and not settings.raw_dir.is_dir():
        fail(InputError(None, f"the raw-data folder {settings.raw_dir} does not exist",
                        hint=f"check the path given to --raw-dir; `cpop demo` writes the fictional demo's raw files "
                             f"to {settings.demo_raw_dir} (build it with `cpop build --raw-dir {settings.demo_raw_dir} "
                             "--warehouse data/warehouse/demo.duckdb`)"))
    is_demo = (settings.raw_dir / DEMO_MARKER).exists()
    if if_changed:
        probe = settings.model_copy(update={"use_snapshot": False}) if is_demo else settings
        if is_up_to_date(probe, probe.catalogue_for(is_demo)):
            console.print(f"Warehouse {settings.warehouse_path} is up to date with its inputs; not rebuilt.")
            if reporter is not None:
                reporter.finish("the warehouse was already up to date with its inputs: not rebuilt")
            return
    with Progress(TextColumn("{task.description:<16}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        tasks: dict[str, int] = {}

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)
            if reporter is not None:
                reporter.tick(stage, done, total)

        try:
            result = run_build(settings, progress=tick, demo=is_demo)
        except (CheckFailed, BuildLocked) as exc:  # their messages say the live warehouse is unchanged
            progress.stop()
            fail(exc)
            return
        except Exception as exc:  # noqa: BLE001 - bad input or an unexpected failure: reported, no traceback
            progress.stop()
            fail(build_failure(exc, settings.build_memory_limit), cause=exc)
            return
    summary = Table(title=f"Build {result.build_id} → {result.warehouse_path}")
    summary.add_column("stage")
    summary.add_column("seconds", justify="right")
    summary.add_column("peak MB", justify="right")
    for stage in result.stages:
        summary.add_row(stage.name, f"{stage.seconds:.2f}", f"{stage.peak_rss_mb:.0f}")
    console.print(summary)
    marts = {k: v for k, v in result.table_rows.items() if k.startswith(("marts.", "meta."))}
    console.print("Rows: " + ", ".join(f"{k} {v:,}" for k, v in marts.items()))
    for note in result.notes:
        console.print(f"[yellow]Note:[/] {note}")
    console.print(f"[green]Warehouse ready[/] in {result.seconds:.1f} s. Researchers open {result.warehouse_path} "
                  f"(marts, meta); {settings.internal_path.name} beside it holds the counts before disclosure "
                  "control: never share it.")
    if reporter is not None:
        reporter.finish(f"build {result.build_id} is live (built in {result.seconds:.0f} s)")


@app.command()
def check(warehouse: WarehouseOpt = None, debug: DebugOpt = False) -> None:
    """Run the data checks against the live warehouse (read-only) and print any bad rows."""
    import duckdb

    from etl.checks import run_checks
    from etl.warehouse_files import PairMismatch, open_pair

    settings = _settings(warehouse=warehouse)
    if not settings.warehouse_path.exists():
        _fail(InputError(settings.warehouse_path, "no warehouse to check", hint="run `cpop build` first"), debug)
    try:
        con = open_pair(settings.warehouse_path)  # the checks read core (internal) beside marts
        try:
            warnings: dict = {}
            failures = run_checks(con, record=False, raise_on_failure=False, warnings=warnings)
        finally:
            con.close()
    except PairMismatch as exc:
        _fail(exc, debug)
        return
    except duckdb.Error as exc:
        _fail(damaged_warehouse(settings.warehouse_path, exc), debug, cause=exc)
        return
    for name, rows in warnings.items():
        table = Table(title=f"warning {name}: {len(rows)} row(s)" + (" (first 20 shown)" if len(rows) > 20 else ""))
        for column in rows.columns:
            table.add_column(str(column))
        for row in rows.head(20).itertuples(index=False, name=None):
            table.add_row(*[str(v) for v in row])
        console.print(table)
    if failures:
        _fail(CheckFailed({k: list(v.head(20).itertuples(index=False, name=None)) for k, v in failures.items()},
                          {k: list(v.columns) for k, v in failures.items()}), debug)
    console.print("[green]All checks pass[/]" + (f" ({len(warnings)} with warnings above)." if warnings else "."))


@app.command()
def serve(
    warehouse: WarehouseOpt = None,
    host: Annotated[str | None, typer.Option(help="Host to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8050).")] = None,
) -> None:
    """Serve the dashboard (reads the warehouse read-only; picks up rebuilds without restart)."""
    from dashboard.app import serve as serve_dashboard

    serve_dashboard(_settings(warehouse=warehouse, host=host, port=port))


@app.command()
def describe(warehouse: WarehouseOpt = None, debug: DebugOpt = False) -> None:
    """Show what the live warehouse holds: build info, sources and row counts of the public tables."""
    import duckdb

    settings = _settings(warehouse=warehouse)
    if not settings.warehouse_path.exists():
        err.print(f"No warehouse at {settings.warehouse_path}: run `cpop build`.")
        raise typer.Exit(code=1)
    try:
        _describe(settings.warehouse_path)
    except duckdb.Error as exc:
        _fail(damaged_warehouse(settings.warehouse_path, exc), debug, cause=exc)


def _describe(path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        info = con.execute("SELECT build_id, strftime(built_at, '%Y-%m-%d %H:%M UTC'), code_version, schema_version, demo "
                           "FROM meta.build_info").fetchall()[0]
        console.print(f"Build {info[0]} at {info[1]} (code {info[2]}, schema {info[3]}, demo={info[4]})")
        table = Table(title="Public tables")
        table.add_column("table")
        table.add_column("rows", justify="right")
        for schema, name in con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN "
                                        "('marts', 'meta') ORDER BY 1, 2").fetchall():
            rows = con.execute(f"SELECT count(*) FROM {schema}.{name}").fetchall()[0][0]
            table.add_row(f"{schema}.{name}", f"{rows:,}")
        console.print(table)
        _print_sources(con)
    finally:
        con.close()


def _print_sources(con: Any) -> None:
    """The raw files the build read (``meta.sources``): source, release, file, size."""
    rows = con.execute("SELECT source, release, file_name, size_bytes FROM meta.sources "
                       "ORDER BY source, release, file_name").fetchall()
    table = Table(title=f"Sources ({len(rows)} file(s) read by the build)")
    for column in ("source", "release", "file"):
        table.add_column(column)
    table.add_column("MB", justify="right")
    for source, release, name, size in rows:
        table.add_row(source, release, name, f"{(size or 0) / 1e6:.2f}")
    console.print(table)


def _find_locality(path: Path, text: str, council_name: str) -> Any:
    """The council's own locality, or its HSCP locality, whose code or name is ``text``.

    Why: most councils have no localities of their own in the warehouse; the HSCP localities
    (area type ``hsc_locality``) cover every council, and the Dashboard offers them alike. An
    exact code or name wins, else a unique part of a name, looked for in this council only.
    """
    import duckdb

    from etl.research import AreaMatch

    needle = text.strip().lower()
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "SELECT area_type, area_code, area_name FROM marts.areas WHERE area_type IN ('locality', 'hsc_locality') "
            "AND council_name = ? ORDER BY area_type, area_name", [council_name]).fetchall()
    finally:
        con.close()
    def best(found: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        # the council's own locality before an HSCP locality of the same name
        own = [r for r in found if r[0] == "locality"]
        return own or found

    exact = best([r for r in rows if needle in (r[1].lower(), r[2].lower())])
    partial = best([r for r in rows if needle in r[2].lower()])
    pick = exact or partial
    if not pick:
        raise InputError(None, f"no locality or HSCP locality of {council_name} matches '{text}'",
                         hint=f"{council_name}'s are: {', '.join(r[2] for r in rows) or 'none'}")
    if len(pick) > 1:
        raise InputError(None, f"'{text}' matches {len(pick)} localities of {council_name}: "
                         + "; ".join(f"{r[1]} {r[2]}" for r in pick), hint="give the code or the full name")
    area_type, code, name = pick[0]
    return AreaMatch(area_type, code, name, council_name)


def _warehouse_path(warehouse: Path | None) -> Path:
    return _settings(warehouse=warehouse).warehouse_path


def _with_reader(path: Path, produce: Callable[[Any], bytes]) -> bytes:
    """``produce(reader)`` on a read-only WarehouseReader of ``path``, closed afterwards."""
    from dashboard.data.reader import WarehouseReader

    reader = WarehouseReader(path)
    try:
        return produce(reader)
    finally:
        reader.close()


def _check_out_suffix(out: Path | None, fmt: str, debug: bool,
                      allowed: dict[str, tuple[str, ...]] | None = None) -> None:
    """Refuse ``--out x.pdf`` with ``--format xlsx``: the file's suffix must say what is in it.

    Why: a workbook named ``.pdf`` opens as a broken PDF for the board member it is mailed to.
    A file with no suffix is left alone; ``allowed`` maps a format to the suffixes it may use
    instead of ``.<format>``.
    """
    if out is None or not out.suffix:
        return
    suffixes = (allowed or {}).get(fmt, (f".{fmt}",))
    if out.suffix.lower() not in suffixes:
        _fail(InputError(None, f"--out {out} ends in '{out.suffix}' but --format is {fmt}",
                         hint=f"name the file {out.with_suffix(suffixes[0]).name}, or pass the --format "
                              f"that matches '{out.suffix}'"), debug)


def _write(out: Path, content: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)


@app.command()
def profile(
    area: Annotated[str, typer.Option("--area", help="Area name or code (a unique part of the name will do).")],
    out: Annotated[Path, typer.Option("--out", help="File to write (the format follows --format).")],
    area_type: Annotated[str, typer.Option("--area-type", help="ward, council, intermediate_zone, locality, hscp, "
                                           "health_board, datazone or scotland.")] = "council",
    fmt: Annotated[str, typer.Option("--format", help="pdf, xlsx or csv.")] = "pdf",
    warehouse: WarehouseOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Export an area's outcomes profile as a board-ready PDF, an Excel workbook or CSV."""
    from etl.research import find_area

    if fmt not in ("pdf", "xlsx", "csv"):
        _fail(InputError(None, f"unknown format '{fmt}'", hint="use --format pdf, xlsx or csv"), debug)
    _check_out_suffix(out, fmt, debug)
    path = _warehouse_path(warehouse)
    try:
        match = find_area(path, area_type, area)
        from dashboard.exports import profile_file
        from etl.spend.store import SpendStore

        content = _with_reader(path, lambda reader: profile_file(reader, match.area_type, match.area_code, fmt,  # type: ignore[arg-type]
                                                                 spend_store=SpendStore(_settings().user_dir))[1])
    except Exception as exc:  # noqa: BLE001 - reported cleanly
        _fail(exc, debug)
        return
    _write(out, content)
    console.print(f"Profile of {match.area_name} ({match.area_type} {match.area_code}) written to {out} "
                  f"({len(content):,} bytes).")


@app.command("board-report")
def board_report(
    council: Annotated[str, typer.Option("--council", help="Council name or code (a unique part of the name will do).")],
    out: Annotated[Path, typer.Option("--out", help="File to write (the format follows --format).")],
    locality: Annotated[str | None, typer.Option("--locality", help="One of the council's localities or HSCP "
                                                 "localities (name or code); default: the whole council.")] = None,
    communities: Annotated[str | None, typer.Option("--communities", help="Communities in the RAG matrix: ward, "
                                                    "intermediate_zone or locality for a council; intermediate_zone "
                                                    "or datazone for a locality.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="pdf or xlsx.")] = "pdf",
    user_dir: Annotated[Path | None, typer.Option("--user-dir", help="Folder of officers' commentary "
                                                  "(default data/user).")] = None,
    warehouse: WarehouseOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Export the Dashboard's board report (exception report with commentary, RAG matrix) as PDF or Excel."""
    from etl.research import find_area

    if fmt not in ("pdf", "xlsx"):
        _fail(InputError(None, f"unknown format '{fmt}'", hint="use --format pdf or xlsx"), debug)
    _check_out_suffix(out, fmt, debug)
    settings = _settings(warehouse=warehouse, user_dir=user_dir.resolve() if user_dir else None)
    try:
        match = find_area(settings.warehouse_path, "council", council)
        area = _find_locality(settings.warehouse_path, locality, match.area_name) if locality else None
        if area is not None and area.council_name != match.area_name:
            raise InputError(None, f"locality '{area.area_name}' is not in {match.area_name}",
                             hint=f"it is in {area.council_name}")
        if communities is not None:
            from dashboard.logic.rag import child_types

            offered = child_types("locality" if area else "council")
            if communities not in offered:
                raise InputError(None, f"--communities {communities} is not offered here",
                                 hint=f"use one of: {', '.join(offered)}")
        from dashboard.data.commentary import CommentaryStore
        from dashboard.data.queries import Queries
        from dashboard.exports.board_report import board_report_file

        store = CommentaryStore(settings.user_dir)
        content = _with_reader(settings.warehouse_path, lambda reader: board_report_file(
            Queries(reader), match.area_code, area.area_code if area else None, communities, fmt, store=store)[1])
    except Exception as exc:  # noqa: BLE001 - reported cleanly
        _fail(exc, debug)
        return
    _write(out, content)
    where = f"{area.area_name} ({match.area_name})" if area else match.area_name
    console.print(f"Board report of {where} written to {out} ({len(content):,} bytes).")


@app.command()
def chart(
    area: Annotated[str, typer.Option("--area", help="Area name or code.")],
    indicator: Annotated[str, typer.Option("--indicator", help="Indicator id (see meta.indicators).")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    area_type: Annotated[str, typer.Option("--area-type", help="Area type, as for `cpop profile`.")] = "council",
    fmt: Annotated[str, typer.Option("--format", help="png (300 dpi) or svg.")] = "png",
    warehouse: WarehouseOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Export one indicator's trend chart for an area as a high-resolution PNG or an SVG."""
    from etl.research import find_area

    if fmt not in ("png", "svg"):
        _fail(InputError(None, f"unknown format '{fmt}'", hint="use --format png or svg"), debug)
    _check_out_suffix(out, fmt, debug)
    path = _warehouse_path(warehouse)
    try:
        match = find_area(path, area_type, area)
        from dashboard.data.reader import WarehouseReader
        from dashboard.exports import chart_file, profile_data

        reader = WarehouseReader(path)
        try:
            data = profile_data(reader, match.area_type, match.area_code)
        finally:
            reader.close()
        found = [i for i in data.indicators if i.indicator_id == indicator]
        if not found:
            raise InputError(None, f"unknown indicator '{indicator}'",
                             hint="use one of: " + ", ".join(i.indicator_id for i in data.indicators))
        _name, content = chart_file(found[0], fmt, area_name=match.area_name)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - reported cleanly
        _fail(exc, debug)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    console.print(f"Chart of {indicator} for {match.area_name} written to {out} ({len(content):,} bytes).")


@app.command()
def sql(
    statement: Annotated[str, typer.Argument(help="One read-only SQL statement, e.g. \"SELECT * FROM marts.areas\".")],
    fmt: Annotated[str, typer.Option("--format", help="table, csv or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file (needed for parquet).")] = None,
    limit: Annotated[int, typer.Option(help="Rows shown by --format table (all rows go to csv/parquet).")] = 50,
    allow_files: Annotated[bool, typer.Option("--allow-files", help="Let a SELECT read files (read_csv, "
                                              "read_parquet); without it the query sees the warehouse only.")] = False,
    warehouse: WarehouseOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Run a read-only SQL query on the warehouse; show a table or write CSV or Parquet.

    The query runs in DuckDB's sandbox: the warehouse is opened read-only with external access
    off and the configuration locked, and only a SELECT (also SHOW, DESCRIBE, SUMMARIZE), an
    EXPLAIN of one, or a PRAGMA that describes the database is accepted (DuckDB's parser says
    which), so a query can never change the warehouse, write a file or block a rebuild.
    """
    from etl.research import query, to_csv_frame, write_parquet

    if fmt not in ("table", "csv", "parquet"):
        _fail(InputError(None, f"unknown format '{fmt}'", hint="use --format table, csv or parquet"), debug)
    if fmt == "parquet" and out is None:
        _fail(InputError(None, "--format parquet needs --out FILE"), debug)
    _check_out_suffix(out, fmt, debug, allowed={"table": (".txt",)})
    try:
        result = query(_warehouse_path(warehouse), statement, allow_files=allow_files)
    except InputError as exc:
        _fail(exc, debug)
        return
    if fmt == "parquet":
        assert out is not None
        write_parquet(result, out)
        console.print(f"{result.num_rows:,} rows written to {out}")
    elif fmt == "csv":
        frame = to_csv_frame(result)
        if out is None:
            typer.echo(frame.to_csv(index=False), nl=False)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            frame.to_csv(out, index=False)
            console.print(f"{result.num_rows:,} rows written to {out}")
    else:
        table = Table(show_lines=False)
        for name in result.column_names:
            table.add_column(name)
        for row in result.slice(0, limit).to_pylist():
            table.add_row(*["NULL" if v is None else str(v) for v in row.values()])
        if out is not None:
            out.write_text(result.to_pandas().to_string(index=False) + "\n", encoding="utf-8")
        console.print(table)
        shown = min(limit, result.num_rows)
        console.print(f"{result.num_rows:,} row(s)" + (f", first {shown} shown (--limit)" if shown < result.num_rows
                                                       else ""))


@app.command("export-boundaries")
def export_boundaries_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write <area_type>.geojson / .parquet into.")],
    area_type: Annotated[list[str] | None, typer.Option("--area-type", help="Only this area type (repeatable).")] = None,
    fmt: Annotated[list[str] | None, typer.Option("--format", help="geojson or geoparquet (repeatable; default both).")] = None,
    warehouse: WarehouseOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write area boundaries (WGS84, with area_code and area_name) as GeoJSON and GeoParquet for GIS."""
    from geo.export import FORMATS, export_boundaries

    try:
        written = export_boundaries(_warehouse_path(warehouse), out_dir, list(area_type or []) or None,
                                    tuple(fmt or FORMATS))
    except InputError as exc:
        _fail(exc, debug)
        return
    _print_files(f"Boundary files in {out_dir}", "area type", "areas",
                 [(item.area_type, item.areas, item.path) for item in written])


@app.command("export-parquet")
def export_parquet_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write <schema>/<table>.parquet into.")],
    warehouse: WarehouseOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write every marts and meta table as Parquet (for R, Python or Spark); raw/staging/core are never exported."""
    from etl.research import export_parquet

    try:
        written = export_parquet(_warehouse_path(warehouse), out_dir)
    except InputError as exc:
        _fail(exc, debug)
        return
    _print_files(f"Parquet files in {out_dir}", "table", "rows", [(item.table, item.rows, item.path) for item in written])


def _print_files(title: str, what: str, count: str, rows: list[tuple[str, int, Path]]) -> None:
    """The files an export wrote, one row each: what, how many rows or areas, where."""
    table = Table(title=title)
    table.add_column(what)
    table.add_column(count, justify="right")
    table.add_column("file")
    for name, n, path in rows:
        table.add_row(name, f"{n:,}", str(path))
    console.print(table)


@app.command("schema-doc")
def schema_doc(
    warehouse: WarehouseOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Default docs/schema.md.")] = None,
    debug: DebugOpt = False,
) -> None:
    """Regenerate docs/schema.md from the warehouse's table and column comments (marts and meta)."""
    from etl.schema_doc import SCHEMA_DOC, write_schema_doc

    target = out or SCHEMA_DOC
    try:
        write_schema_doc(_warehouse_path(warehouse), target)
    except InputError as exc:
        _fail(exc, debug)
        return
    console.print(f"Wrote {target}")


if __name__ == "__main__":
    app()


@app.command()
def snapshot(
    source_dir: Annotated[Path, typer.Argument(help="Folder holding the publishers' files (e.g. ../shared/real).")],
    out: Annotated[Path | None, typer.Option("--out", help="Snapshot folder (default data/snapshot).")] = None,
    debug: DebugOpt = False,
) -> None:
    """Write the committed snapshot: the registered publisher files as compact Parquet, and manifest.yaml."""
    from etl.settings import PROJECT_ROOT
    from etl.snapshot import make_snapshot

    target = (out or _settings().snapshot_dir).resolve()
    if out is None and not target.is_relative_to(PROJECT_ROOT):
        _fail(InputError(target, "refusing to write the snapshot outside the project",
                         hint="pass --out explicitly to write there"), debug)
    with Progress(TextColumn("{task.description:<40.40}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task("snapshot", total=None)

        def tick(name: str, done: int, total: int) -> None:
            progress.update(task, description=name, completed=done, total=total)

        try:
            result = make_snapshot(source_dir, target, progress=tick)
        except InputError as exc:
            progress.stop()
            _fail(exc, debug)
            return
    sizes = Table(title=f"Snapshot in {target}")
    sizes.add_column("source")
    sizes.add_column("files", justify="right")
    sizes.add_column("MB", justify="right")
    for source, (files, size) in result.size_by_source().items():
        sizes.add_row(source, str(files), f"{size / 1e6:.2f}")
    console.print(sizes)
    for note in result.skipped:
        console.print(f"[yellow]Skipped:[/] {note}")
    for pattern in result.missing:
        console.print(f"[yellow]Not found under {source_dir}:[/] {pattern}")
    if result.unknown:
        console.print(f"Not part of the snapshot ({len(result.unknown)} files not in etl/sources/registry.yaml):")
        for relative in result.unknown:
            console.print(f"  {relative}", soft_wrap=True, highlight=False)
    for path in result.removed:
        console.print(f"Removed stale {path.relative_to(target)}")
    console.print(f"[green]Snapshot written:[/] {len(result.written)} files + manifest.yaml, "
                  f"total {result.total_bytes / 1e6:.2f} MB.")


from etl import cli_refresh  # noqa: E402,F401  (registers fetch and changes on the app)
