"""Indicator series in statistics.gov.scot's tidy download format.

Why: statistics.gov.scot publishes every small-area series as the same tidy CSV
(FeatureCode, DateCode, Measurement, Units, Value, plus dimension columns), so one loader
serves every dataset; which rows make which indicator is declared in the catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from etl.sources.files import (
    RawFile,
    csv_header,
    file_stem,
    find_files,
    first_bad_value,
    land_csvs,
    require_columns,
    sql_literal,
)

SOURCE = "statistics_gov_scot"
RAW_TABLE = "raw.statistics_gov_scot__observations"
CORE_COLUMNS = ["FeatureCode", "DateCode", "Measurement", "Units", "Value"]
MISSING_MARKERS = ("", "*", "..", "-", ":", "x", "z")
DATE_PATTERN = r"^\d{4}$|^\d{4}/\d{2}$|^\d{4}/\d{4}$|^\d{4}-\d{4}$"


def dimension_columns(header: list[str]) -> list[str]:
    """Every column beyond the five tidy ones is a dimension (Age, Gender, …)."""
    return [c for c in header if c not in CORE_COLUMNS]


def load(con: duckdb.DuckDBPyConnection, raw_dir: Path | Sequence[Path]) -> list[RawFile]:
    """Land every dataset file of every release into ``raw.statistics_gov_scot__observations``."""
    files = find_files(raw_dir, SOURCE, (".csv",), required=False)
    if not files:  # real builds take their series from the publishers' own files
        con.execute(f"CREATE TABLE {RAW_TABLE} (dataset VARCHAR, " + ", ".join(f'"{c}" VARCHAR' for c in CORE_COLUMNS)
                    + ", dimensions MAP(VARCHAR, VARCHAR), _source_file VARCHAR, _release VARCHAR, "
                    "_source_row BIGINT, _loaded_at TIMESTAMP WITH TIME ZONE)")
        return []
    landing: list[tuple[RawFile, list[str]]] = []
    for raw_file in files:
        header = csv_header(raw_file.path)
        require_columns(raw_file.path, header, CORE_COLUMNS)
        dims = dimension_columns(header)
        if dims:
            dim_map = "MAP {" + ", ".join(f"{sql_literal(d)}: coalesce(\"{d}\", '')" for d in dims) + "}"
        else:
            dim_map = "MAP {}::MAP(VARCHAR, VARCHAR)"
        select = [
            f"{sql_literal(file_stem(raw_file.path))} AS dataset",  # a snapshot or a .csv.gz: the CSV's name
            *[f'trim("{c}") AS "{c}"' for c in CORE_COLUMNS],
            f"{dim_map} AS dimensions",
        ]
        landing.append((raw_file, select))
    land_csvs(con, RAW_TABLE, landing)
    markers = ", ".join(sql_literal(m) for m in MISSING_MARKERS)
    first_bad_value(
        con, RAW_TABLE, "Value",
        condition=f"coalesce(\"Value\", '') NOT IN ({markers}) AND TRY_CAST(\"Value\" AS DOUBLE) IS NULL",
        reason="not a number", hint="values must be plain numbers (no thousands separators or text); "
        "use blank or * for a value that is not available",
    )
    # a count (Measurement "Count", as the catalogue's numerators say) is a whole number from 0 up
    count = "lower(trim(coalesce(\"Measurement\", ''))) = 'count'"
    number = "TRY_CAST(\"Value\" AS DOUBLE)"
    first_bad_value(con, RAW_TABLE, "Value", condition=f"{count} AND {number} < 0", reason="a count cannot be negative",
                    hint="counts are whole numbers from 0 up; use blank or * for a value that is not available")
    first_bad_value(con, RAW_TABLE, "Value", condition=f"{count} AND {number} <> round({number})",
                    reason="a count must be a whole number",
                    hint="rows whose Measurement is Count hold whole numbers; a rate or a share needs its own Measurement")
    first_bad_value(
        con, RAW_TABLE, "DateCode", condition=f"NOT regexp_matches(coalesce(\"DateCode\", ''), '{DATE_PATTERN}')",
        reason="not a recognised period", hint="use 2019, 2019/20 or 2019/2020 (financial or school year) or 2017-2019",
    )
    for column in ("FeatureCode", "Measurement", "Units"):
        first_bad_value(con, RAW_TABLE, column, condition=f"coalesce(\"{column}\", '') = ''",
                        reason="is empty", hint=f"every row needs a {column}")
    return files
