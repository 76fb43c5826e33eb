"""``marts.communities``: communities (intermediate zones) "in the round".

Why: the national Community Planning Outcomes Profile looks at every community across several
outcomes at once to find the most vulnerable ones and the ones improving least. For each
intermediate zone (IZ) and each outcome published for IZs (every extensive indicator valid at
that level): the latest value, the baseline value and the change since the baseline; the
level and the change are turned into z-scores across Scotland and within the council, with
the sign set so that POSITIVE = BETTER whatever the indicator's polarity; they are summed over
the outcomes into one summary row per IZ (``indicator_id = 'all'``); IZs are ranked within
their council by their combined current outcomes (1 = most vulnerable) and the five most
vulnerable per council are flagged, as CPOP does.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from etl.frames import create_table
from etl.settings import Settings

ORDER = 35
MOST_VULNERABLE = 5
ALL = "all"
COLUMNS = ["intermediate_zone_code", "council_code", "indicator_id", "baseline_period_label", "baseline_value",
           "latest_period_label", "latest_value", "change_since_baseline", "improvement_since_baseline_pct", "z_level_scotland",
           "z_level_council", "z_scotland", "z_council", "outcomes", "outcomes_with_change", "total_level_z_scotland",
           "total_level_z_council", "total_z_scotland", "total_z_council", "mean_level_z_council", "rank_in_council",
           "is_most_vulnerable"]


def _z(values: pd.Series, groups: list[pd.Series]) -> pd.Series:
    """z-score within groups, sample standard deviation (n − 1, as CPOP); < 2 values or sd 0 → NaN."""
    g = values.groupby(groups)
    sd = g.transform("std")
    with np.errstate(divide="ignore", invalid="ignore"):
        return (values - g.transform("mean")) / sd.where(sd > 0)


def _latest_and_baseline(values: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator × IZ: the outcome's latest and baseline periods, the same for every IZ."""
    key = ["indicator_id", "intermediate_zone_code"]
    known = values.dropna(subset=["value"])
    latest_year = known.groupby("indicator_id")["period_year"].max().rename("latest_year")
    after = known[known.period_year >= known.baseline_year]
    base_year = after.groupby("indicator_id")["period_year"].min().rename("base_year")
    v = values.merge(latest_year, on="indicator_id").merge(base_year, on="indicator_id", how="left")
    latest = v[v.period_year == v.latest_year][[*key, "council_code", "polarity", "period_label", "value"]].rename(
        columns={"period_label": "latest_period_label", "value": "latest_value"})
    base = v[v.period_year == v.base_year][[*key, "period_label", "value"]].rename(
        columns={"period_label": "baseline_period_label", "value": "baseline_value"})
    return latest.merge(base, on=key, how="left")


def _from_trend(trend: pd.DataFrame) -> pd.DataFrame:
    """Rows already reduced to latest and baseline (``marts.trend`` shape: area_code, latest_value, change_abs)."""
    d = trend.rename(columns={"area_code": "intermediate_zone_code"}).copy()
    if "baseline_value" not in d:
        d["baseline_value"] = d.latest_value - d.change_abs
    return d


def communities_frame(values: pd.DataFrame) -> pd.DataFrame:
    """The mart's rows from published IZ values (pure: unit-tested).

    ``values``: one row per indicator × IZ × period with ``intermediate_zone_code``,
    ``council_code``, ``indicator_id``, ``period_label``, ``period_year``, ``value`` (NULL when
    withheld), ``polarity``, ``baseline_year`` (or rows already reduced to one per IZ in the
    ``marts.trend`` shape: ``area_code``, ``latest_value``, ``change_abs``).

    Per outcome, every IZ is compared on the same periods: the latest period with any IZ value,
    and the baseline period (the baseline year's, else the first after it). An IZ whose value
    is withheld or missing in either has no score for it (missing, never zero).
    ``change_since_baseline`` = latest − baseline (indicator units); ``improvement_since_baseline_pct`` =
    (latest / baseline − 1) × 100 with the sign turned so that positive = improving (the
    national profile's convention). z-scores: level and change, sign so that positive =
    better, sample SD, within Scotland (all IZs) and within the council. The change is scored
    in absolute terms, not as a percentage, because a percentage explodes for small baselines.
    Summary rows: sums over the outcomes the IZ has; the rank uses the mean level z-score
    within the council (the sum divided by the number of outcomes, so an IZ with a withheld
    outcome is not pulled towards the average), ties to the smaller code.
    """
    d = _latest_and_baseline(values) if "latest_value" not in values else _from_trend(values)
    sign = np.where(d.polarity == "high_is_good", 1.0, -1.0)
    d["change_since_baseline"] = d.latest_value - d.baseline_value
    with np.errstate(divide="ignore", invalid="ignore"):
        d["improvement_since_baseline_pct"] = np.where(d.baseline_value != 0, (d.latest_value / d.baseline_value - 1) * 100 * sign,
                                         np.nan)
    level_good = d.latest_value * sign
    change_good = d.change_since_baseline * sign
    d["z_level_scotland"] = _z(level_good, [d.indicator_id])
    d["z_level_council"] = _z(level_good, [d.indicator_id, d.council_code])
    d["z_scotland"] = _z(change_good, [d.indicator_id])
    d["z_council"] = _z(change_good, [d.indicator_id, d.council_code])
    totals = d.groupby(["intermediate_zone_code", "council_code"], as_index=False).agg(
        outcomes=("z_level_council", "count"), outcomes_with_change=("z_council", "count"),
        total_level_z_scotland=("z_level_scotland", lambda s: s.sum(min_count=1)),
        total_level_z_council=("z_level_council", lambda s: s.sum(min_count=1)),
        total_z_scotland=("z_scotland", lambda s: s.sum(min_count=1)),
        total_z_council=("z_council", lambda s: s.sum(min_count=1)))
    totals["mean_level_z_council"] = totals.total_level_z_council / totals.outcomes.where(totals.outcomes > 0)
    ranked = totals.dropna(subset=["mean_level_z_council"]).sort_values(
        ["council_code", "mean_level_z_council", "intermediate_zone_code"])
    totals["rank_in_council"] = ranked.groupby("council_code").cumcount().add(1).reindex(totals.index).astype("Int64")
    totals["is_most_vulnerable"] = (totals.rank_in_council <= MOST_VULNERABLE).fillna(False).astype(bool)
    totals["indicator_id"] = ALL
    d["is_most_vulnerable"] = pd.NA
    out = pd.concat([d, totals], ignore_index=True)
    for c in COLUMNS:
        if c not in out:
            out[c] = np.nan
    out["is_most_vulnerable"] = out["is_most_vulnerable"].astype("boolean")
    out["rank_in_council"] = out["rank_in_council"].astype("Int64")
    out["outcomes"] = out["outcomes"].astype("Int64")
    out["outcomes_with_change"] = out["outcomes_with_change"].astype("Int64")
    return out[COLUMNS].sort_values(["council_code", "intermediate_zone_code", "indicator_id"]).reset_index(drop=True)


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create ``marts.communities`` from the published IZ values."""
    values = con.execute("""
        SELECT v.area_code AS intermediate_zone_code, a.council_code, v.indicator_id, v.period_label,
               v.period_year, v.value, i.polarity, i.baseline_year
        FROM marts.indicator_values AS v
        JOIN marts.areas AS a USING (area_type, area_code)
        JOIN meta.indicators AS i USING (indicator_id)
        WHERE v.area_type = 'intermediate_zone' AND v.value_type = 'raw'
          AND list_contains(i.geographies, 'intermediate_zone')
    """).df()
    create_table(con, "marts.communities", communities_frame(values))
