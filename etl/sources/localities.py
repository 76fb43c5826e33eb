"""Council-defined localities: a small CSV of member data zones or intermediate zones.

Why: localities are not published nationally; each council defines them, usually as a list
of data zones or intermediate zones, and a board reviews its plan by locality. Two layouts:

* a CSV ``locality_code, locality_name, council_code, area_code`` (one member per row);
* the Improvement Service's strategic-areas workbook (``Fife Strategic Areas.xlsx``: ``AreaCode``
  (an intermediate zone), ``Name``, ``Council`` (a name), ``Strategic Area``), whose areas have
  no codes: each gets ``<council code>-<area name in lower case, hyphenated>``, e.g.
  ``S12000047-south-west-fife``, stable as long as the name is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import InputError
from etl.sources.councils import require_council_code
from etl.sources.files import (
    RawFile,
    csv_header,
    find_files,
    land_csv,
    land_frame,
    read_text_table,
    require_columns,
)
from etl.sources.spreadsheets import read_data_sheet

SOURCE = "localities"
RAW_TABLE = "raw.localities__membership"
COLUMNS = ["locality_code", "locality_name", "council_code", "area_code"]
STRATEGIC_COLUMNS = ["AreaCode", "Council", "Strategic Area"]


def locality_code(council_code: str, name: str) -> str:
    """``S12000047`` and ``South West Fife`` → ``S12000047-south-west-fife``."""
    return f"{council_code}-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def strategic_areas(path: Path) -> pd.DataFrame:
    """The strategic-areas workbook (or its snapshot) as rows of ``COLUMNS``."""
    if path.suffix.lower() == ".xlsx":
        frame = read_data_sheet(path, name_contains="", key_column="AreaCode")
    else:
        frame = read_text_table(path)
    require_columns(path, [str(c) for c in frame.columns], STRATEGIC_COLUMNS)
    rows = []
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        record = dict(zip(frame.columns, row, strict=True))
        name = str(record["Strategic Area"]).strip()
        if not name or name.lower() == "nan":
            raise InputError(path, "no strategic area named", row=i, column="Strategic Area",
                             hint="every intermediate zone needs the area it belongs to")
        council = require_council_code(record["Council"], file=path, row=i, column="Council")
        rows.append((locality_code(council, name), name, council, str(record["AreaCode"]).strip()))
    return pd.DataFrame(rows, columns=COLUMNS)


def load(con: duckdb.DuckDBPyConnection, raw_dir: Path | Sequence[Path]) -> list[RawFile]:
    """Land every localities file (optional source: none means no locality areas)."""
    files = find_files(raw_dir, SOURCE, (".csv", ".xlsx"), required=False)
    for raw_file in files:
        original = raw_file.path.name.removesuffix(".snapshot.parquet")
        if original.lower().endswith(".xlsx"):
            land_frame(con, RAW_TABLE, strategic_areas(raw_file.path), raw_file)
            continue
        require_columns(raw_file.path, csv_header(raw_file.path), COLUMNS)
        land_csv(con, RAW_TABLE, raw_file, columns=[f'"{c}"' for c in COLUMNS])
    if not files:
        con.execute(
            f"CREATE TABLE {RAW_TABLE} (locality_code VARCHAR, locality_name VARCHAR, council_code VARCHAR, "
            "area_code VARCHAR, _source_file VARCHAR, _release VARCHAR, _source_row BIGINT, _loaded_at TIMESTAMPTZ)"
        )
    return files
