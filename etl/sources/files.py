"""Finding, fingerprinting and safely reading raw files.

Why: every loader needs the same guarantees — a clear error naming the file, row and column
for a missing file, an empty file, a wrong encoding or a misspelt column — and every file
used is recorded (size, sha256, release) in ``meta.sources`` for provenance.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import InputError


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
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


def find_files(raw_dir: Path, source: str, suffixes: Sequence[str], *, required: bool = True) -> list[RawFile]:
    """Files of one source, ``data/raw/<source>/<release>/*<suffix>``, oldest release first."""
    source_dir = raw_dir / source
    found: list[RawFile] = []
    if source_dir.is_dir():
        for release_dir in sorted(p for p in source_dir.iterdir() if p.is_dir()):
            for path in sorted(release_dir.iterdir()):
                if path.is_file() and path.suffix.lower() in suffixes and not path.name.startswith((".", "~$")):
                    found.append(RawFile(source, release_dir.name, path))
    if required and not found:
        raise InputError(
            source_dir,
            f"no {'/'.join(suffixes)} files found for source '{source}'",
            hint=f"put the files in {source_dir}/<release>/ (see docs/data-formats.md), "
            "or run `cpop demo` to write the built-in demo data",
        )
    return found


def check_text_file(path: Path) -> None:
    """Fail clearly on an empty file or one that is not UTF-8 (the row of the first bad byte)."""
    data = path.read_bytes()
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


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV, as DuckDB's reader sees it."""
    check_text_file(path)
    try:
        rel = duckdb.sql(
            f"SELECT * FROM read_csv({sql_literal(str(path))}, all_varchar = true, header = true) LIMIT 0"
        )
    except duckdb.Error as exc:
        raise InputError(path, f"cannot be read as CSV ({str(exc).splitlines()[0]})",
                         hint="check it is a comma-separated file with one header row") from exc
    return [str(c) for c in rel.columns]


def land_csv(con: duckdb.DuckDBPyConnection, table: str, raw_file: RawFile, columns: Sequence[str] | None = None) -> int:
    """Append one CSV to a ``raw`` table as text, with file, release and 1-based row number.

    ``columns`` are SQL select expressions over the file's columns (default: all of them).

    The row number counts the header as row 1, as a spreadsheet shows it, so an error message
    points at the row a user sees.
    """
    check_text_file(raw_file.path)
    select = "*" if columns is None else ", ".join(columns)
    path = sql_literal(str(raw_file.path))
    try:
        rel = con.sql(
            f"SELECT {select}, {path} AS _source_file, {sql_literal(raw_file.release)} AS _release, "
            "CAST(row_number() OVER () + 1 AS BIGINT) AS _source_row, current_timestamp AS _loaded_at "
            f"FROM read_csv({path}, all_varchar = true, header = true, auto_detect = true, "
            "null_padding = true, strict_mode = false)"
        )
        return _append(con, table, rel)
    except duckdb.Error as exc:
        raise InputError(raw_file.path, f"cannot be read as CSV ({str(exc).splitlines()[0]})",
                         hint="check it is a comma-separated file with one header row") from exc


def land_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, raw_file: RawFile) -> int:
    """Append a DataFrame read from a spreadsheet to a ``raw`` table as text."""
    frame = frame.astype("string")
    frame["_source_file"] = str(raw_file.path)
    frame["_release"] = raw_file.release
    frame["_source_row"] = range(2, len(frame) + 2)
    frame["_loaded_at"] = pd.Timestamp.now(tz="UTC")
    return _append(con, table, con.from_df(frame))


def _append(con: duckdb.DuckDBPyConnection, table: str, rel: duckdb.DuckDBPyRelation) -> int:
    exists = con.sql(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name || '.' || table_name = ?", params=[table]
    ).fetchall()[0][0]
    if exists:
        rel.create_view("_landing", replace=True)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _landing")
        con.execute("DROP VIEW _landing")
    else:
        rel.create(table)
    return int(con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def first_bad_value(
    con: duckdb.DuckDBPyConnection, table: str, column: str, *, condition: str, reason: str, hint: str
) -> None:
    """Raise InputError for the first row of ``table`` where ``condition`` holds.

    ``condition`` is SQL over the row (e.g. ``TRY_CAST("Value" AS DOUBLE) IS NULL``); the
    message says how many other rows share the problem, so one fix run covers them all.
    """
    rows = con.sql(
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
