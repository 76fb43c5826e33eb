"""Finding, fingerprinting and safely reading raw files.

Why: every loader needs the same guarantees — a clear error naming the file, row and column
for a missing file, an empty file, a wrong encoding or a misspelt column — and every file
used is recorded (size, sha256, release) in ``meta.sources`` for provenance.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import duckdb
import pandas as pd

from etl.errors import InputError
from etl.sources.csv_shape import check_csv_rows, open_text
from etl.sources.limits import check_raw_file

if TYPE_CHECKING:
    import pyarrow as pa

#: Suffix of a snapshot file (``cpop snapshot``): ``<original file name>.snapshot.parquet``. A loader
#: that reads ``X.csv`` (or one sheet of ``X.xlsx``) reads ``X.csv.snapshot.parquet`` alike: the
#: original's columns, every value as text.
SNAPSHOT_SUFFIX = ".snapshot.parquet"


@dataclass(frozen=True)
class RawFile:
    """A landed file: which source and release it belongs to, and its fingerprint."""

    source: str
    release: str
    path: Path

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size

    def sha256(self) -> str:
        return sha256_of(self.path)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks (provenance of landed and fetched files)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_snapshot(path: Path) -> bool:
    """True for a snapshot file (``<original name>.snapshot.parquet``)."""
    return Path(path).name.endswith(SNAPSHOT_SUFFIX)


def original_name(path: Path) -> str:
    """The publisher's file name: ``X.csv`` for ``X.csv.snapshot.parquet``, else the name itself."""
    name = Path(path).name
    return name[: -len(SNAPSHOT_SUFFIX)] if name.endswith(SNAPSHOT_SUFFIX) else name


def file_suffix(path: Path) -> str:
    """The suffix a loader matches, lower case: the original's (``.csv``) for a snapshot file, and
    the inner one for a gzip-compressed file (``X.csv.gz`` is read as ``.csv``, by DuckDB directly)."""
    name = original_name(path).lower()
    if name.endswith(".gz"):
        name = name[: -len(".gz")]
    return Path(name).suffix


def file_stem(path: Path) -> str:
    """The original's name without its suffixes: ``births`` for births.csv, births.csv.gz or its snapshot."""
    name = original_name(path)
    if name.lower().endswith(".gz"):
        name = name[: -len(".gz")]
    return Path(name).stem


def release_dirs(roots: Path | Sequence[Path], source: str) -> list[tuple[str, Path]]:
    """``(release, folder)`` of one source across input roots, oldest release first.

    ``roots`` is ``data/raw`` or a list such as ``[data/snapshot, data/raw]``: a release folder
    in a later root replaces the same release of an earlier one (files an officer drops into
    ``data/raw/<source>/<release>/`` win over the committed snapshot of that release).
    """
    chosen: dict[str, Path] = {}
    for root in [roots] if isinstance(roots, Path | str) else roots:
        source_dir = Path(root) / source
        if source_dir.is_dir():
            for release_dir in source_dir.iterdir():
                if release_dir.is_dir() and not release_dir.name.startswith("."):
                    chosen[release_dir.name] = release_dir
    return sorted(chosen.items())


def raw_root(roots: Path | Sequence[Path]) -> Path:
    """The folder an officer puts files in (the last input root), for messages."""
    return Path(roots) if isinstance(roots, Path | str) else Path(list(roots)[-1])


def find_files(raw_dir: Path | Sequence[Path], source: str, suffixes: Sequence[str], *,
               required: bool = True) -> list[RawFile]:
    """Files of one source, ``<root>/<source>/<release>/*<suffix>``, oldest release first.

    ``raw_dir`` is one root or several (see ``release_dirs``). A snapshot file counts as its
    original: ``X.csv.snapshot.parquet`` matches ``.csv`` (see ``file_suffix``).
    """
    found: list[RawFile] = []
    for release, release_dir in release_dirs(raw_dir, source):
        for path in sorted(release_dir.iterdir()):
            if path.is_file() and file_suffix(path) in suffixes and not path.name.startswith((".", "~$")):
                check_raw_file(path)  # size, workbook and gzip limits, before any reader opens it
                found.append(RawFile(source, release, path))
    if required and not found:
        source_dir = raw_root(raw_dir) / source
        raise InputError(
            source_dir,
            f"no {'/'.join(suffixes)} files found for source '{source}'",
            hint=f"put the files in {source_dir}/<release>/ (see docs/data-formats.md); for the fictional demo, "
            "`cpop demo` writes its raw files to data/demo/raw: build that folder with --raw-dir data/demo/raw",
        )
    return found


def check_text_file(path: Path) -> None:
    """Fail clearly on an empty file or one that is not UTF-8 (the row of the first bad byte).

    A snapshot file is checked to be a readable Parquet file instead.
    """
    if is_snapshot(path):
        _snapshot_columns(path)
        return
    with open_binary(path) as handle:
        data = handle.read()
    if not data.strip():
        raise InputError(path, "the file is empty", hint="download the file again; it has no rows")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read)",
            row=row,
            hint="save it as 'CSV UTF-8' (in Excel: Save As > CSV UTF-8) and rebuild",
        ) from exc
    if data.count(b"\n") < 1 and b"," not in data:
        raise InputError(path, "the file has a header but no data rows", hint="download the file again")


def require_columns(path: Path, found: Iterable[str], required: Iterable[str]) -> None:
    """Every required column is present; suggest the closest name for a misspelt one."""
    found_list = [str(c) for c in found]
    for column in required:
        if column not in found_list:
            close = difflib.get_close_matches(column, found_list, n=1, cutoff=0.6)
            hint = f"rename column '{close[0]}' to '{column}'" if close else (
                f"the file must have a '{column}' column (see docs/data-formats.md)"
            )
            raise InputError(
                path,
                f"required column '{column}' is missing (columns found: {', '.join(found_list[:12])}"
                f"{', …' if len(found_list) > 12 else ''})",
                row=1,
                column=column,
                hint=hint,
            )


def _snapshot_columns(path: Path) -> list[str]:
    return list(snapshot_schema(path).names)


def snapshot_schema(path: Path) -> pa.Schema:
    """The Arrow schema of a snapshot file (column names and types), or InputError if unreadable."""
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(path)
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot be read as a snapshot Parquet file ({exc})",
                         hint="run `cpop snapshot` again, or put the publisher's original file in data/raw") from exc


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV (read with the csv module: no type sniffing needed).

    For a snapshot file, its columns (the original's header).
    """
    if is_snapshot(path):
        return [c.strip() for c in _snapshot_columns(path)]
    check_text_file(path)
    with open_text(path) as handle:
        try:
            return [c.strip() for c in next(csv.reader(handle))]
        except (StopIteration, csv.Error) as exc:
            raise InputError(path, f"cannot read the header row ({exc})", row=1,
                             hint="check it is a comma-separated file with one header row") from exc


def text_table_sql(path: Path) -> str:
    """The DuckDB table function reading a CSV (or its snapshot) as text, header as column names.

    Why: ``land_csv`` and ``cpop snapshot`` must read a CSV identically, so that landing the
    snapshot of a CSV gives the same raw table as landing the CSV itself.
    """
    literal = sql_literal(str(path))
    if is_snapshot(path):
        return f"read_parquet({literal})"
    return (f"read_csv({literal}, all_varchar = true, header = true, auto_detect = true, "
            "null_padding = true, strict_mode = false)")


def read_text_table(path: Path) -> pd.DataFrame:
    """A CSV (or its snapshot) as a DataFrame of text, for loaders that work in pandas.

    Read by DuckDB exactly as ``land_csv`` reads it (same column names, a heading-less column
    named ``column<i>``): every value text as written, an empty cell missing (NaN); no other
    word ("NA", "null") is taken for a missing value.
    """
    check_text_file(path)
    con = duckdb.connect()
    try:
        frame = con.execute(f"SELECT * FROM {text_table_sql(path)}").df()
    except duckdb.Error as exc:
        raise InputError(path, f"cannot be read as CSV ({str(exc).splitlines()[0]})",
                         hint="check it is a comma-separated file with one header row") from exc
    finally:
        con.close()
    return frame.astype("str")


def land_csv(con: duckdb.DuckDBPyConnection, table: str, raw_file: RawFile, columns: Sequence[str] | None = None) -> int:
    """Append one CSV (or its snapshot) to a ``raw`` table as text, with file, release and 1-based row number.

    ``columns`` are SQL select expressions over the file's columns (default: all of them).

    The row number counts the header as row 1, as a spreadsheet shows it, so an error message
    points at the row a user sees.
    """
    check_csv(raw_file.path)
    try:
        return _append_query(con, table, _csv_query(raw_file, columns))
    except duckdb.Error as exc:
        raise InputError(raw_file.path, f"cannot be read as CSV ({str(exc).splitlines()[0]})",
                         hint="check it is a comma-separated file with one header row") from exc


def _csv_query(raw_file: RawFile, columns: Sequence[str] | None) -> str:
    select = "*" if columns is None else ", ".join(columns)
    path = sql_literal(str(raw_file.path))
    return (
        f"SELECT {select}, {path} AS _source_file, {sql_literal(raw_file.release)} AS _release, "
        "CAST(row_number() OVER () + 1 AS BIGINT) AS _source_row, current_timestamp AS _loaded_at "
        f"FROM {text_table_sql(raw_file.path)}"
    )


def land_csvs(con: duckdb.DuckDBPyConnection, table: str, items: Sequence[tuple[RawFile, Sequence[str] | None]]) -> int:
    """Land several CSVs into a new ``raw`` table in one statement (DuckDB reads them in parallel).

    Twice as fast as appending file by file. If DuckDB cannot read one of them, the files are
    landed one at a time so the error names the file.
    """
    for raw_file, _ in items:
        check_csv(raw_file.path)
    query = " UNION ALL BY NAME ".join(_csv_query(raw_file, columns) for raw_file, columns in items)
    try:
        con.execute(f"CREATE TABLE {table} AS {query}")
    except duckdb.Error:
        con.execute(f"DROP TABLE IF EXISTS {table}")
        for raw_file, columns in items:
            land_csv(con, table, raw_file, columns)
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def check_csv(path: Path) -> None:
    """A CSV about to be landed: within the size limits, UTF-8 and not empty, every row whole, within
    the row limit (also for the loaders that find their files themselves)."""
    check_raw_file(path)
    check_text_file(path)
    if not is_snapshot(path):
        check_csv_rows(path)


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes (a ``.gz`` file decompressed; its size was checked by ``find_files``)."""
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def land_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, raw_file: RawFile) -> int:
    """Append a DataFrame read from a spreadsheet to a ``raw`` table as text."""
    frame = frame.astype("string")
    frame["_source_file"] = str(raw_file.path)
    frame["_release"] = raw_file.release
    frame["_source_row"] = range(2, len(frame) + 2)
    frame["_loaded_at"] = pd.Timestamp.now(tz="UTC")
    con.register("_landing_frame", frame)
    try:
        return _append_query(con, table, "SELECT * FROM _landing_frame")
    finally:
        con.unregister("_landing_frame")


def _append_query(con: duckdb.DuckDBPyConnection, table: str, query: str) -> int:
    """Create ``table`` from ``query``, or append to it by column name if it exists."""
    schema, name = table.split(".")
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchall()[0][0]
    if exists:
        con.execute(f"INSERT INTO {table} BY NAME {query}")
    else:
        con.execute(f"CREATE TABLE {table} AS {query}")
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def first_bad_value(
    con: duckdb.DuckDBPyConnection, table: str, column: str, *, condition: str, reason: str, hint: str
) -> None:
    """Raise InputError for the first row of ``table`` where ``condition`` holds.

    ``condition`` is SQL over the row (e.g. ``TRY_CAST("Value" AS DOUBLE) IS NULL``); the
    message says how many other rows share the problem, so one fix run covers them all.
    """
    rows = con.execute(
        f'SELECT _source_file, _source_row, CAST("{column}" AS VARCHAR), count(*) OVER () '
        f"FROM {table} WHERE {condition} ORDER BY _source_file, _source_row LIMIT 1"
    ).fetchall()
    if rows:
        file, row, value, total = rows[0]
        more = f" ({total - 1} more rows like it)" if total > 1 else ""
        raise InputError(file, f"{reason}: '{value}'{more}", row=int(row), column=column, hint=hint)


def sql_literal(text: str) -> str:
    """A SQL string literal (single quotes doubled): raw-file paths go into DDL this way."""
    return "'" + text.replace("'", "''") + "'"


def first_bad_in_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    *,
    condition: str,
    reason: str,
    hint: str,
    headers: dict[tuple[str, str], str] | None = None,
) -> None:
    """Like ``first_bad_value`` over many columns in one scan.

    ``condition`` is a template with ``{c}`` for the column. ``headers`` maps (file, canonical
    column) to the heading the user's file really has, so the message names their column.
    """
    cases = " ".join(f"WHEN {condition.format(c=c)} THEN '{c}'" for c in columns)
    rows = con.execute(
        f"SELECT _source_file, _source_row, bad_column, count(*) OVER () FROM ("
        f"SELECT _source_file, _source_row, CASE {cases} END AS bad_column FROM {table}) "
        "WHERE bad_column IS NOT NULL ORDER BY _source_file, _source_row LIMIT 1"
    ).fetchall()
    if rows:
        file, row, column, total = rows[0]
        value = con.execute(
            f'SELECT CAST("{column}" AS VARCHAR) FROM {table} WHERE _source_file = {sql_literal(file)} '
            f"AND _source_row = {int(row)}"
        ).fetchall()[0][0]
        shown = (headers or {}).get((file, column), column)
        more = f" ({total - 1} more rows with a problem)" if total > 1 else ""
        raise InputError(file, f"{reason}: '{value}'{more}", row=int(row), column=shown, hint=hint)
