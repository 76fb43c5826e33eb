"""The committed snapshot of the publishers' files: ``cpop snapshot SOURCE_DIR``.

Why: real published Scottish data is the product, so it ships in the repository, but the
publishers' own files are large (workbooks, GeoJSON) and some may not be redistributed as they
are. The snapshot keeps, per original file named in ``etl/sources/registry.yaml``, exactly what
the build reads from it, compactly (Parquet, zstd), in ``data/snapshot/<source>/<release>/``:

* ``table``: a CSV, or the one sheet of a workbook a loader reads, as the original's columns
  with every value text (``<name>.snapshot.parquet``). The loaders read it wherever they read
  the CSV (``etl.sources.files``: ``find_files``, ``csv_header``, ``land_csv``,
  ``read_text_table``), so landing the snapshot equals landing the original.
* ``publisher``: the canonical tables of the source's ``PublisherReader``
  (``etl.sources.published.write_snapshot_tables``).
* ``boundaries``: the polygon layer as GeoParquet, geometry exactly as published.

``manifest.yaml`` records, per original, where it came from and its fingerprint, sorted and
without timestamps: the same inputs give the same files.
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib
import importlib.util
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from etl.errors import InputError
from etl.sources.files import SNAPSHOT_SUFFIX, sql_literal, text_table_sql
from etl.sources.published import PublisherReader, check_table, write_snapshot_tables

REGISTRY_FILE = Path(__file__).resolve().parent / "sources" / "registry.yaml"
MANIFEST_FILE = "manifest.yaml"
#: Bump when a conversion changes (what is stored, or how), so a stale snapshot shows in its manifest.
SNAPSHOT_FORMAT = 1
#: zstd level for every snapshot file: the files are written once and read at every build.
ZSTD_LEVEL = 19
TABLE_SUFFIXES = (".csv", ".xlsx")
LAYER_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".parquet")
_RELEASE = r"^\d{4}(-\d{2}|v\d+)?$"
Kind = Literal["table", "publisher", "boundaries"]
Progress = Callable[[str, int, int], None]


# ---------------------------------------------------------------------------------------------
# the registry


class RetrievedFrom(BaseModel):
    """Where the copy of an original came from (``../shared/real/PROVENANCE.md``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    repository: str = Field(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    commit: str = Field(pattern=r"^[0-9a-f]{40}$")
    path: str = Field(min_length=1)


class RegistryEntry(BaseModel):
    """One publisher file the snapshot ships (see the comments at the top of registry.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str = Field(min_length=1)
    source: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    release: str = Field(pattern=_RELEASE)
    release_basis: str = Field(min_length=1)
    kind: Kind
    sheet: str | None = None
    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    vintage: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    retrieved_from: RetrievedFrom
    licence: str = Field(min_length=1)
    attribution: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> RegistryEntry:
        suffix = Path(self.pattern).suffix.lower()
        if self.kind == "table" and suffix not in TABLE_SUFFIXES:
            raise ValueError(f"a table is a .csv or one sheet of an .xlsx, not '{suffix or self.pattern}'")
        if self.kind == "boundaries" and suffix not in LAYER_SUFFIXES:
            raise ValueError(f"boundaries are a polygon layer ({', '.join(LAYER_SUFFIXES)}), not '{suffix}'")
        if self.sheet is not None and not (self.kind == "table" and suffix == ".xlsx"):
            raise ValueError("sheet is only for kind: table from an .xlsx workbook")
        if self.kind == "table" and suffix == ".xlsx" and self.sheet is None:
            raise ValueError("a table from a workbook names its sheet (sheet: ...)")
        return self

    def matches(self, name: str) -> bool:
        return fnmatch.fnmatchcase(name, self.pattern)


class Registry(BaseModel):
    """``etl/sources/registry.yaml``: publisher readers, attribution texts and the known files."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    readers: dict[str, str] = Field(default_factory=dict)
    attributions: dict[str, str] = Field(default_factory=dict)
    files: list[RegistryEntry]

    @field_validator("readers")
    @classmethod
    def _modules(cls, value: dict[str, str]) -> dict[str, str]:
        for source, module in value.items():
            if not re.fullmatch(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)+", module):
                raise ValueError(f"reader of '{source}': '{module}' is not a module path like etl.sources.cpop")
        return value

    @model_validator(mode="after")
    def _cross_checks(self) -> Registry:
        seen: dict[str, str] = {}
        for entry in self.files:
            where = f"files[{entry.pattern}]"
            if entry.pattern in seen:
                raise ValueError(f"{where}: the pattern is listed twice")
            seen[entry.pattern] = entry.source
            if entry.kind == "publisher" and entry.source not in self.readers:
                raise ValueError(f"{where}: kind publisher, but source '{entry.source}' has no reader in readers")
            unknown = [a for a in entry.attribution if a not in self.attributions]
            if unknown:
                raise ValueError(f"{where}: attribution '{unknown[0]}' is not in attributions")
        return self


def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    """Read and validate the registry; a bad field stops with the file and the entry to fix."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(path, f"cannot read the snapshot registry ({exc})", hint="fix the YAML syntax") from exc
    try:
        return Registry.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = list(first["loc"])
        if loc[:1] == ["files"] and len(loc) > 1 and isinstance(loc[1], int):
            items = (raw or {}).get("files") or []
            if loc[1] < len(items) and isinstance(items[loc[1]], dict):
                loc[1] = f"[{items[loc[1]].get('pattern', loc[1])}]"
        where = ".".join(str(p) for p in loc).replace(".[", "[")
        message = f"field '{where}': {first['msg']}" if where else str(first["msg"]).removeprefix("Value error, ")
        raise InputError(path, message, column=where or None,
                         hint="see the comments at the top of etl/sources/registry.yaml") from exc


def load_reader(source: str, module_name: str) -> PublisherReader | None:
    """The ``READER`` of ``module_name``, or None while that module does not exist yet.

    Only a module that is absent is tolerated (the readers of some sources are still being
    written); a module that exists but fails to import, or has no fitting ``READER``, is an error.
    """
    if importlib.util.find_spec(module_name) is None:
        return None
    reader = getattr(importlib.import_module(module_name), "READER", None)
    if not isinstance(reader, PublisherReader) or reader.source != source:
        raise InputError(None, f"{module_name}.READER is not a PublisherReader for source '{source}'",
                         hint="expose READER = PublisherReader(source=..., suffixes=..., read=...)")
    return reader


# ---------------------------------------------------------------------------------------------
# matching files under SOURCE_DIR


@dataclass(frozen=True)
class Match:
    """An original file under SOURCE_DIR and the registry entry it is."""

    path: Path
    relative: str
    entry: RegistryEntry

    @property
    def folder(self) -> str:
        """``<source>/<release>`` inside the snapshot."""
        return f"{self.entry.source}/{self.entry.release}"

    @property
    def snapshot_name(self) -> str:
        return self.path.name + SNAPSHOT_SUFFIX


@dataclass
class Plan:
    """What a snapshot of SOURCE_DIR will hold, before anything is converted."""

    matches: list[Match] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # files under SOURCE_DIR not in the registry
    missing: list[str] = field(default_factory=list)  # registry patterns with no file under SOURCE_DIR


def _walk(source_dir: Path) -> list[Path]:
    return sorted((p for p in source_dir.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(source_dir).parts)),
                  key=lambda p: p.relative_to(source_dir).as_posix())


def plan(source_dir: Path, registry: Registry) -> Plan:
    """Match every file under ``source_dir`` against the registry (by file name).

    A file matching two entries, or two files matching one entry, is an error: the snapshot
    would not know which original it holds.
    """
    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        raise InputError(source_dir, "the source folder does not exist",
                         hint="give the folder holding the publishers' files, e.g. ../shared/real")
    result = Plan()
    by_entry: dict[str, Match] = {}
    for path in _walk(source_dir):
        relative = path.relative_to(source_dir).as_posix()
        entries = [e for e in registry.files if e.matches(path.name)]
        if not entries:
            result.unknown.append(relative)
            continue
        if len(entries) > 1:
            raise InputError(path, f"matches several registry entries ({', '.join(e.pattern for e in entries)})",
                             hint="make the patterns in etl/sources/registry.yaml tell the files apart")
        entry = entries[0]
        if entry.pattern in by_entry:
            raise InputError(path, f"registry entry '{entry.pattern}' also matches {by_entry[entry.pattern].relative}",
                             hint="keep one copy of each original under the source folder")
        by_entry[entry.pattern] = Match(path, relative, entry)
    result.matches = sorted(by_entry.values(), key=lambda m: (m.folder, m.path.name))
    names = [(m.folder, m.snapshot_name) for m in result.matches]
    if len(set(names)) != len(names):
        clash = next(n for n in names if names.count(n) > 1)
        raise InputError(None, f"two originals would both be written to {clash[0]}/{clash[1]}",
                         hint="give them different releases in etl/sources/registry.yaml")
    result.missing = [e.pattern for e in registry.files if e.pattern not in by_entry]
    return result


# ---------------------------------------------------------------------------------------------
# converting one original


@dataclass(frozen=True)
class Written:
    """One snapshot file written: its path inside the snapshot, rows, and (publisher) datasets."""

    file: str
    rows: int
    columns: int
    datasets: dict[str, int] | None = None


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET threads = 1")  # one writer thread: the same bytes every time
    con.execute("SET preserve_insertion_order = true")
    return con


def _copy_to_parquet(con: duckdb.DuckDBPyConnection, select: str, out: Path) -> tuple[int, int]:
    out.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY ({select}) TO {sql_literal(str(out))} "
                f"(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL {ZSTD_LEVEL})")
    stored = f"read_parquet({sql_literal(str(out))})"
    rows = con.execute(f"SELECT count(*) FROM {stored}").fetchall()[0][0]
    columns = len(con.execute(f"DESCRIBE SELECT * FROM {stored}").fetchall())
    return int(rows), columns


def read_sheet(path: Path, sheet: str) -> pd.DataFrame:
    """One sheet of a workbook as text, as the loaders read it (empty rows dropped)."""
    try:
        frame = pd.read_excel(path, sheet_name=sheet, dtype=str, engine="openpyxl")
    except ValueError as exc:
        raise InputError(path, f"no sheet '{sheet}' ({exc})", hint="fix sheet: in etl/sources/registry.yaml") from exc
    frame = frame.dropna(how="all").reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    return frame.astype("string")


def convert_table(match: Match, out: Path) -> tuple[int, int]:
    """A CSV read exactly as ``land_csv`` reads it, or one sheet of a workbook, as text Parquet."""
    con = _connect()
    try:
        if match.entry.sheet is None:
            try:
                return _copy_to_parquet(con, f"SELECT * FROM {text_table_sql(match.path)}", out)
            except duckdb.Error as exc:
                raise InputError(match.path, f"cannot be read as CSV ({str(exc).splitlines()[0]})") from exc
        con.register("_sheet", read_sheet(match.path, match.entry.sheet))
        return _copy_to_parquet(con, "SELECT * FROM _sheet", out)
    finally:
        con.close()


def convert_boundaries(match: Match, out: Path) -> tuple[int, int]:
    """A polygon layer as GeoParquet, geometry and properties as published.

    Why not fewer decimals: the build's web simplification keeps almost every vertex of the
    already simplified layers (267,497 of 267,692 data zone vertices at 50 m), at 6 decimal
    places (about 0.1 m). Rounding to 1 m (British National Grid) breaks the data zones' shared
    edges (the coverage becomes invalid and the maps fall back to polygon-by-polygon
    simplification); 0.1 m saves a third of the data zones' 1.8 MB but moves the maps and the
    ward fits away from those built from the originals. zstd at level 19 stores the published
    geometry losslessly in 1.8 MB instead of 8.1 MB of GeoJSON.
    """
    import geopandas as gpd

    try:
        layer = gpd.read_file(match.path, engine="pyogrio")
    except Exception as exc:  # noqa: BLE001 - any unreadable layer is the same user error
        raise InputError(match.path, f"cannot be read as a polygon layer ({exc})") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    layer.to_parquet(out, index=False, compression="zstd", compression_level=ZSTD_LEVEL)
    return len(layer), len(layer.columns)


def convert_publisher(match: Match, out: Path, reader: PublisherReader) -> Written:
    """The reader's canonical tables of one original, checked against the contract."""
    tables = reader.read(match.path)
    for table in tables:
        check_table(table, match.path)
    write_snapshot_tables(tables, out)
    datasets = {t.dataset: len(t.frame) for t in tables}
    columns = len(pd.read_parquet(out).columns) if tables else 0
    return Written(f"{match.folder}/{out.name}", sum(datasets.values()), columns, dict(sorted(datasets.items())))


# ---------------------------------------------------------------------------------------------
# the whole snapshot


@dataclass
class SnapshotResult:
    """What ``make_snapshot`` did: the manifest it wrote and the notes to print."""

    out: Path
    manifest: dict
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def size_by_source(self) -> dict[str, tuple[int, int]]:
        """``{source: (files, bytes)}`` of the snapshot files written."""
        sizes: dict[str, tuple[int, int]] = {}
        for path in self.written:
            source = path.relative_to(self.out).parts[0]
            files, size = sizes.get(source, (0, 0))
            sizes[source] = (files + 1, size + path.stat().st_size)
        return dict(sorted(sizes.items()))

    @property
    def total_bytes(self) -> int:
        return sum(p.stat().st_size for p in [*self.written, self.out / MANIFEST_FILE])


def code_version() -> str:
    """The cpop version and snapshot format: what a rerun must match to give the same files."""
    try:
        cpop = version("cpop")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        cpop = "unknown"
    return f"cpop {cpop}, snapshot format {SNAPSHOT_FORMAT}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_snapshot(source_dir: Path, out: Path, *, registry: Registry | None = None,
                  readers: dict[str, PublisherReader | None] | None = None,
                  progress: Progress | None = None) -> SnapshotResult:
    """Convert every registered file under ``source_dir`` into ``out``, and write the manifest.

    ``readers`` overrides the registry's reader modules (tests pass a fake reader); a source
    whose reader is None (module not written yet) has its files skipped with a note. Snapshot
    files under ``out`` that this run did not write (an old release) are removed; nothing else
    in ``out`` is touched.
    """
    registry = registry or load_registry()
    tick = progress or (lambda name, done, total: None)
    todo = plan(source_dir, registry)
    out = Path(out)
    if readers is None:
        readers = {source: load_reader(source, module) for source, module in sorted(registry.readers.items())}
    result = SnapshotResult(out=out, manifest={}, unknown=todo.unknown, missing=todo.missing)
    originals: list[dict] = []
    for i, match in enumerate(todo.matches, start=1):
        tick(match.relative, i - 1, len(todo.matches))
        entry = match.entry
        target = out / entry.source / entry.release / match.snapshot_name
        if entry.kind == "publisher":
            reader = readers.get(entry.source)
            if reader is None:
                module = registry.readers.get(entry.source, "?")
                result.skipped.append(f"{match.relative}: reader {module} is not written yet")
                continue
            written = convert_publisher(match, target, reader)
        else:
            convert = convert_table if entry.kind == "table" else convert_boundaries
            rows, columns = convert(match, target)
            written = Written(f"{match.folder}/{target.name}", rows, columns)
        result.written.append(target)
        originals.append(_manifest_entry(match, written, registry))
    tick("manifest", len(todo.matches), len(todo.matches))
    result.removed = _remove_stale(out, set(result.written))
    result.manifest = {
        "about": "The publishers' files in cpop's committed snapshot, written by `cpop snapshot` from "
                 "etl/sources/registry.yaml. Do not edit: run `make snapshot`.",
        "code_version": code_version(),
        "originals": sorted(originals, key=lambda o: (o["source"], o["release"], o["original"])),
        "skipped": sorted(result.skipped),
        "not_in_registry": sorted(result.unknown),
        "not_found": sorted(result.missing),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST_FILE).write_text(yaml.safe_dump(result.manifest, sort_keys=False, allow_unicode=True,
                                                    width=100), encoding="utf-8")
    return result


def _manifest_entry(match: Match, written: Written, registry: Registry) -> dict:
    entry = match.entry
    snapshot: dict = {"file": written.file, "rows": written.rows, "columns": written.columns}
    if written.datasets is not None:
        snapshot["datasets"] = written.datasets
    return {
        "source": entry.source,
        "release": entry.release,
        "original": match.path.name,
        "original_path": match.relative,
        "size_bytes": match.path.stat().st_size,
        "sha256": _sha256(match.path),
        "kind": entry.kind,
        **({"sheet": entry.sheet} if entry.sheet else {}),
        "publisher": entry.publisher,
        "title": entry.title,
        "vintage": entry.vintage,
        "release_basis": entry.release_basis,
        "url": entry.url,
        "retrieved_from": entry.retrieved_from.model_dump(),
        "licence": entry.licence,
        "attribution": [registry.attributions[a] for a in entry.attribution],
        "snapshot": [snapshot],
    }


def _remove_stale(out: Path, keep: set[Path]) -> list[Path]:
    """Delete snapshot files this run did not write, then folders left empty."""
    if not out.is_dir():
        return []
    stale = sorted(p for p in out.rglob(f"*{SNAPSHOT_SUFFIX}") if p not in keep)
    for path in stale:
        path.unlink()
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return stale


def snapshot_files(out: Path) -> Iterable[Path]:
    """Every snapshot file under ``out``, sorted (for size checks and comparisons)."""
    return sorted(Path(out).rglob(f"*{SNAPSHOT_SUFFIX}"))
