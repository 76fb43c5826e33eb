"""The codes an upload may use: the areas of the live warehouse and the postcode directory.

Why: a row whose code is not an area of the country being built would fail the build (or, worse,
be dropped by a join); it is quarantined at upload instead, with its reason. Postcodes are
matched through the same NRS postcode directory that user-made areas use
(``etl.sources.postcodes``), keeping deleted (terminated) postcodes apart so the report can say
which rows were deleted postcodes rather than simply unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import InputError, damaged_warehouse, is_corruption
from etl.settings import Settings
from etl.sources.files import release_dirs
from etl.sources.postcodes import (
    DATAZONE_COLUMNS,
    DELETION_COLUMN,
    POSTCODE_COLUMNS,
    SOURCE,
    normalise_postcode,
)


@dataclass(frozen=True)
class KnownAreas:
    """Area codes by level, live postcodes → data zone, deleted postcodes, and which country."""

    codes: dict[str, set[str]]
    postcodes: dict[str, str] = field(default_factory=dict)
    deleted_postcodes: set[str] = field(default_factory=set)
    demo: bool = False


def warehouse_codes(warehouse: Path) -> tuple[dict[str, set[str]], bool]:
    """Area codes by area type from ``marts.areas``, and whether the warehouse is the demo country."""
    if not Path(warehouse).is_file():
        raise InputError(warehouse, "there is no warehouse yet, so the area codes cannot be checked",
                         hint="run `cpop build` first")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        if is_corruption(exc):
            raise damaged_warehouse(warehouse, exc) from exc
        raise InputError(warehouse, f"the warehouse cannot be opened ({str(exc).splitlines()[0]})",
                         hint="wait for a running build to finish and try again") from exc
    try:
        rows = con.execute("SELECT area_type, area_code FROM marts.areas").fetchall()
        demo = bool(con.execute("SELECT any_value(demo) FROM meta.build_info").fetchone()[0])
    finally:
        con.close()
    codes: dict[str, set[str]] = {}
    for area_type, code in rows:
        codes.setdefault(area_type, set()).add(code)
    return codes, demo


def postcode_directory(roots: list[Path]) -> tuple[dict[str, str], set[str]]:
    """Live postcode → data zone, and deleted postcodes, from the newest postcode directory release."""
    releases = release_dirs(roots, SOURCE)
    if not releases:
        return {}, set()
    live: dict[str, str] = {}
    deleted: set[str] = set()
    for path in sorted(releases[-1][1].glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        by_lower = {c.lower(): c for c in frame.columns}
        postcode = next((by_lower[n.lower()] for n in POSTCODE_COLUMNS if n.lower() in by_lower), None)
        datazone = next((by_lower[n.lower()] for n in DATAZONE_COLUMNS if n.lower() in by_lower), None)
        if postcode is None or datazone is None:
            continue  # the build names this file; here it simply matches nothing
        gone = frame[by_lower[DELETION_COLUMN.lower()]].str.strip() != "" if DELETION_COLUMN.lower() in by_lower \
            else pd.Series(False, index=frame.index)
        for code, dz, is_gone in zip(frame[postcode], frame[datazone].str.strip(), gone, strict=True):
            normal = normalise_postcode(code)
            if normal is None:
                continue
            if is_gone:
                deleted.add(normal)
            elif dz:
                live[normal] = dz
    return live, deleted - set(live)


def known_areas(settings: Settings) -> KnownAreas:
    """What the live warehouse (and its postcode directory) lets an upload use."""
    codes, demo = warehouse_codes(settings.warehouse_path)
    roots = [settings.raw_dir] if demo else settings.input_roots()
    live, deleted = postcode_directory(roots)
    return KnownAreas(codes=codes, postcodes=live, deleted_postcodes=deleted, demo=demo)
