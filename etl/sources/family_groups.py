"""LGBF family groups of councils (similar councils by deprivation and by population density).

Why: boards compare their council with similar ones, not only with Scotland. Two layouts are
accepted in ``data/raw/family_groups/<release>/``:

* a CSV ``council_code,deprivation_group,density_group`` (S12 codes, groups 1-4);
* the Improvement Service's workbook (``Family Groups.xlsx``: council *name* in the first
  column, then ``deprivationFG_<year>`` and ``popdensityFG_<year>``). Its names differ from
  the look-up's ("Edinburgh City" for "City of Edinburgh", "Eilean Siar" for
  "Na h-Eileanan Siar"), so names are matched on a normalised form (see ``council_key``).

The newest release is used. No file at all is not an error: the family-group comparator is
then simply not made (``load`` returns an empty frame).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import InputError
from etl.sources.files import (
    RawFile,
    file_suffix,
    find_files,
    is_snapshot,
    read_text_table,
    require_columns,
)

SOURCE = "family_groups"
COLUMNS = ["council_code", "deprivation_group", "density_group"]
GROUPS = {"1", "2", "3", "4"}

#: Other names of the Western Isles council, all mapped to one key.
_WESTERN_ISLES = {"na h-eileanan siar", "na h-eileanan an iar", "eilean siar", "western isles",
                  "comhairle nan eilean siar"}
#: Words that differ between publishers' spellings of the same council ("Edinburgh City",
#: "City of Edinburgh", "Glasgow City Council").
_NOISE = {"city", "of", "the", "council", "and"}


def council_key(name: object) -> str:
    """A spelling-insensitive key for a council name.

    Why: the LGBF workbook and the SIMD look-up spell several councils differently. Lower
    case, '&' read as 'and', the words city/of/the/council/and dropped, hyphens and spaces
    collapsed; the Western Isles' several names map to one key. "Aberdeen City" and
    "Aberdeenshire" stay distinct ('aberdeen' vs 'aberdeenshire').
    """
    text = re.sub(r"\s+", " ", str(name).replace("&", " and ").strip().lower())
    if text in _WESTERN_ISLES:
        return "western isles"
    return " ".join(w for w in re.split(r"[\s,]+", text) if w and w not in _NOISE)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"council_code": pd.Series(dtype="string"), "deprivation_group": pd.Series(dtype="int64"),
                         "density_group": pd.Series(dtype="int64")})


def _read_workbook(path: Path, councils: dict[str, str]) -> pd.DataFrame:
    try:  # the workbook's sheet, or its snapshot (the sheet as text)
        frame = read_text_table(path) if is_snapshot(path) else pd.read_excel(path, dtype=str)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the same user error
        raise InputError(path, f"cannot be read as an Excel workbook ({exc})",
                         hint="save it again as .xlsx, or use the CSV layout council_code,deprivation_group,"
                              "density_group") from exc
    dep = next((c for c in frame.columns if str(c).lower().startswith("deprivationfg")), None)
    dens = next((c for c in frame.columns if str(c).lower().startswith("popdensityfg")), None)
    if dep is None or dens is None:
        raise InputError(path, "no deprivationFG_<year> / popdensityFG_<year> columns", row=1,
                         column="deprivationFG" if dep is None else "popdensityFG",
                         hint="use the LGBF family groups workbook layout or the CSV layout")
    rows = []
    for i, record in enumerate(frame.itertuples(index=False), start=2):
        name = record[0]
        if pd.isna(name) or not str(name).strip():
            continue
        key = council_key(name)
        if key not in councils:
            raise InputError(path, f"council '{name}' is not in the data zone look-up", row=i,
                             column=str(frame.columns[0]), hint="use the council names of the SIMD look-up")
        rows.append((councils[key], frame.at[i - 2, dep], frame.at[i - 2, dens], i))
    return pd.DataFrame(rows, columns=[*COLUMNS, "source_row"])


def _read_csv(path: Path) -> pd.DataFrame:
    frame = read_text_table(path).fillna("")
    frame.columns = [str(c).strip() for c in frame.columns]
    require_columns(path, frame.columns, COLUMNS)
    frame = frame[COLUMNS].apply(lambda s: s.str.strip())
    frame["source_row"] = range(2, len(frame) + 2)
    return frame


def validate(frame: pd.DataFrame, path: Path, known_codes: set[str]) -> pd.DataFrame:
    """Codes known, groups 1-4, one row per council; returns the typed three columns.

    Why: a wrong code or group would silently compare a council with the wrong neighbours.
    """
    seen: dict[str, int] = {}
    for row in frame.itertuples(index=False):
        if row.council_code not in known_codes:
            raise InputError(path, f"unknown council code: '{row.council_code}'", row=row.source_row,
                             column="council_code", hint="use S12 codes from the data zone look-up")
        if row.council_code in seen:
            raise InputError(path, f"council '{row.council_code}' appears twice (first at row "
                             f"{seen[row.council_code]})", row=row.source_row, column="council_code",
                             hint="give each council one row")
        seen[row.council_code] = row.source_row
        for column in ("deprivation_group", "density_group"):
            value = str(getattr(row, column)).strip()
            if value.endswith(".0"):  # spreadsheets write whole numbers as 2.0
                value = value[:-2]
            if value not in GROUPS:
                raise InputError(path, f"family group must be 1 to 4, not '{getattr(row, column)}'",
                                 row=row.source_row, column=column, hint="LGBF family groups are numbered 1-4")
    out = frame[COLUMNS].copy()
    for column in ("deprivation_group", "density_group"):
        out[column] = out[column].astype(str).str.strip().str.removesuffix(".0").astype("int64")
    out["council_code"] = out["council_code"].astype("string")
    return out.reset_index(drop=True)


def load_file(raw_file: RawFile, councils: dict[str, str]) -> pd.DataFrame:
    """One file, either layout. ``councils`` maps ``council_key(name)`` → code."""
    path = raw_file.path
    frame = _read_workbook(path, councils) if file_suffix(path) == ".xlsx" else _read_csv(path)
    return validate(frame, path, set(councils.values()))


def load(con: duckdb.DuckDBPyConnection, raw_dir: Path | Sequence[Path]) -> pd.DataFrame:
    """Family groups from the newest release, validated; empty when none are present."""
    files = find_files(raw_dir, SOURCE, (".csv", ".xlsx"), required=False)
    if not files:
        return _empty()
    newest = files[-1].release
    chosen = [f for f in files if f.release == newest]
    if len(chosen) > 1:
        raise InputError(chosen[-1].path, f"release '{newest}' has {len(chosen)} family group files",
                         hint="keep one file per release folder")
    councils = {council_key(name): code for code, name in con.execute(
        "SELECT area_code, area_name FROM core.dim_area WHERE area_type = 'council'").fetchall()}
    return load_file(chosen[0], councils)
