"""The disclosure audit's last resort: withhold an indicator's whole period, rather than fail the build.

Why: widening (``etl.disclosure_audit.widen``: one more cell hidden beside each cell a reader
can narrow) settles in a round or two on the demo, but not always: on the Scotland-scale demo a
data zone of ``ey_health...`` stayed pinned to [4, 4], and a local dataset covering one council
kept a data zone pinned to [3, 3] after five rounds (issue 14). Failing the build then leaves the
board with nothing; publishing leaks a count. So the build withholds every value of that
indicator and period — every area and every deprivation group — and audits again.

Why that is safe: with nothing of the period published there is no equation in its hidden cells,
so a reader knows each only to lie between 0 and its cap (the published denominator of a
percentage, else none); a range that wide is never narrower than the rule's
min(min_count, denominator). Other periods are separate systems (the audit solves each
indicator x period alone). The cost is the period's headline figures, so it is the last step,
and the build notes name each period withheld this way.

The withheld periods are kept, for the rest of the build's connection, in the temporary table
``disclosure_withheld_whole``; ``etl.marts.inequality`` reads it (``withhold_whole_groups``) so
that the deprivation groups of those periods, and the gaps worked out from them, are withheld too
whenever the marts are made again.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from etl.withheld import WITHHELD_REASON

WHOLE_TABLE = "disclosure_withheld_whole"


def withhold_whole(con: duckdb.DuckDBPyConnection, periods: Iterable[tuple[str, str]]) -> int:
    """Withhold every published value of each (indicator_id, period_label); return how many
    values were newly withheld. Remembers the periods for ``withhold_whole_groups``."""
    frame = pd.DataFrame(sorted(set(periods)), columns=["indicator_id", "period_label"])
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {WHOLE_TABLE} (indicator_id VARCHAR, period_label VARCHAR)")
    if frame.empty:
        return 0
    con.register("disclosure_whole_frame", frame)
    try:
        con.execute(f"INSERT INTO {WHOLE_TABLE} SELECT * FROM disclosure_whole_frame "
                    f"EXCEPT SELECT * FROM {WHOLE_TABLE}")
    finally:
        con.unregister("disclosure_whole_frame")
    newly = con.execute(f"""
        SELECT count(*) FROM marts.indicator_values SEMI JOIN {WHOLE_TABLE} USING (indicator_id, period_label)
        WHERE NOT is_suppressed AND (numerator IS NOT NULL OR value IS NOT NULL)
    """).fetchall()[0][0]
    # the same reason and blanking as complementary suppression (etl.disclosure._publish)
    con.execute(f"""
        UPDATE marts.indicator_values AS t
        SET is_suppressed = true, numerator = NULL, value = NULL, ci_lower = NULL, ci_upper = NULL,
            suppression_reason = $reason, is_low_reliability = false, note = NULL
        FROM {WHOLE_TABLE} AS w
        WHERE t.indicator_id = w.indicator_id AND t.period_label = w.period_label
          AND (t.numerator IS NOT NULL OR t.value IS NOT NULL)
    """, {"reason": WITHHELD_REASON})
    return int(newly)


def withhold_whole_groups(con: duckdb.DuckDBPyConnection, groups: pd.DataFrame) -> pd.DataFrame:
    """``groups`` (the deprivation-group rows of ``etl.marts.inequality``: indicator_id,
    period_label, group_number, numerator, value, ci_lower, ci_upper, is_suppressed,
    suppression_reason) with every group of a period withheld whole blanked and withheld."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
                       [WHOLE_TABLE]).fetchall()[0][0]:
        return groups
    whole = con.execute(f"SELECT indicator_id, period_label FROM {WHOLE_TABLE}").df()
    if whole.empty or groups.empty:
        return groups
    key = pd.MultiIndex.from_frame(groups[["indicator_id", "period_label"]].astype(object))
    hit = key.isin(pd.MultiIndex.from_frame(whole.astype(object))) & (groups.group_number > 0).to_numpy()
    out = groups.copy()
    out.loc[hit, ["numerator", "value", "ci_lower", "ci_upper"]] = float("nan")
    out.loc[hit, "is_suppressed"] = True
    out.loc[hit, "suppression_reason"] = WITHHELD_REASON
    return out
