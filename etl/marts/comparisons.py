"""``marts.comparisons``: better, similar or worse than Scotland, the council, similar councils
and the baseline year.

Why: a board reads "worse than Scotland" only when the difference is more than noise; the
rule (the area's interval excludes the comparator's value, polarity applied, at 95 % and
99.8 %) lives in ``etl/sql/marts/comparisons.sql``, the same rule as
``etl.stats.compare_to_value``. The family-group comparator (councils only) is first built
into a temporary working table ``family_group_values``:

* extensive indicators: the OTHER councils of the council's LGBF deprivation family group,
  numerators and denominators (and age bands) summed
  (``comparisons_family_group_sums.sql``), rate and 95 % interval by the published values' own
  SQL (``computed_values.sql``: Wilson / Byar / Dobson), so the comparator is a ratio of sums
  with its own interval, never an average of rates;
* intensive indicators (medians): the unweighted mean of the other members' published values,
  without an interval (``comparisons_family_group_intensive.sql``).

Either is made only when every other member's value is published, so nothing withheld can be
recovered by differencing. The council itself is left out so that it is not compared with
itself (with eight or so councils per group, including it would pull the comparator towards
the council and hide differences). With no family groups loaded there are no family-group rows.
"""

from __future__ import annotations

import duckdb

from etl.build import SQL_DIR, run_sql_file
from etl.settings import Settings

ORDER = 21
WORKING = "family_group_values"


def _family_group_values(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temporary table ``family_group_values`` (indicator_id, area_code = the council
    compared, period_label, period_year, value, ci_lower, ci_upper)."""
    pairs = (SQL_DIR / "marts" / "comparisons_family_group_pairs.sql").read_text(encoding="utf-8")
    con.execute(f"CREATE OR REPLACE TEMP TABLE family_group_pairs AS\n{pairs}")
    sums = (SQL_DIR / "marts" / "comparisons_family_group_sums.sql").read_text(encoding="utf-8")
    con.execute(f"CREATE OR REPLACE TEMP TABLE family_group_sums AS\n{sums}")
    values_sql = (SQL_DIR / "marts" / "computed_values.sql").read_text(encoding="utf-8")
    if "marts.indicator_sums" not in values_sql:  # pragma: no cover - guards a rename of the source table
        raise RuntimeError("computed_values.sql no longer reads marts.indicator_sums")
    values_sql = values_sql.replace("marts.indicator_sums", "family_group_sums")
    intensive = (SQL_DIR / "marts" / "comparisons_family_group_intensive.sql").read_text(encoding="utf-8")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {WORKING} AS
        SELECT indicator_id, area_code, period_label, period_year, value, ci_lower, ci_upper
        FROM ({values_sql}) AS extensive
        UNION ALL
        SELECT indicator_id, area_code, period_label, period_year, value, ci_lower, ci_upper
        FROM ({intensive}) AS intensive
    """)
    con.execute("DROP TABLE family_group_sums")
    con.execute("DROP TABLE family_group_pairs")


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create ``marts.comparisons`` (needs ``marts.family_groups``, possibly empty)."""
    _family_group_values(con)
    try:
        run_sql_file(con, "marts", "comparisons")
    finally:
        con.execute(f"DROP TABLE IF EXISTS {WORKING}")
