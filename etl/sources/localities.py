"""Council-defined localities: a small CSV of member data zones or intermediate zones.

Why: localities are not published nationally; each council defines them, usually as a list
of data zones or intermediate zones, and a board reviews its plan by locality.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from etl.sources.files import RawFile, csv_header, find_files, land_csv, require_columns

SOURCE = "localities"
RAW_TABLE = "raw.localities__membership"
COLUMNS = ["locality_code", "locality_name", "council_code", "area_code"]


def load(con: duckdb.DuckDBPyConnection, raw_dir: Path | Sequence[Path]) -> list[RawFile]:
    """Land every localities CSV (optional source: none means no locality areas)."""
    files = find_files(raw_dir, SOURCE, (".csv",), required=False)
    for raw_file in files:
        require_columns(raw_file.path, csv_header(raw_file.path), COLUMNS)
        land_csv(con, RAW_TABLE, raw_file, columns=[f'"{c}"' for c in COLUMNS])
    if not files:
        con.execute(
            f"CREATE TABLE {RAW_TABLE} (locality_code VARCHAR, locality_name VARCHAR, council_code VARCHAR, "
            "area_code VARCHAR, _source_file VARCHAR, _release VARCHAR, _source_row BIGINT, _loaded_at TIMESTAMPTZ)"
        )
    return files
