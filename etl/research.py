"""Researchers' access to the warehouse: read-only SQL, Parquet export, area look-up.

Why: researchers query ``marts`` and ``meta`` directly (the public contract). Every function
here opens the public file alone (``cpop.duckdb``, marts and meta only; never its internal file,
which holds counts before disclosure control: ``etl.warehouse_files``) with ``read_only=True``,
so it can never change the warehouse, and it never blocks a rebuild: the build writes
``cpop.duckdb.building-<build_id>`` and ``os.replace``s it over the live path, while a reader keeps
the old file (its inode) open until it reconnects.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from etl.errors import InputError, damaged_warehouse, is_corruption
from etl.sql_guard import check_read_only_sql, query_error, sandboxed_connection

PUBLIC_SCHEMAS = ("marts", "meta")
BATCH_ROWS = 100_000


@contextmanager
def read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the warehouse at ``path`` (closed on exit)."""
    if not Path(path).exists():
        raise InputError(path, "no warehouse here", hint="run `cpop build` first, or pass --warehouse")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise damaged_warehouse(path, exc) from exc
    try:
        yield con
    except duckdb.Error as exc:
        # DuckDB reads a file lazily: a truncated one may open and fail at the first page it lacks
        if is_corruption(exc):
            raise damaged_warehouse(path, exc) from exc
        raise
    finally:
        con.close()


def query(path: Path, sql: str, *, allow_files: bool = False) -> pa.Table:
    """Run one read-only statement on the warehouse in DuckDB's sandbox; all rows as an Arrow table.

    The statement must pass ``etl.sql_guard.check_read_only_sql`` (DuckDB's own parser); the
    connection is read-only with external access off (no file is read or written, nothing is
    attached or installed) unless ``allow_files``, and its configuration is locked.
    """
    check_read_only_sql(sql)
    if not Path(path).exists():
        raise InputError(path, "no warehouse here", hint="run `cpop build` first, or pass --warehouse")
    try:
        con = sandboxed_connection(path, allow_files=allow_files)
    except duckdb.Error as exc:
        raise damaged_warehouse(path, exc) from exc
    try:
        return con.sql(sql).to_arrow_table()
    except duckdb.Error as exc:
        raise query_error(exc, path) from exc
    finally:
        con.close()


def to_csv_frame(table: pa.Table) -> pd.DataFrame:
    """A DataFrame for CSV: nested columns (lists, structs) become JSON text, not Python reprs."""
    import json

    frame = table.to_pandas()
    for name, dtype in zip(table.column_names, table.schema.types, strict=True):
        if pa.types.is_nested(dtype):
            frame[name] = [None if v is None else json.dumps(v, default=str) for v in table.column(name).to_pylist()]
    return frame


def write_parquet(table: pa.Table, out: Path) -> None:
    """Write ``table`` to ``out`` atomically (a half-written file is never left at ``out``)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, out)


@dataclass(frozen=True)
class ExportedTable:
    """One table written by ``export_parquet``."""

    table: str
    rows: int
    path: Path


def public_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """``schema.table`` of every table in marts and meta, sorted."""
    rows = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('marts', 'meta') "
                       "ORDER BY 1, 2").fetchall()
    return [f"{s}.{t}" for s, t in rows]


def _comments(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> tuple[str, dict[str, str]]:
    table_comment = con.execute("SELECT coalesce(comment, '') FROM duckdb_tables() WHERE schema_name = ? "
                                "AND table_name = ?", [schema, table]).fetchall()
    columns = con.execute("SELECT column_name, coalesce(comment, '') FROM duckdb_columns() WHERE schema_name = ? "
                          "AND table_name = ?", [schema, table]).fetchall()
    return (table_comment[0][0] if table_comment else ""), dict(columns)


def export_parquet(path: Path, out_dir: Path) -> list[ExportedTable]:
    """Write every marts and meta table to ``out_dir/<schema>/<table>.parquet`` (read-only).

    Table and column comments travel as Parquet metadata (``description``), so R, Python and
    Spark users see the same documentation as ``docs/schema.md``. Only the public schemas are
    written: raw, staging and core hold pre-disclosure-control counts.
    """
    written: list[ExportedTable] = []
    with read_only(path) as con:
        info = con.execute("SELECT build_id, schema_version FROM meta.build_info").fetchall()
        build_id, schema_version = (str(info[0][0]), str(info[0][1])) if info else ("", "")
        for name in public_tables(con):
            schema, table = name.split(".")
            data = con.sql(f'SELECT * FROM "{schema}"."{table}"').to_arrow_table()
            table_comment, column_comments = _comments(con, schema, table)
            fields = [f.with_metadata({"description": column_comments.get(f.name, "")}) for f in data.schema]
            meta = {"description": table_comment, "cpop_table": name, "cpop_build_id": build_id,
                    "cpop_schema_version": schema_version}
            data = data.cast(pa.schema(fields, metadata=meta))
            out = out_dir / schema / f"{table}.parquet"
            write_parquet(data, out)
            written.append(ExportedTable(name, data.num_rows, out))
    return written


@dataclass(frozen=True)
class AreaMatch:
    """An area found by ``find_area``."""

    area_type: str
    area_code: str
    area_name: str
    council_name: str | None


def find_area(path: Path, area_type: str, text: str) -> AreaMatch:
    """The one area of ``area_type`` whose code or name is ``text`` (case-insensitive).

    An exact code or name wins; otherwise a unique partial match. Raises InputError listing
    the valid area types, or the candidates when the name is ambiguous or not found.
    """
    needle = text.strip().lower()
    with read_only(path) as con:
        types = [r[0] for r in con.execute("SELECT DISTINCT area_type FROM marts.areas").fetchall()]
        if area_type not in types:
            raise InputError(None, f"unknown area type '{area_type}'",
                             hint=f"use one of: {', '.join(sorted(types))}")
        df: pd.DataFrame = con.execute(
            "SELECT area_type, area_code, area_name, council_name FROM marts.areas WHERE area_type = ? "
            "AND (lower(area_code) = ? OR contains(lower(area_name), ?)) ORDER BY area_name, area_code",
            [area_type, needle, needle]).df()
    if df.empty:
        raise InputError(None, f"no {area_type} matches '{text}'",
                         hint=f"check the spelling, or list them: cpop sql \"SELECT area_code, area_name FROM "
                              f"marts.areas WHERE area_type = '{area_type}' ORDER BY 2\"")
    exact = df[(df["area_code"].str.lower() == needle) | (df["area_name"].str.lower() == needle)]
    pick = exact if len(exact) == 1 else df
    if len(pick) > 1:
        lines = [f"{r.area_code} {r.area_name}" + (f" ({r.council_name})" if r.council_name else "")
                 for r in pick.head(15).itertuples()]
        more = f" and {len(pick) - 15} more" if len(pick) > 15 else ""
        raise InputError(None, f"'{text}' matches {len(pick)} {area_type} areas: " + "; ".join(lines) + more,
                         hint="give the area code or the full name")
    row = pick.iloc[0]
    council = row["council_name"]
    return AreaMatch(area_type, str(row["area_code"]), str(row["area_name"]),
                     None if pd.isna(council) else str(council))
