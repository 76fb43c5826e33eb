"""LGBF family groups of councils (similar councils by deprivation and by population density).

Why: boards compare their council with similar ones, not only with Scotland. Accepts a CSV
``council_code,deprivation_group,density_group`` or the Improvement Service's workbook
layout (council name in the first column, ``deprivationFG_<year>``, ``popdensityFG_<year>``),
whose names are matched to the lookup's council names.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import InputError
from etl.sources.files import RawFile, check_text_file, find_files, require_columns

SOURCE = "family_groups"


def _normalise(name: str) -> str:
    return re.sub(r"\s+", " ", str(name).replace("&", "and").strip().lower())


def _read(raw_file: RawFile, councils: dict[str, str]) -> pd.DataFrame:
    path = raw_file.path
    if path.suffix.lower() == ".xlsx":
        frame = pd.read_excel(path, dtype=str)
        dep = next((c for c in frame.columns if str(c).lower().startswith("deprivationfg")), None)
        dens = next((c for c in frame.columns if str(c).lower().startswith("popdensityfg")), None)
        if dep is None or dens is None:
            raise InputError(path, "no deprivationFG_<year> / popdensityFG_<year> columns", row=1,
                             column="deprivationFG", hint="use the LGBF family groups workbook layout")
        rows = []
        for i, record in enumerate(frame.itertuples(index=False), start=2):
            name = _normalise(record[0])
            if name not in councils:
                raise InputError(path, f"council '{record[0]}' is not in the data zone lookup", row=i,
                                 column=str(frame.columns[0]), hint="use the council names of the SIMD look-up")
            rows.append((councils[name], getattr(record, dep), getattr(record, dens), i))
        return pd.DataFrame(rows, columns=["council_code", "deprivation_group", "density_group", "source_row"])
    check_text_file(path)
    frame = pd.read_csv(path, dtype=str)
    require_columns(path, frame.columns, ["council_code", "deprivation_group", "density_group"])
    frame["source_row"] = range(2, len(frame) + 2)
    return frame


def load(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> pd.DataFrame:
    """Family groups from the newest release, validated; empty when none are present."""
    files = find_files(raw_dir, SOURCE, (".csv", ".xlsx"), required=False)
    if not files:
        return pd.DataFrame({"council_code": pd.Series(dtype="string"), "deprivation_group": pd.Series(dtype="int64"),
                             "density_group": pd.Series(dtype="int64")})
    raw_file = files[-1]
    councils = {_normalise(name): code for code, name in con.execute(
        "SELECT area_code, area_name FROM core.dim_area WHERE area_type = 'council'").fetchall()}
    frame = _read(raw_file, councils)
    known = set(councils.values())
    for row in frame.itertuples(index=False):
        if row.council_code not in known:
            raise InputError(raw_file.path, f"unknown council code: '{row.council_code}'", row=row.source_row,
                             column="council_code", hint="use S12 codes from the data zone lookup")
        for column in ("deprivation_group", "density_group"):
            if str(getattr(row, column)).strip() not in {"1", "2", "3", "4"}:
                raise InputError(raw_file.path, f"family group must be 1 to 4, not '{getattr(row, column)}'",
                                 row=row.source_row, column=column, hint="LGBF family groups are numbered 1-4")
    frame = frame.astype({"deprivation_group": int, "density_group": int})
    return frame[["council_code", "deprivation_group", "density_group"]]
