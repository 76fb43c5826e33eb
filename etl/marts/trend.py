"""``marts.trend``: is each indicator improving in each area?

Why: the board's first question. For every indicator × area: change since the baseline
year, the national outcomes profile's improvement rate and its RAG dot against Scotland, and
our statistical verdict over the last five points (chi-square for trend or WLS, with the
sign-flip guard; rule in docs/methods.md).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from etl.frames import create_table
from etl.settings import Settings
from etl.stats import improvement_rag
from etl.stats.trend_fast import trend_vectorised

ORDER = 20
KEY = ["indicator_id", "area_type", "area_code"]


def _values(con: duckdb.DuckDBPyConnection, indicator_id: str) -> pd.DataFrame:
    return con.execute("""
        SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.period_year, v.numerator,
               v.denominator, v.value, v.ci_lower, v.ci_upper, i.polarity, i.measure_type, i.baseline_year
        FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
        WHERE v.indicator_id = ?
    """, [indicator_id]).df()


def trend_frame(values: pd.DataFrame) -> pd.DataFrame:
    """The mart's rows from the values (pure: unit-tested on hand-made frames)."""
    verdicts = trend_vectorised(values, KEY)
    known = values.dropna(subset=["value"]).sort_values([*KEY, "period_year"])
    latest = known.groupby(KEY, sort=False).tail(1)[[*KEY, "period_label", "value", "polarity"]]
    latest = latest.rename(columns={"period_label": "latest_period_label", "value": "latest_value"})
    # baseline: the baseline year's period, else the first period after it
    after = known[known.period_year >= known.baseline_year]
    baseline = after.groupby(KEY, sort=False).head(1)[[*KEY, "period_label", "value"]]
    baseline = baseline.rename(columns={"period_label": "baseline_period_label", "value": "baseline_value"})
    out = latest.merge(baseline, on=KEY, how="left").merge(verdicts, on=KEY, how="right")
    out["change_abs"] = out.latest_value - out.baseline_value
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = np.where(out.baseline_value != 0, (out.latest_value / out.baseline_value - 1) * 100, np.nan)
    sign = np.where(out.polarity == "low_is_good", -1.0, 1.0)
    out["improvement_rate"] = out.change_pct * sign
    scotland = out[out.area_type == "scotland"][["indicator_id", "latest_value", "change_pct"]].rename(
        columns={"latest_value": "scotland_latest", "change_pct": "scotland_change_pct"})
    out = out.merge(scotland, on="indicator_id", how="left")
    has_all = out[["latest_value", "change_pct", "scotland_latest", "scotland_change_pct"]].notna().all(axis=1)
    rag = np.full(len(out), "grey", dtype=object)
    if has_all.any():
        part = out[has_all]
        rag[has_all.to_numpy()] = improvement_rag(part.latest_value.to_numpy(), part.change_pct.to_numpy(),
                                                  part.scotland_latest.to_numpy(), part.scotland_change_pct.to_numpy(),
                                                  part.polarity.to_numpy())
    out["improvement_rag"] = rag
    out = out.rename(columns={"verdict": "trend_verdict", "method": "trend_method", "p_value": "trend_p_value",
                              "n_points": "trend_points"})
    return out[[*KEY, "baseline_period_label", "baseline_value", "latest_period_label", "latest_value", "change_abs",
                "change_pct", "improvement_rate", "improvement_rag", "trend_verdict", "trend_method",
                "trend_p_value", "trend_points"]]


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create ``marts.trend`` one indicator at a time (keeps the build's peak memory low)."""
    indicators = [r[0] for r in con.execute("SELECT indicator_id FROM meta.indicators ORDER BY 1").fetchall()]
    frames = [trend_frame(values) for ind in indicators if len(values := _values(con, ind))]
    create_table(con, "marts.trend", pd.concat(frames, ignore_index=True))
