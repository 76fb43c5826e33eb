"""The build runner: raw files → side files of this build → checks → swap of the pair.

Why: a board must never see a half-built warehouse. Everything is written to this build's own
side file (``<internal>.building-<build_id>``); only when every stage and every check has
passed are the public tables (marts, meta) copied into a fresh public side file
(``<warehouse>.building-<build_id>``) and both are moved over the live pair with ``os.replace``
(atomic on one filesystem), internal first (``etl.warehouse_files`` says why two files, and how
a reader tells a mismatched pair). A failure leaves the live pair untouched.
SQL lives in ``etl/sql/<layer>/<table>.sql`` (file name = table name) and runs in the order
listed here, so the dependency order is visible in one place.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl import __version__
from etl.build_errors import SwapLost
from etl.build_lock import build_lock
from etl.catalogue import load_catalogue
from etl.checks import run_checks
from etl.disclosure import apply_complementary_suppression
from etl.disclosure_audit import audit, widen
from etl.disclosure_fallback import withhold_whole
from etl.errors import CheckFailed, InputError
from etl.fingerprint import fingerprint_path, inputs_fingerprint
from etl.frames import create_table
from etl.local.published import local_indicators, local_roots
from etl.marts import discover as discover_marts
from etl.meta import check_population_bands, write_catalogue, write_file_area_types
from etl.reference import write_reference_tables
from etl.settings import DEMO_MARKER, Settings
from etl.sources import (
    boundaries,
    localities,
    nrs_sape,
    postcodes,
    published,
    simd,
    statistics_gov_scot,
)
from etl.sources.area_types import build_file_area_types
from etl.sources.files import RawFile
from etl.sources.readers import PUBLISHER_READERS
from etl.sources.ward_boundaries import measure_ward_fit, ward_fit_note
from etl.validate import validate_codes, validate_mappings
from etl.warehouse_files import INTERNAL_BUILD_TABLE, PUBLIC_SCHEMAS

SQL_DIR = Path(__file__).resolve().parent / "sql"
log = logging.getLogger(__name__)
SCHEMA_VERSION = "4.2.0"
#: rounds of "hide one more cell beside each narrow one" before a failing disclosure audit fails the build
MAX_WIDENINGS = 5
SCHEMAS = ("raw", "staging", "core", "marts", "meta")
STAGING = ["simd__datazone", "simd__geography_lookup", "localities__membership", "nrs__population",
           "nrs__population_iz", "statistics_gov_scot__observations", "published__observations", "observations"]
CORE = ["dim_datazone", "bridge_datazone_area", "dim_area", "bridge_area_area", "bridge_area_parent", "dim_simd",
        "bridge_datazone_group", "fct_population_datazone", "fct_observation", "fct_indicator_feature",
        "fct_published_value"]
MARTS = ["areas", "datazone_areas", "datazone_simd", "indicator_sums", "computed_values", "indicator_values",
         "indicator_releases"]
# Written as views, not tables: a plain union of two staging tables, read in full by each reader,
# so a third 2-million-row copy of the observations would cost ~2 s of a real build and buy nothing.
VIEWS = {"staging.observations"}
# Working tables dropped from the public marts schema at publish time.
INTERNAL_TABLES = ["marts.indicator_sums", "marts.computed_values"]


@dataclass
class StageReport:
    """What one stage (or one step of a stage) did and cost (the bench prints these).

    ``cpu_seconds`` is the process's CPU time over the stage, all threads (DuckDB's too): on a
    shared machine it varies less than wall time. A step's ``peak_rss_mb`` is its stage's peak so far.
    """

    name: str
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float = 0.0


@dataclass
class BuildResult:
    """The outcome of a successful build."""

    build_id: str
    warehouse_path: Path
    stages: list[StageReport] = field(default_factory=list)
    steps: list[StageReport] = field(default_factory=list)  # each loader and each SQL table, in order
    table_rows: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.stages)


Progress = Callable[[str, int, int], None]  # stage name, step done, steps total


def _reset_peak_rss() -> None:
    """Reset the kernel's high-water mark so each stage's peak is its own (Linux only)."""
    try:
        Path(f"/proc/{os.getpid()}/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_rss_mb() -> float:
    try:
        for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_sql_file(con: duckdb.DuckDBPyConnection, layer: str, table: str) -> None:
    """Create ``<layer>.<table>`` from ``etl/sql/<layer>/<table>.sql`` (a view if it is in ``VIEWS``)."""
    sql = (SQL_DIR / layer / f"{table}.sql").read_text(encoding="utf-8")
    kind = "VIEW" if f"{layer}.{table}" in VIEWS else "TABLE"
    con.execute(f"CREATE OR REPLACE {kind} {layer}.{table} AS\n{sql}")


def build(settings: Settings, *, progress: Progress | None = None, demo: bool = False) -> BuildResult:
    """Build the warehouse from ``settings.raw_dir`` and swap it in atomically.

    Holds the warehouse's build lock for the whole run (``etl.build_lock``): a second build of the
    same warehouse raises ``BuildLocked`` at once and touches nothing.
    """
    with build_lock(settings.warehouse_path, settings.raw_dir) as stale:
        result = _build_locked(settings, progress=progress, demo=demo)
    if stale is not None:
        result.notes.append(f"a build lock left by a build that is no longer running ({stale.describe()}) "
                            "was taken over")
    return result


def _build_locked(settings: Settings, *, progress: Progress | None, demo: bool) -> BuildResult:
    tick: Progress = progress or (lambda stage, done, total: None)
    demo = demo or (settings.raw_dir / DEMO_MARKER).is_file()
    catalogue_dir = settings.catalogue_for(demo)
    if demo:  # the fictional country never mixes with the real snapshot
        settings = settings.model_copy(update={"use_snapshot": False})
    # published local partner datasets (etl/local/published.py): one more input root, before data/raw
    roots = [*settings.input_roots()[:-1], *local_roots(settings, demo), settings.raw_dir]
    result = BuildResult(build_id=uuid.uuid4().hex[:12], warehouse_path=settings.warehouse_path)
    target = settings.internal_building_path(result.build_id)
    public_target = settings.building_path(result.build_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    # under the lock no other build is running: side files left by killed builds are stale
    for live in (settings.warehouse_path, settings.internal_path):
        for stale in live.parent.glob(live.name + ".building*"):
            stale.unlink(missing_ok=True)
    started = datetime.now(UTC)
    con = duckdb.connect(str(target))
    background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cpop-build")  # the maps (below)
    try:
        con.execute(f"SET threads = {max(1, settings.threads)}")
        con.execute("SET memory_limit = ?", [settings.build_memory_limit])
        con.execute("SET preserve_insertion_order = true")
        for schema in SCHEMAS:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        files: list[RawFile] = []

        @contextmanager
        def stage(name: str) -> Iterator[None]:
            _reset_peak_rss()
            t0, cpu0 = time.perf_counter(), time.process_time()
            yield
            result.stages.append(StageReport(name, time.perf_counter() - t0, _peak_rss_mb(),
                                             time.process_time() - cpu0))

        @contextmanager
        def step(name: str) -> Iterator[None]:
            t0, cpu0 = time.perf_counter(), time.process_time()
            yield
            result.steps.append(StageReport(name, time.perf_counter() - t0, _peak_rss_mb(),
                                            time.process_time() - cpu0))

        with stage("catalogue"):
            indicators = load_catalogue(catalogue_dir) + local_indicators(settings, demo)
            check_population_bands(indicators, catalogue_dir)
            write_catalogue(con, indicators)
            write_reference_tables(con)
            con.execute((SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
            tick("catalogue", 1, 1)
        with stage("load raw files"):
            loaders = 5
            with step("load simd"):
                simd_files, notes = simd.load(con, roots)
                simd.validate(con)
            files += simd_files
            result.notes += notes
            tick("load raw files", 1, loaders)
            with step("load localities"):
                files += localities.load(con, roots)
            tick("load raw files", 2, loaders)
            with step("load nrs_sape"):
                files += nrs_sape.load(con, roots)
            tick("load raw files", 3, loaders)
            with step("load statistics_gov_scot"):
                files += statistics_gov_scot.load(con, roots)
            with step("load published"):
                files += published.load(con, roots, PUBLISHER_READERS)
            tick("load raw files", 4, loaders)
            with step("load boundaries"):
                boundary_files, datazone_polygons = boundaries.load(roots)
            files += boundary_files
            if datazone_polygons is None:
                result.notes.append("no data zone boundaries in data/raw/boundaries: maps are not available")
            tick("load raw files", 5, loaders)
        _run_layer(con, "staging", STAGING, tick, stage, step)
        with stage("validate codes"):
            validate_codes(con)
            result.notes += validate_mappings(con, indicators, catalogue_dir)
            tick("validate codes", 1, 1)
        with stage("geographies"):  # file-defined area types (best fit), the ward fit, the postcode lookup
            with step("file-defined area types"):
                extra = build_file_area_types(con, roots, catalogue_dir, datazone_polygons)
            # the lookup's wards measured against the ward boundaries, when supplied (no re-assignment)
            with step("ward fit"):
                ward_fit = measure_ward_fit(con, roots, catalogue_dir, datazone_polygons)
            files += extra.files + ward_fit.files + postcodes.load(con, settings.raw_dir)
            write_file_area_types(con, extra.built, extra.is_partition)
            result.notes += extra.notes + ward_fit.notes
            tick("geographies", 1, 1)
        _run_layer(con, "core", CORE, tick, stage, step)
        _run_layer(con, "marts", MARTS, tick, stage, step)
        # the maps are dissolved and simplified in a thread while the derived marts are built (GEOS and
        # DuckDB release the GIL): ~5 s of geometry off the critical path; stage "boundaries" waits for
        # it. Not earlier: stage "marts" has the build's highest memory peak.
        maps = background.submit(boundaries.web_boundaries, datazone_polygons,
                                 *boundaries.boundary_inputs(con, datazone_polygons))
        result.notes.append(ward_fit_note(con, ward_fit))
        # each indicator's newest release, for readers of the catalogue
        con.execute("""UPDATE meta.indicators AS i SET latest_release = r.release
                       FROM (SELECT indicator_id, max(source_release) AS release FROM marts.indicator_values
                             WHERE value IS NOT NULL GROUP BY ALL) AS r
                       WHERE r.indicator_id = i.indicator_id""")
        # The pre-suppression sums stay in core (not public): checks and user-made areas
        # (differencing control) read them after publication.
        con.execute("CREATE OR REPLACE TABLE core.agg_indicator_area AS SELECT * FROM marts.indicator_sums "
                    "ORDER BY area_type, area_code, indicator_id, period_label")
        run_sql_file(con, "core", "agg_indicator_totals")
        with stage("disclosure"):
            hidden = apply_complementary_suppression(con)
            result.notes.append(f"complementary suppression hid {hidden:,} further cells")
            # what stays hidden, per cell and per area: the differencing control of user-made areas
            run_sql_file(con, "core", "fct_hidden_cell")
            run_sql_file(con, "core", "agg_indicator_exposure")
            tick("disclosure", 1, 1)
        marts = discover_marts()
        if marts:
            with stage("derived marts"):
                for i, module in enumerate(marts, start=1):
                    with step(f"mart {module.__name__.rsplit('.', 1)[-1]}"):
                        module.build(con, settings)
                    tick("derived marts", i, len(marts))
        # the published deprivation groups' hidden parts, for the differencing control of user areas
        _write_group_exposure(con)
        with stage("disclosure audit"):
            result.notes.append(_audit_disclosure(con, settings, marts))
            tick("disclosure audit", 1, 1)
        with stage("boundaries"):
            boundaries.insert_area_boundaries(con, maps.result())
            tick("boundaries", 1, 1)
        with stage("checks"):
            warnings: dict = {}
            run_checks(con, progress=lambda done, total: tick("checks", done, total), warnings=warnings)
            result.notes += [f"check {name} (warning): {len(rows):,} row(s); `cpop check` lists them"
                             for name, rows in warnings.items()]
        with stage("publish"):
            for table in INTERNAL_TABLES:
                con.execute(f"DROP TABLE IF EXISTS {table}")
            _write_build_meta(con, result, files, started, demo)
            from etl.comments import apply_comments

            apply_comments(con)
            result.table_rows = {
                f"{s}.{t}": int(n)
                for s, t, n in con.execute(
                    "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() "
                    "WHERE schema_name IN ('marts', 'meta', 'core') ORDER BY 1, 2"
                ).fetchall()
            }
            publish_public(con, public_target, result.build_id)
            con.execute("CHECKPOINT")
            tick("publish", 1, 1)
    except BaseException:
        background.shutdown(wait=True, cancel_futures=True)
        con.close()
        for side in (target, public_target):
            for own in (side, side.with_name(side.name + ".wal")):
                own.unlink(missing_ok=True)
        raise
    background.shutdown(wait=True)
    con.close()
    fingerprint = inputs_fingerprint(settings, catalogue_dir)
    # internal first: a reader opening between the two moves sees a new internal file beside the old
    # public one, which etl.warehouse_files refuses (different build ids) and the dashboard waits out
    swap_in(target, settings.internal_path)
    swap_in(public_target, settings.warehouse_path)
    fingerprint_path(settings).write_text(fingerprint + "\n", encoding="utf-8")
    return result


#: The row order of the big marts in the public file. DuckDB skips the row groups whose range of
#: a column cannot hold a filter's value, so each table is ordered by area type first, then by
#: indicator and area: one area's rows (every page's profile, tiles and comparisons) then lie in
#: the row groups of its area type, not in all of them, and one indicator's areas of one type
#: (rank charts, maps, tables) stay together as before. Halved the quick profile's reads at
#: Scotland scale (``make bench``).
PUBLIC_ORDER = {
    "marts.indicator_values": "area_type, indicator_id, area_code, period_year",
    "marts.trend": "area_type, indicator_id, area_code",
    "marts.comparisons": "area_type, indicator_id, area_code, period_year, comparator",
}


def publish_public(con: duckdb.DuckDBPyConnection, public: Path, build_id: str) -> None:
    """Copy marts and meta into the fresh public file ``public``; leave raw, staging and core behind.

    Why: researchers open the public file, and counts before disclosure control must not be in
    it, not even in freed pages of a file whose internal schemas were dropped: so the public file
    is a new database that only ever received the public tables (with their comments). The
    internal file keeps raw, staging and core and a stamp of the same build id
    (``core.build_stamp``), and loses marts and meta (the dashboard reads those from the public file).
    """
    from etl.comments import apply_comments

    con.execute(f"CREATE OR REPLACE TABLE {INTERNAL_BUILD_TABLE} AS SELECT ?::VARCHAR AS build_id", [build_id])
    here = con.execute("SELECT current_database()").fetchall()[0][0]
    con.execute(f"ATTACH '{str(public).replace(chr(39), chr(39) * 2)}' AS cpop_public")
    try:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
                             "AND schema_name IN ('marts', 'meta') ORDER BY 1, 2", [here]).fetchall()
        for schema in PUBLIC_SCHEMAS:
            con.execute(f"CREATE SCHEMA cpop_public.{schema}")
        for schema, table in tables:
            order = PUBLIC_ORDER.get(f"{schema}.{table}")
            con.execute(f'CREATE TABLE cpop_public.{schema}."{table}" AS SELECT * FROM "{here}".{schema}."{table}"'
                        + (f" ORDER BY {order}" if order else ""))
        con.execute("USE cpop_public")
        try:
            apply_comments(con)
        finally:
            con.execute(f'USE "{here}"')
        con.execute("CHECKPOINT cpop_public")
    finally:
        con.execute("DETACH cpop_public")
    for schema in PUBLIC_SCHEMAS:
        con.execute(f"DROP SCHEMA {schema} CASCADE")


def _audit_disclosure(con: duckdb.DuckDBPyConnection, settings: Settings, marts: list) -> str:
    """Audit every withheld cell (``etl.disclosure_audit``); widen and redo disclosure until it passes.

    Why: complementary suppression follows local rules; the audit reads everything published at
    once. Where it finds a cell too narrow, one more cell is hidden beside it and everything
    built from the suppression pattern (hidden cells, exposures, derived marts) is made again.
    If that does not settle in ``MAX_WIDENINGS`` rounds (or widening finds no cell to hide), the
    indicator periods still narrow are withheld whole (``etl.disclosure_fallback``: provably safe,
    named in the build notes) and audited again; only if that too left a cell narrow would the
    build fail (``CheckFailed``: the live warehouse is untouched) naming the cells.
    """
    # ends: each round widens (at most MAX_WIDENINGS times), withholds a period not withheld
    # before (there are finitely many), returns or raises
    widened, whole, attempt = 0, set(), -1
    while True:
        attempt += 1
        found = audit(con, group_pairs=True)
        log.info("disclosure audit round %d: %d narrow cells", attempt + 1, len(found.narrow))
        if not found.narrow:
            return (f"disclosure audit: {found.cells:,} withheld cells, none narrower than the rule allows"
                    + (f" ({widened:,} more cells hidden to get there)" if widened else "")
                    + (f"; widening did not settle, so every value of {len(whole):,} indicator period(s) was "
                       f"withheld: {', '.join(f'{i} {p}' for i, p in sorted(whole))}" if whole else ""))
        hidden = widen(con, found.narrow) if attempt < MAX_WIDENINGS else 0
        stuck = {(n.indicator_id, n.period_label) for n in found.narrow} - whole
        if not hidden and stuck:  # the last resort: withhold those periods whole
            whole |= stuck
            hidden = withhold_whole(con, stuck)
        if not hidden:
            rows = [(n.indicator_id, n.period_label, n.cell, n.lo, n.hi, n.required) for n in found.narrow]
            raise CheckFailed({"disclosure_audit": rows[:20]},
                              {"disclosure_audit": ["indicator_id", "period_label", "withheld cell",
                                                    "reader's lowest", "reader's highest", "range needed"]})
        widened += hidden + apply_complementary_suppression(con)
        run_sql_file(con, "core", "fct_hidden_cell")
        run_sql_file(con, "core", "agg_indicator_exposure")
        for module in marts:
            module.build(con, settings)
        _write_group_exposure(con)


def swap_in(own: Path, live: Path) -> None:
    """Move this build's own side file over the live warehouse, and prove it is the one now live.

    Why: "Warehouse ready" must mean this build's file is what readers open. ``os.replace`` is
    atomic; the inode check after it guards against any other writer (there should be none under
    the build lock).
    """
    inode = own.stat().st_ino
    os.replace(own, live)
    if live.stat().st_ino != inode:
        raise SwapLost(live)


def _write_group_exposure(con: duckdb.DuckDBPyConnection) -> None:
    """``core.agg_group_exposure``, empty (same columns) when no inequality mart was built."""
    has_groups = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts' "
                             "AND table_name = 'inequality_groups'").fetchall()[0][0]
    if has_groups:
        run_sql_file(con, "core", "agg_group_exposure")
        return
    con.execute("""CREATE OR REPLACE TABLE core.agg_group_exposure (simd_edition VARCHAR, family VARCHAR,
        indicator_id VARCHAR, period_label VARCHAR, is_visible BOOLEAN, hidden_cells BIGINT,
        hidden_numerator DOUBLE, hidden_complement DOUBLE)""")


def _run_layer(con: duckdb.DuckDBPyConnection, layer: str, tables: list[str], tick: Progress,
               stage, step) -> None:  # noqa: ANN001
    with stage(layer):
        for i, table in enumerate(tables, start=1):
            try:
                with step(f"{layer}.{table}"):
                    run_sql_file(con, layer, table)
            except duckdb.Error as exc:
                # the raw files were checked at the edge; what remains is a value DuckDB cannot use
                raise InputError(None, f"building {layer}.{table} failed: {str(exc).splitlines()[0]}",
                                 hint="the value quoted is in a raw file of that source (docs/data-formats.md "
                                      "says which); fix it and rebuild, or run `cpop build --debug` for details") from exc
            tick(layer, i, len(tables))


def _write_build_meta(con: duckdb.DuckDBPyConnection, result: BuildResult, files: list[RawFile],
                      started: datetime, demo: bool) -> None:
    import pandas as pd

    sources = pd.DataFrame(
        [(f.source, f.release, f.path.name, str(f.path), f.size_bytes, f.sha256()) for f in files],
        columns=["source", "release", "file_name", "file_path", "size_bytes", "sha256"],
    )
    create_table(con, "meta.sources", sources)
    con.execute(
        "CREATE OR REPLACE TABLE meta.build_info AS SELECT ? AS build_id, ?::TIMESTAMPTZ AS built_at, "
        "? AS code_version, ? AS schema_version, ? AS demo, ? AS duration_s, ? AS duckdb_version, "
        "(SELECT list({'source': source, 'release': release, 'file_name': file_name, 'size_bytes': size_bytes, "
        "'sha256': sha256} ORDER BY source, release, file_name) FROM meta.sources) AS sources",
        [result.build_id, started, __version__, SCHEMA_VERSION, demo,
         round(sum(s.seconds for s in result.stages), 2), duckdb.__version__],
    )
