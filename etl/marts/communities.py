"""``marts.communities``: communities (intermediate zones) "in the round".

Why: the national outcomes profile looks at every community across several outcomes at once
to find the most vulnerable ones. For each intermediate zone and each outcome available at
that level: the latest value and the change since the baseline; both turned into z-scores
within Scotland and within the council, with the sign set so that positive = better; summed
over outcomes; ranked within the council (1 = most vulnerable, by the summed level score);
the five most vulnerable communities per council are flagged.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from etl.frames import create_table
from etl.settings import Settings

ORDER = 35
MOST_VULNERABLE = 5


def _z(values: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    if groups is None:
        return (values - values.mean()) / values.std(ddof=0)
    grouped = values.groupby(groups)
    return (values - grouped.transform("mean")) / grouped.transform(lambda v: v.std(ddof=0))


def communities_frame(trend: pd.DataFrame) -> pd.DataFrame:
    """Rows from marts.trend rows of intermediate zones (+ council_code, polarity) — pure."""
    d = trend.dropna(subset=["latest_value"]).copy()
    sign = np.where(d.polarity == "high_is_good", 1.0, -1.0)
    d["level_good"] = d.latest_value * sign
    d["change_since_baseline"] = d.change_abs
    d["change_good"] = d.change_abs * sign
    d["z_level_scotland"] = d.groupby("indicator_id")["level_good"].transform(lambda v: _z(v))
    d["z_level_council"] = _z(d.level_good, d.indicator_id + "|" + d.council_code)
    d["z_scotland"] = d.groupby("indicator_id")["change_good"].transform(lambda v: _z(v))
    d["z_council"] = _z(d.change_good, d.indicator_id + "|" + d.council_code)
    per_outcome = d[["area_code", "council_code", "indicator_id", "latest_value", "change_since_baseline",
                     "z_level_scotland", "z_level_council", "z_scotland", "z_council"]]
    totals = per_outcome.groupby(["area_code", "council_code"], as_index=False).agg(
        outcomes=("indicator_id", "size"),
        total_level_z_scotland=("z_level_scotland", "sum"), total_level_z_council=("z_level_council", "sum"),
        total_z_scotland=("z_scotland", "sum"), total_z_council=("z_council", "sum"))
    totals["rank_in_council"] = totals.groupby("council_code")["total_level_z_scotland"].rank(method="first").astype(int)
    totals["is_most_vulnerable"] = totals.rank_in_council <= MOST_VULNERABLE
    totals["indicator_id"] = "all"
    out = pd.concat([per_outcome, totals], ignore_index=True)
    return out.rename(columns={"area_code": "intermediate_zone_code"})[
        ["intermediate_zone_code", "council_code", "indicator_id", "latest_value", "change_since_baseline",
         "z_level_scotland", "z_level_council", "z_scotland", "z_council", "outcomes", "total_level_z_scotland",
         "total_level_z_council", "total_z_scotland", "total_z_council", "rank_in_council", "is_most_vulnerable"]]


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create ``marts.communities`` (needs marts.trend)."""
    trend = con.execute("""
        SELECT t.*, a.council_code, i.polarity
        FROM marts.trend AS t
        JOIN marts.areas AS a USING (area_type, area_code)
        JOIN meta.indicators AS i USING (indicator_id)
        WHERE t.area_type = 'intermediate_zone' AND i.aggregation = 'extensive'
    """).df()
    create_table(con, "marts.communities", communities_frame(trend))
