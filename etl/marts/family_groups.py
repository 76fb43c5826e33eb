"""``marts.family_groups``: the LGBF family groups of each council, held as data.

Why: "similar councils" are the Local Government Benchmarking Framework family groups (four
by deprivation, four by population density), loaded from ``data/raw/family_groups/``
(``etl.sources.family_groups``). Built before ``marts.comparisons`` (ORDER 20 < 21), which
uses the deprivation group for its ``family_group`` comparator. No file → an empty table,
and comparisons make no family-group rows (the build notes it).
"""

from __future__ import annotations

import duckdb

from etl.frames import create_table
from etl.settings import Settings
from etl.sources import family_groups

ORDER = 20


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create ``marts.family_groups`` (council_code, deprivation_group, density_group)."""
    frame = family_groups.load(con, settings.input_roots())
    create_table(con, "marts.family_groups", frame,
                 select="CAST(council_code AS VARCHAR) AS council_code, CAST(deprivation_group AS INTEGER) "
                        "AS deprivation_group, CAST(density_group AS INTEGER) AS density_group")
    con.execute("CREATE OR REPLACE TABLE marts.family_groups AS SELECT * FROM marts.family_groups "
                "ORDER BY council_code")
