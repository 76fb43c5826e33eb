"""``marts.comparisons``: better, similar or worse than Scotland, the council and the baseline.

Why: a board reads "worse than Scotland" only when the difference is more than noise; the
rule (the area's interval excludes the comparator's value, polarity applied, at 95 % and
99.8 %) lives in ``etl/sql/marts/comparisons.sql``. Family-group comparisons are added by
``etl.marts.family_groups`` when the family groups are loaded.
"""

from __future__ import annotations

import duckdb

from etl.build import run_sql_file
from etl.settings import Settings

ORDER = 21


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create ``marts.comparisons``."""
    run_sql_file(con, "marts", "comparisons")
