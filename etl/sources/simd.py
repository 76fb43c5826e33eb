"""SIMD editions and the data zone lookup, from the SG "SIMD data zone look-up" files.

Why: the SIMD look-up is the published master lookup (data zone → intermediate zone → ward →
council → health board) as well as the deprivation ranking, so one file per edition feeds
both. Column names differ by edition (``SIMD2020v2_Rank``, ``SIMD16_Rank``); they are
canonicalised on landing so ``staging`` has one shape for every edition.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb

from etl.errors import InputError
from etl.sources import simd2012
from etl.sources.files import (
    RawFile,
    csv_header,
    find_files,
    land_csv,
    land_frame,
    raw_root,
    require_columns,
)
from etl.sources.spreadsheets import read_data_sheet

SOURCE = "simd"
RAW_TABLE = "raw.simd__dz_lookup"
LOOKUP_COLUMNS = ["DZ", "DZname", "IZcode", "IZname", "LAcode", "LAname", "HBcode", "HBname", "MMWcode", "MMWname"]
OPTIONAL_COLUMNS = ["HSCPcode", "HSCPname", "URclass", "URname"]
DOMAINS = ["Income", "Employment", "Education", "Health", "Access", "Crime", "Housing"]
CANONICAL = [
    "simd_rank", "simd_vigintile", "simd_decile", "simd_quintile",
    *[f"{d.lower()}_domain_rank" for d in DOMAINS], "population", "working_age_population",
]


def canonical_name(column: str) -> str:
    """``SIMD2020v2_Rank`` → ``simd_rank``; ``SIMD16_Crime_Domain_Rank`` → ``crime_domain_rank``."""
    if m := re.fullmatch(r"SIMD[0-9v]*_([A-Za-z]+)_Domain_Rank", column):
        return m.group(1).lower() + "_domain_rank"
    if m := re.fullmatch(r"SIMD[0-9v]*_(Rank|Vigintile|Decile|Quintile)", column):
        return "simd_" + m.group(1).lower()
    if re.fullmatch(r"Working_Age_Population(_revised)?", column):
        return "working_age_population"
    if column == "Population":
        return "population"
    return column


def edition_year(release: str) -> int | None:
    """The SIMD edition's year from its folder name (``2020v2`` → 2020, ``2016`` → 2016)."""
    m = re.match(r"(\d{4})", release)
    return int(m.group(1)) if m else None


def load(con: duckdb.DuckDBPyConnection, raw_dir: Path | Sequence[Path]) -> tuple[list[RawFile], list[str]]:
    """Land every SIMD edition on 2011 data zones into ``raw.simd__dz_lookup``."""
    files = find_files(raw_dir, SOURCE, (".csv", ".xlsx"))
    used: list[RawFile] = []
    notes: list[str] = []
    for raw_file in files:
        year = edition_year(raw_file.release)
        if year is None:
            raise InputError(raw_file.path.parent, f"SIMD edition folder '{raw_file.release}' does not start with a year",
                             hint="name the folder by edition, e.g. simd/2020v2/ or simd/2016/")
        if year < 2016:
            # a CSV or a snapshot file (a table of text) has a header; a workbook is not SIMD 2012
            header = csv_header(raw_file.path) if raw_file.path.suffix.lower() != ".xlsx" else []
            if not simd2012.is_simd2012(header):
                continue  # e.g. the 2001 -> 2011 lookup that sits beside the 2012 file
            same_release = [f for f in files if f.release == raw_file.release]
            land_frame(con, RAW_TABLE, simd2012.bridge(raw_file, same_release), raw_file)
            used += same_release
            notes.append(f"SIMD {raw_file.release} bridged from 2001 to 2011 data zones (approximation)")
            continue
        _land_one(con, raw_file)
        used.append(raw_file)
    if not any(edition_year(f.release) and edition_year(f.release) >= 2016 for f in used):
        raise InputError(raw_root(raw_dir) / SOURCE, "no SIMD edition on 2011 data zones (2016 or later) was found",
                         hint="add the SIMD 2020v2 data zone look-up (see docs/data-formats.md)")
    return used, notes


def _land_one(con: duckdb.DuckDBPyConnection, raw_file: RawFile) -> None:
    # a snapshot file (``*.snapshot.parquet``, the look-up sheet as text) is read like the CSV
    if raw_file.path.suffix.lower() == ".xlsx":
        frame = read_data_sheet(raw_file.path, name_contains="lookup data", key_column="DZ")
        header = [str(c) for c in frame.columns]
    else:
        frame = None
        header = csv_header(raw_file.path)
    renamed = {c: canonical_name(c) for c in header}
    present = set(renamed.values())
    missing = [c for c in CANONICAL if c not in present]
    if missing:
        example = {"simd_rank": "SIMD2020v2_Rank", "population": "Population"}.get(missing[0], missing[0])
        raise InputError(raw_file.path, f"required SIMD column '{missing[0]}' (e.g. '{example}') is missing",
                         row=1, column=missing[0], hint="use the SG 'SIMD data zone look-up' layout (docs/data-formats.md)")
    require_columns(raw_file.path, header, LOOKUP_COLUMNS)
    keep = [c for c in header if renamed[c] in CANONICAL or c in LOOKUP_COLUMNS or c in OPTIONAL_COLUMNS]
    if frame is not None:
        frame = frame[keep].rename(columns=renamed)
        for column in OPTIONAL_COLUMNS:
            if column not in frame.columns:
                frame[column] = None
        land_frame(con, RAW_TABLE, frame, raw_file)
        return
    selected = [f'"{c}" AS "{renamed[c]}"' for c in keep]
    selected += [f'NULL::VARCHAR AS "{c}"' for c in OPTIONAL_COLUMNS if c not in header]
    land_csv(con, RAW_TABLE, raw_file, columns=selected)


def validate(con: duckdb.DuckDBPyConnection) -> None:
    """Ranks, bands and populations are whole numbers (checked on the landed text)."""
    from etl.sources.files import first_bad_value

    for column in CANONICAL:
        first_bad_value(con, RAW_TABLE, column,
                        condition=f"TRY_CAST(replace({column}, ',', '') AS BIGINT) IS NULL",
                        reason="not a whole number", hint="SIMD ranks, bands and populations must be whole numbers")
    first_bad_value(con, RAW_TABLE, "DZ", condition="NOT regexp_matches(coalesce(\"DZ\", ''), '^S01\\d{6}$')",
                    reason="not a 2011 data zone code", hint="data zone codes look like S01006506")
    _no_repeated_datazones(con)


def _no_repeated_datazones(con: duckdb.DuckDBPyConnection) -> None:
    """Each data zone has one row per SIMD edition: a repeat would double its people in every group."""
    repeats = con.execute(f"""
        SELECT _source_file, _source_row, "DZ", first_file, first_row, count(*) OVER () - 1 FROM (
            SELECT *, first_value(_source_file) OVER w AS first_file, first_value(_source_row) OVER w AS first_row,
                   row_number() OVER w AS k
            FROM {RAW_TABLE} WINDOW w AS (PARTITION BY _release, "DZ" ORDER BY _source_file, _source_row))
        WHERE k > 1 ORDER BY _source_file, _source_row LIMIT 1""").fetchall()
    if repeats:
        file, row, code, first_file, first_row, more = repeats[0]
        where = f"row {first_row}" + ("" if first_file == file else f" of {first_file}")
        raise InputError(file, f"data zone '{code}' is repeated: it already has a row in this SIMD edition ({where})"
                         + (f" ({more} more repeated rows)" if more else ""), row=int(row), column="DZ",
                         hint="keep one row per data zone (delete the repeated row) and rebuild")
