"""The warehouse's areas that a spend file is checked against (read-only).

Why: the CLI checks an officer's file against the areas of the warehouse the dashboard
serves; the dashboard asks the same question through its own query layer.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import InputError, damaged_warehouse, is_corruption

AREAS_SQL = Path(__file__).with_name("areas.sql")


def warehouse_areas(warehouse: Path) -> pd.DataFrame:
    """``area_type, area_code, area_name, council_code, council_name`` of every area a spend file
    can be by; InputError when there is no warehouse to check against."""
    if not Path(warehouse).is_file():
        raise InputError(warehouse, "no warehouse to check the areas against",
                         hint="run `cpop build` (or `make demo`) first, or pass --warehouse")
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute(AREAS_SQL.read_text(encoding="utf-8")).df()
    except duckdb.Error as exc:
        if is_corruption(exc):
            raise damaged_warehouse(warehouse, exc) from exc
        raise InputError(warehouse, f"cannot read the warehouse's areas ({str(exc).splitlines()[0]})",
                         hint="if a build is running, wait for it to finish") from exc
