"""Postcode → data zone lookup from the NRS Scottish Postcode Directory (small-user file).

Why: officers paste postcodes (a service's client list, a school's catchment) to build an
area; the dashboard expands them to 2011 data zones through ``core.dim_postcode``. The NRS
directory is a complete snapshot, so only the newest release folder is read.

Notes
-----
``data/raw/postcodes/<release>/*.csv`` with columns ``Postcode`` and ``DataZone2011Code``
(``DataZone2011`` accepted); other columns are ignored. Postcodes are normalised to upper case
with one space before the inward code (``ab101ab`` → ``AB10 1AB``). Rows with a
``DateOfDeletion`` are skipped (deleted postcodes), as are rows with no data zone
(non-geographic postcodes). An unknown data zone code fails the build naming file, row and
column.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from etl.errors import InputError
from etl.sources.files import RawFile, csv_header, land_csv, require_columns, sql_literal

SOURCE = "postcodes"
RAW_TABLE = "raw.postcodes__directory"
CORE_TABLE = "core.dim_postcode"
POSTCODE_COLUMNS = ("Postcode",)
DATAZONE_COLUMNS = ("DataZone2011Code", "DataZone2011")
DELETION_COLUMN = "DateOfDeletion"
#: A UK postcode once spaces are removed: outward code (2-4) + inward code (digit, two letters).
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$")
#: SQL for the same normalisation as ``normalise_postcode``.
NORMALISE_SQL = ("CASE WHEN length(regexp_replace(upper({c}), '\\s', '', 'g')) >= 5 THEN "
                 "left(regexp_replace(upper({c}), '\\s', '', 'g'), -3) || ' ' || "
                 "right(regexp_replace(upper({c}), '\\s', '', 'g'), 3) END")


def normalise_postcode(text: str) -> str | None:
    """``"ab10  1ab"`` → ``"AB10 1AB"``; None when it is not shaped like a UK postcode."""
    squashed = re.sub(r"\s+", "", str(text)).upper()
    if not POSTCODE_PATTERN.match(squashed):
        return None
    return f"{squashed[:-3]} {squashed[-3:]}"


def _pick(header: list[str], names: tuple[str, ...]) -> str | None:
    by_lower = {h.lower(): h for h in header}
    return next((by_lower[n.lower()] for n in names if n.lower() in by_lower), None)


def load(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> list[RawFile]:
    """Land the newest postcode directory and build ``core.dim_postcode`` (empty without one)."""
    folder = Path(raw_dir) / SOURCE
    releases = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    files = [RawFile(SOURCE, releases[-1].name, p) for p in sorted(releases[-1].iterdir())
             if p.is_file() and p.suffix.lower() == ".csv" and not p.name.startswith((".", "~$"))] if releases else []
    con.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
    con.execute(f"CREATE TABLE {RAW_TABLE} (postcode VARCHAR, datazone_code VARCHAR, date_of_deletion VARCHAR, "
                "datazone_column VARCHAR, _source_file VARCHAR, _release VARCHAR, _source_row BIGINT, "
                "_loaded_at TIMESTAMPTZ)")
    for raw_file in files:
        header = csv_header(raw_file.path)
        postcode = _pick(header, POSTCODE_COLUMNS)
        if postcode is None:
            require_columns(raw_file.path, header, POSTCODE_COLUMNS)
        datazone = _pick(header, DATAZONE_COLUMNS)
        if datazone is None:
            require_columns(raw_file.path, header, DATAZONE_COLUMNS[:1])
        deletion = _pick(header, (DELETION_COLUMN,))
        land_csv(con, RAW_TABLE, raw_file, columns=[
            f'"{postcode}" AS postcode', f'"{datazone}" AS datazone_code',
            f'"{deletion}" AS date_of_deletion' if deletion else "NULL::VARCHAR AS date_of_deletion",
            f"{sql_literal(datazone)} AS datazone_column"])
    _validate(con)
    con.execute(f"""
        CREATE OR REPLACE TABLE {CORE_TABLE} AS
        -- core.dim_postcode
        -- grain: one row per live postcode with a 2011 data zone.
        WITH src AS (
            SELECT {NORMALISE_SQL.format(c='postcode')} AS postcode, trim(datazone_code) AS datazone_code
            FROM {RAW_TABLE}
            WHERE trim(coalesce(date_of_deletion, '')) = '' AND trim(coalesce(datazone_code, '')) <> ''
        )
        SELECT DISTINCT postcode, datazone_code FROM src ORDER BY postcode""")
    return files


def _validate(con: duckdb.DuckDBPyConnection) -> None:
    """Unknown data zones, malformed postcodes and one postcode in two data zones fail loudly."""
    live = "trim(coalesce(date_of_deletion, '')) = '' AND trim(coalesce(datazone_code, '')) <> ''"
    bad = con.execute(f"""
        SELECT _source_file, _source_row, datazone_column, datazone_code FROM {RAW_TABLE}
        WHERE {live} AND trim(datazone_code) NOT IN (SELECT datazone_code FROM staging.simd__geography_lookup)
        ORDER BY _source_file, _source_row LIMIT 1""").fetchall()
    if bad:
        file, row, column, value = bad[0]
        raise InputError(file, f"unknown data zone code '{value}'", row=int(row), column=column,
                         hint="the postcode directory must use 2011 data zone codes present in the data zone lookup")
    rows = con.execute(f"""
        SELECT _source_file, _source_row, postcode FROM {RAW_TABLE}
        WHERE {live} AND NOT regexp_full_match(regexp_replace(upper(coalesce(postcode, '')), '\\s', '', 'g'),
                                               '{POSTCODE_PATTERN.pattern[1:-1]}')
        ORDER BY _source_file, _source_row LIMIT 1""").fetchall()
    if rows:
        file, row, value = rows[0]
        raise InputError(file, f"not a postcode: '{value}'", row=int(row), column="Postcode",
                         hint="postcodes look like 'AB10 1AB'")
    clash = con.execute(f"""
        WITH n AS (SELECT {NORMALISE_SQL.format(c='postcode')} AS pc, trim(datazone_code) AS dz, _source_file,
                          _source_row FROM {RAW_TABLE} WHERE {live})
        SELECT _source_file, _source_row, pc FROM n
        QUALIFY count(DISTINCT dz) OVER (PARTITION BY pc) > 1
        ORDER BY _source_file, _source_row LIMIT 1""").fetchall()
    if clash:
        file, row, value = clash[0]
        raise InputError(file, f"postcode {value} is given more than one data zone", row=int(row),
                         column="Postcode", hint="keep one row per postcode")
