"""Publishers' own files (workbooks and CSVs exactly as published) as canonical observation tables.

Why: the Improvement Service, the Scottish Government, NRS and Public Health Scotland each
publish in their own layout (a sheet per indicator with ``Indicator_Type_Year`` headings, two
side-by-side blocks of counts and populations, ``..`` or ``*`` for withheld cells, council
*names* instead of codes). One reader per layout turns a file into **canonical tables**: the
statistics.gov.scot tidy shape (``FeatureCode, DateCode, Measurement, Units, Value`` plus
dimension columns) with the publisher's value type, published intervals and the cell each row
came from. From there one loader lands every publisher alike, the catalogue picks rows by
dataset / measurement / units, and the committed snapshot (``cpop snapshot``) stores exactly
these tables, so a build from the snapshot and a build from the original files are the same.

The contract a reader keeps (``check_table`` enforces it):

* ``FeatureCode``: a GSS code (S01 data zone, S02 intermediate zone, S12 council, S08 health
  board, S92000003 Scotland). Readers resolve council names to codes (``council_codes``).
* ``DateCode``: the period as the publisher labels it: ``2020``, ``2020/21`` (financial or
  school year), ``2020/2021`` or ``2018-2020`` (multi-year). Rolled series keep the publisher's
  label of the last year (CPOP's ``2007/08`` for 2005/06-2007/08); the catalogue's
  ``rolling_years`` says how many years it covers.
* ``Measurement``, ``Units``: what the value is (``Ratio`` / ``Percent``, ``Count`` /
  ``Children``, ...): the catalogue's mapping matches them exactly.
* ``Value``: text exactly as published: a number (floats written with ``repr``, which round
  trips), or the publisher's marker for a withheld cell (``..``, ``*``, ``x``, blank).
* ``ValueType``: ``raw`` (an observation), ``imputed`` (back-filled by the publisher) or
  ``projected`` (the publisher's forecast), from the publisher's own label.
* ``LowerCI``, ``UpperCI``: the publisher's 95 % interval, text, blank when not published.
* any other column not starting with ``_`` is a dimension (``Age``, ``Sex``, ``SIMD quintile``).
* ``_source_sheet``, ``_source_row``, ``_source_column``: where the value is in the original
  (sheet name, the row number a user sees in Excel or a text editor with the header as row 1,
  and the column heading), so an error message can point at the cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import InputError
from etl.sources.files import SNAPSHOT_SUFFIX, RawFile, find_files, snapshot_schema, sql_literal

OBSERVATION_COLUMNS = ["FeatureCode", "DateCode", "Measurement", "Units", "Value", "ValueType", "LowerCI", "UpperCI"]
SOURCE_COLUMNS = ["_source_sheet", "_source_row", "_source_column"]
VALUE_TYPES = ("raw", "imputed", "projected")
WITHHELD_MARKERS = ("", "*", "..", "-", ":", "x", "z", "c")
RAW_TABLE = "raw.published__observations"
# SNAPSHOT_SUFFIX (``etl.sources.files``): a snapshot table file holds the canonical tables of one
# original file (``cpop snapshot``).
_CODE = re.compile(r"^S(0[128]|12|92)\d{6}$")
_DATE = re.compile(r"^\d{4}$|^\d{4}/\d{2}$|^\d{4}/\d{4}$|^\d{4}-\d{4}$")
_DATASET = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True)
class PublishedTable:
    """One dataset read from a publisher's file, in the canonical shape (module docstring)."""

    dataset: str
    frame: pd.DataFrame
    title: str = ""


@dataclass(frozen=True)
class PublisherReader:
    """How one source folder's files are read.

    ``read(path)`` returns the canonical tables of one original file, raising ``InputError``
    (file, sheet/row, column, reason) for a file it recognises but cannot use, and for a file it
    does not recognise at all (never silently skipping it).
    """

    source: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], list[PublishedTable]]


def dimension_columns(frame: pd.DataFrame) -> list[str]:
    """Columns that are neither canonical nor source bookkeeping: the dimensions."""
    return [c for c in frame.columns if c not in OBSERVATION_COLUMNS and not str(c).startswith("_") and c != "dataset"]


def check_table(table: PublishedTable, path: Path) -> None:
    """Fail with the cell to fix when a reader's table breaks the contract (module docstring)."""
    frame = table.frame
    if not _DATASET.match(table.dataset):
        raise InputError(path, f"dataset name '{table.dataset}' is not lower-case letters, digits, '-', '_' or '.'")
    missing = [c for c in [*OBSERVATION_COLUMNS, *SOURCE_COLUMNS] if c not in frame.columns]
    if missing:
        raise InputError(path, f"dataset '{table.dataset}': the reader gave no '{missing[0]}' column")

    def first(mask: pd.Series, column: str, reason: str, hint: str) -> None:
        if mask.any():
            row = frame[mask].iloc[0]
            raise InputError(path, f"{reason}: '{row[column]}' ({int(mask.sum())} row(s))",
                             row=int(row["_source_row"]), column=_where(row, column), hint=hint)

    codes = frame["FeatureCode"].astype("string").fillna("")
    first(~codes.str.match(_CODE), "FeatureCode", "not a Scottish area code",
          "codes look like S01006506 (data zone), S02001236 (IZ), S12000047 (council) or S92000003 (Scotland)")
    dates = frame["DateCode"].astype("string").fillna("")
    first(~dates.str.match(_DATE), "DateCode", "not a recognised period",
          "use 2019, 2019/20, 2019/2020 (financial or school year) or 2017-2019")
    types = frame["ValueType"].astype("string").fillna("")
    first(~types.isin(VALUE_TYPES), "ValueType", "not a value type", f"use one of {', '.join(VALUE_TYPES)}")
    values = frame["Value"].astype("string").fillna("").str.strip()
    numeric = pd.to_numeric(values, errors="coerce")
    first(numeric.isna() & ~values.isin(WITHHELD_MARKERS), "Value", "not a number",
          "values are plain numbers, or the publisher's marker for a withheld cell (.., *, blank)")
    for column in ("Measurement", "Units"):
        first(frame[column].astype("string").fillna("").str.strip() == "", column, "is empty",
              f"every row needs a {column}")


def _where(row: pd.Series, column: str) -> str:
    sheet = str(row.get("_source_sheet") or "")
    heading = str(row.get("_source_column") or column)
    return f"{heading} (sheet '{sheet}')" if sheet else heading


# --------------------------------------------------------------------------------------------
# snapshot tables
# --------------------------------------------------------------------------------------------
def write_snapshot_tables(tables: Sequence[PublishedTable], path: Path) -> None:
    """All canonical tables of one original file as one Parquet file (zstd, text columns).

    Rows keep their order; a dimension a dataset does not have is NULL in its rows.
    """
    frames = [t.frame.assign(dataset=t.dataset, _title=t.title) for t in tables]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["dataset"])
    for column in frame.columns:
        if column != "_source_row":
            frame[column] = frame[column].astype("string")
    frame["_source_row"] = frame["_source_row"].astype("int64")
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False, compression="zstd")


def read_snapshot_tables(path: Path) -> list[PublishedTable]:
    """The canonical tables stored by ``write_snapshot_tables`` (dimension columns per dataset)."""
    frame = pd.read_parquet(path)
    tables = []
    for dataset, part in frame.groupby("dataset", sort=False):
        part = part.drop(columns=["dataset"]).reset_index(drop=True)
        title = str(part["_title"].iloc[0]) if "_title" in part and len(part) else ""
        part = part.drop(columns=["_title"], errors="ignore")
        dims = [c for c in dimension_columns(part) if part[c].isna().all()]
        tables.append(PublishedTable(str(dataset), part.drop(columns=dims), title))
    return tables


# --------------------------------------------------------------------------------------------
# landing
# --------------------------------------------------------------------------------------------
def read_file(reader: PublisherReader, raw_file: RawFile) -> list[PublishedTable]:
    """The canonical tables of one landed file: a snapshot copy, or the original read afresh."""
    if raw_file.path.name.endswith(SNAPSHOT_SUFFIX):
        tables = read_snapshot_tables(raw_file.path)
    else:
        tables = reader.read(raw_file.path)
    for table in tables:
        check_table(table, raw_file.path)
    return tables


def land_tables(con: duckdb.DuckDBPyConnection, tables: Sequence[PublishedTable], raw_file: RawFile) -> int:
    """Append canonical tables to ``raw.published__observations`` (all text; dimensions as a MAP)."""
    landed = 0
    for table in tables:
        frame = table.frame.copy()
        dims = dimension_columns(frame)
        for column in frame.columns:
            if column != "_source_row":
                frame[column] = frame[column].astype("string")
        con.register("_published", frame)
        try:
            dim_map = ("MAP {" + ", ".join(f"{sql_literal(d)}: coalesce(\"{d}\", '')" for d in dims) + "}"
                       if dims else "MAP {}::MAP(VARCHAR, VARCHAR)")
            select = (
                f"SELECT {sql_literal(raw_file.source)} AS source, {sql_literal(table.dataset)} AS dataset, "
                + ", ".join(f'trim("{c}") AS "{c}"' for c in OBSERVATION_COLUMNS)
                + f", {dim_map} AS dimensions, {sql_literal(str(raw_file.path))} AS _source_file, "
                f"{sql_literal(raw_file.release)} AS _release, _source_sheet, CAST(_source_row AS BIGINT) AS _source_row, "
                "_source_column, current_timestamp AS _loaded_at FROM _published"
            )
            exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' "
                                 "AND table_name = 'published__observations'").fetchall()[0][0]
            con.execute(f"INSERT INTO {RAW_TABLE} BY NAME {select}" if exists else f"CREATE TABLE {RAW_TABLE} AS {select}")
        finally:
            con.unregister("_published")
        landed += len(frame)
    return landed


# A value the SQL pre-check lets through is certainly one ``check_table`` accepts: a plain decimal
# number, an infinity as pandas reads it, or a withheld marker (spaces around allowed). Anything
# else (a tab, 'nan', a Unicode digit) sends the file through ``check_table`` itself, which decides.
_SQL_NUMBER = r" *[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)? *|(?i: *-?inf(inity)? *)"
_SQL_CHECKS = {  # check_table's checks, in its order, each as SQL that is true for a row it might reject
    "FeatureCode": r"""NOT regexp_full_match(coalesce("FeatureCode", ''), 'S(0[128]|12|92)[0-9]{6}')""",
    "DateCode": r"""NOT regexp_full_match(coalesce("DateCode", ''), '[0-9]{4}(/[0-9]{2}|/[0-9]{4}|-[0-9]{4})?')""",
    "ValueType": f"coalesce(\"ValueType\", '') NOT IN ({', '.join(map(sql_literal, VALUE_TYPES))})",
    "Value": (f"NOT regexp_full_match(coalesce(\"Value\", ''), '{_SQL_NUMBER}') "
              f"AND trim(coalesce(\"Value\", '')) NOT IN ({', '.join(map(sql_literal, WITHHELD_MARKERS))})"),
    # non-empty once stripped of any (Unicode) white space: certainly so with a letter or digit in it
    "Measurement": """NOT regexp_matches(coalesce("Measurement", ''), '[A-Za-z0-9]')""",
    "Units": """NOT regexp_matches(coalesce("Units", ''), '[A-Za-z0-9]')""",
}


def land_snapshot(con: duckdb.DuckDBPyConnection, reader: PublisherReader, raw_file: RawFile) -> int:
    """Land a snapshot file's canonical tables straight from its Parquet (DuckDB ``read_parquet``).

    Why: the same rows, in the same order, as ``land_tables(con, read_file(reader, raw_file), raw_file)``
    (datasets in order of first appearance, rows in file order; a dimension a dataset leaves empty is
    not in its MAP), without a round trip through pandas: ~4 s instead of ~7 s of CPU on real Scotland.
    Rows are sorted only when a dataset's rows are not in one block (the insertion order is kept).
    The contract is checked in SQL first; a file with any row that *might* break it, or of a shape
    ``write_snapshot_tables`` does not write, is landed through pandas instead, so every error message
    is ``check_table``'s own (file, row, column).
    """
    import pyarrow as pa

    schema = snapshot_schema(raw_file.path)
    text = {f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)}
    dims = [c for c in schema.names if c not in OBSERVATION_COLUMNS and not c.startswith("_") and c != "dataset"]
    if len(set(schema.names)) != len(schema.names) or any('"' in c for c in schema.names) \
            or "file_row_number" in schema.names or "_source_row" not in schema.names \
            or not pa.types.is_integer(schema.field("_source_row").type) \
            or any(c not in text for c in ["dataset", *OBSERVATION_COLUMNS, "_source_sheet", "_source_column", *dims]):
        return land_tables(con, read_file(reader, raw_file), raw_file)
    source = f"read_parquet({sql_literal(str(raw_file.path))}, file_row_number = true)"
    counts = ", ".join([*(f'count("{d}")' for d in dims), *(f"count(*) FILTER ({sql})" for sql in _SQL_CHECKS.values())])
    datasets = con.execute(f"SELECT dataset, count(*), {counts}, max(file_row_number) - min(file_row_number) + 1 "
                           f"FROM {source} WHERE dataset IS NOT NULL GROUP BY dataset ORDER BY min(file_row_number)"
                           ).fetchall()
    # each dataset's rows in one block (as write_snapshot_tables writes them): file order is the order
    in_blocks = all(row[1] == row[-1] for row in datasets)
    datasets = [row[:-1] for row in datasets]
    suspect = any(not _DATASET.match(row[0]) or any(row[2 + len(dims):]) for row in datasets)
    if suspect or not datasets:
        return land_tables(con, read_file(reader, raw_file), raw_file)
    create_empty(con)
    maps, order = [], []
    for rank, (dataset, _, *filled) in enumerate(datasets):
        kept = [d for d, n in zip(dims, filled[: len(dims)], strict=True) if n]
        dim_map = ("MAP {" + ", ".join(f"{sql_literal(d)}: coalesce(\"{d}\", '')" for d in kept) + "}"
                   if kept else "MAP {}::MAP(VARCHAR, VARCHAR)")
        maps.append(f"WHEN {sql_literal(dataset)} THEN {dim_map}")
        order.append(f"WHEN {sql_literal(dataset)} THEN {rank}")
    con.execute(
        f"INSERT INTO {RAW_TABLE} BY NAME SELECT {sql_literal(raw_file.source)} AS source, dataset, "
        + ", ".join(f'trim("{c}") AS "{c}"' for c in OBSERVATION_COLUMNS)
        + f", CASE dataset {' '.join(maps)} END AS dimensions, {sql_literal(str(raw_file.path))} AS _source_file, "
        f"{sql_literal(raw_file.release)} AS _release, _source_sheet, CAST(_source_row AS BIGINT) AS _source_row, "
        f"_source_column, current_timestamp AS _loaded_at FROM {source} WHERE dataset IS NOT NULL "
        + ("" if in_blocks else f"ORDER BY CASE dataset {' '.join(order)} END, file_row_number")
    )
    return sum(n for _, n, *_ in datasets)


def create_empty(con: duckdb.DuckDBPyConnection) -> None:
    """``raw.published__observations`` with no rows (a build with no publisher files)."""
    columns = ", ".join(f'"{c}" VARCHAR' for c in OBSERVATION_COLUMNS)
    con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_TABLE} (source VARCHAR, dataset VARCHAR, {columns}, "
                "dimensions MAP(VARCHAR, VARCHAR), _source_file VARCHAR, _release VARCHAR, _source_sheet VARCHAR, "
                "_source_row BIGINT, _source_column VARCHAR, _loaded_at TIMESTAMP WITH TIME ZONE)")


def load(con: duckdb.DuckDBPyConnection, roots: Path | Sequence[Path],
         readers: Sequence[PublisherReader]) -> list[RawFile]:
    """Land every file of every publisher source found under ``roots``."""
    used: list[RawFile] = []
    for reader in readers:
        for raw_file in find_files(roots, reader.source, (*reader.suffixes, ".parquet"), required=False):
            if raw_file.path.suffix.lower() == ".parquet" and not raw_file.path.name.endswith(SNAPSHOT_SUFFIX) \
                    and ".parquet" not in reader.suffixes:
                continue
            if raw_file.path.name.endswith(SNAPSHOT_SUFFIX):
                land_snapshot(con, reader, raw_file)
            else:
                land_tables(con, read_file(reader, raw_file), raw_file)
            used.append(raw_file)
    create_empty(con)
    return used
