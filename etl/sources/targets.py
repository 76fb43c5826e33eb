"""Targets set by a partnership: indicator, area, target value and year, who set it.

Why: performance frameworks track progress to agreed targets; the file is small and written
by an officer, so every row is validated against the catalogue and the areas.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import InputError
from etl.sources.files import check_text_file, find_files, require_columns

SOURCE = "targets"
COLUMNS = ["indicator_id", "area_type", "area_code", "target_value", "target_year", "set_by"]


def load(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> pd.DataFrame:
    """Every target in every release (a later release replaces the same indicator × area)."""
    frames = []
    for raw_file in find_files(raw_dir, SOURCE, (".csv",), required=False):
        check_text_file(raw_file.path)
        frame = pd.read_csv(raw_file.path, dtype=str)
        require_columns(raw_file.path, frame.columns, COLUMNS)
        frame["source_file"], frame["source_row"], frame["release"] = str(raw_file.path), range(2, len(frame) + 2), raw_file.release
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    targets = pd.concat(frames, ignore_index=True)
    indicators = {r[0] for r in con.execute("SELECT indicator_id FROM meta.indicators").fetchall()}
    areas = set(con.execute("SELECT area_type, area_code FROM core.dim_area").fetchall())
    for row in targets.itertuples(index=False):
        where = {"file": row.source_file, "row": row.source_row}
        if row.indicator_id not in indicators:
            raise InputError(where["file"], f"unknown indicator '{row.indicator_id}'", row=where["row"],
                             column="indicator_id", hint="use an id from meta.indicators / etl/catalogue")
        if (row.area_type, row.area_code) not in areas:
            raise InputError(where["file"], f"unknown area {row.area_type} '{row.area_code}'", row=where["row"],
                             column="area_code", hint="use an area type and code from marts.areas")
        for column, kind in (("target_value", float), ("target_year", int)):
            try:
                kind(getattr(row, column))
            except (TypeError, ValueError):
                raise InputError(where["file"], f"not a number: '{getattr(row, column)}'", row=where["row"],
                                 column=column, hint="targets need a numeric value and a four-digit year") from None
    targets = targets.sort_values("release").drop_duplicates(["indicator_id", "area_type", "area_code"], keep="last")
    return targets.astype({"target_value": float, "target_year": int})[COLUMNS]
