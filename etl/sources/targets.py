"""Targets set by a partnership: indicator, area, target value and year, who set it.

Why: performance frameworks track progress to agreed targets; the file is small and written
by an officer, so every row is validated against the catalogue and the areas, and the first
bad row is reported with its file, row and column. ``data/raw/targets/<release>/*.csv`` with
columns ``indicator_id, area_type, area_code, target_value, target_year, set_by``; a later
release replaces the same indicator × area. No file at all: no targets (not an error).
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import InputError
from etl.sources.files import check_text_file, find_files, require_columns

SOURCE = "targets"
COLUMNS = ["indicator_id", "area_type", "area_code", "target_value", "target_year", "set_by"]
KEY = ["indicator_id", "area_type", "area_code"]
YEARS = range(2000, 2101)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": pd.Series(dtype=object), "area_type": pd.Series(dtype=object),
                         "area_code": pd.Series(dtype=object), "target_value": pd.Series(dtype=float),
                         "target_year": pd.Series(dtype="int64"), "set_by": pd.Series(dtype=object)})


def validate(frame: pd.DataFrame, path: Path, geographies: dict[str, set[str]],
             areas: set[tuple[str, str]]) -> pd.DataFrame:
    """Check one file's rows (``source_row`` = the row a spreadsheet shows); return typed COLUMNS.

    ``geographies`` maps indicator_id → the area types it is published for; ``areas`` holds
    every (area_type, area_code) in the warehouse.
    """
    seen: dict[tuple[str, str, str], int] = {}
    for row in frame.itertuples(index=False):
        def fail(reason: str, column: str, hint: str, row: object = row) -> InputError:
            return InputError(path, reason, row=row.source_row, column=column, hint=hint)

        if row.indicator_id not in geographies:
            raise fail(f"unknown indicator '{row.indicator_id}'", "indicator_id",
                       "use an id from meta.indicators (etl/catalogue)")
        if (row.area_type, row.area_code) not in areas:
            raise fail(f"unknown area {row.area_type} '{row.area_code}'", "area_code",
                       "use an area type and code from marts.areas")
        if row.area_type not in geographies[row.indicator_id]:
            raise fail(f"indicator '{row.indicator_id}' is not published for area type '{row.area_type}'",
                       "area_type", f"use one of: {', '.join(sorted(geographies[row.indicator_id]))}")
        try:
            value = float(row.target_value)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise fail(f"target_value must be a number, not '{row.target_value}'", "target_value",
                       "write the target on the indicator's own scale, e.g. 18.5 for 18.5 %")
        try:
            year = int(str(row.target_year).strip())
        except ValueError:
            year = -1
        if year not in YEARS:
            raise fail(f"target_year must be a year from {YEARS.start} to {YEARS.stop - 1}, not "
                       f"'{row.target_year}'", "target_year", "write a four-digit year, e.g. 2030")
        key = (row.indicator_id, row.area_type, row.area_code)
        if key in seen:
            raise fail(f"a second target for {row.indicator_id} in {row.area_type} {row.area_code} "
                       f"(the first is at row {seen[key]})", "indicator_id", "give each indicator and area one target")
        seen[key] = row.source_row
    out = frame[COLUMNS].copy()
    out["target_value"] = out["target_value"].astype(float)
    out["target_year"] = out["target_year"].astype(str).str.strip().astype("int64")
    return out


def load(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> pd.DataFrame:
    """Every target in every release (a later release replaces the same indicator × area)."""
    files = find_files(raw_dir, SOURCE, (".csv",), required=False)
    if not files:
        return _empty()
    geographies: dict[str, set[str]] = {
        i: set(g or []) for i, g in con.execute("SELECT indicator_id, geographies FROM meta.indicators").fetchall()}
    areas = set(con.execute("SELECT area_type, area_code FROM core.dim_area").fetchall())
    frames = []
    for order, raw_file in enumerate(files):
        check_text_file(raw_file.path)
        frame = pd.read_csv(raw_file.path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame.columns = [str(c).strip() for c in frame.columns]
        require_columns(raw_file.path, frame.columns, COLUMNS)
        frame = frame[COLUMNS].apply(lambda s: s.str.strip())
        frame["source_row"] = range(2, len(frame) + 2)
        checked = validate(frame, raw_file.path, geographies, areas)
        checked["_order"] = order
        frames.append(checked)
    targets = pd.concat(frames, ignore_index=True).sort_values("_order", kind="stable")
    targets = targets.drop_duplicates(KEY, keep="last").sort_values(KEY, kind="stable")
    return targets[COLUMNS].reset_index(drop=True)
