"""``marts.targets``: will each target be met?

Why: an exception report needs, per target, where the straight line from the baseline to the
target says the area should be now, where the recent trend is heading, with what
uncertainty, and a plain status. Projection, probability and status come from
``etl.stats.targets`` (rule and thresholds in docs/methods.md):

* baseline: the indicator's ``baseline_year`` period, or the first published period after it
  (as in ``marts.trend``); latest: the latest published period;
* trajectory_value_latest = baseline + (target − baseline) × (latest year − baseline year) /
  (target year − baseline year): where the straight line says the area should be now;
* projection: ordinary least squares through the latest five published values, read at the
  target year, with a 95 % prediction interval (t on k − 2 df); needs three values;
* probability of meeting: P(value in the target year is at or on the good side of the
  target) under that predictive distribution; status on track (P ≥ 0.8), at risk
  (0.5 ≤ P < 0.8), off track (P < 0.5), "cannot be calculated" with fewer than three values.

Only published (post-suppression) values are used; a withheld year is simply not a point.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from etl.frames import insert_into
from etl.settings import Settings
from etl.sources import targets as target_source
from etl.stats import probability_of_meeting_target, projection, target_status

ORDER = 25
KEY = ["indicator_id", "area_type", "area_code"]
CANNOT = "cannot be calculated"
SCHEMA = {
    "indicator_id": "VARCHAR", "area_type": "VARCHAR", "area_code": "VARCHAR", "target_value": "DOUBLE",
    "target_year": "INTEGER", "set_by": "VARCHAR", "baseline_period_label": "VARCHAR", "baseline_value": "DOUBLE",
    "latest_period_label": "VARCHAR", "latest_value": "DOUBLE", "trajectory_value_latest": "DOUBLE",
    "projected_value": "DOUBLE", "projection_lower": "DOUBLE", "projection_upper": "DOUBLE",
    "probability_of_meeting": "DOUBLE", "status": "VARCHAR",
}
COLUMNS = list(SCHEMA)


def _one(target: dict, series: pd.DataFrame | None) -> dict:
    """The mart row of one target, given its published series (sorted by period_year)."""
    row = dict.fromkeys(COLUMNS, np.nan) | target | {"status": CANNOT}
    for column in ("baseline_period_label", "latest_period_label"):
        row[column] = None
    if series is None or series.empty:
        return row
    years, values = series["period_year"].to_numpy(float), series["value"].to_numpy(float)
    polarity, baseline_year = series["polarity"].iloc[0], series["baseline_year"].iloc[0]
    row["latest_period_label"], row["latest_value"] = series["period_label"].iloc[-1], values[-1]
    after = np.flatnonzero(years >= baseline_year)
    if len(after):
        b = after[0]
        row["baseline_period_label"], row["baseline_value"] = series["period_label"].iloc[b], values[b]
        span = target["target_year"] - years[b]
        share = (years[-1] - years[b]) / span if span > 0 else 1.0
        row["trajectory_value_latest"] = values[b] + (target["target_value"] - values[b]) * share
    if len(values) >= 3:
        proj = projection(years, values, target["target_year"])
        prob = probability_of_meeting_target(years, values, target["target_year"], target["target_value"], polarity)
        row |= {"projected_value": proj.predicted, "projection_lower": proj.lower, "projection_upper": proj.upper,
                "probability_of_meeting": prob, "status": target_status(prob) if np.isfinite(prob) else CANNOT}
    return row


def targets_frame(targets: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The mart's rows, one per target (pure: unit-tested on hand-made frames).

    ``targets`` has the source columns; ``values`` has indicator_id, area_type, area_code,
    period_label, period_year, value, polarity and baseline_year (withheld values missing).
    """
    known = values.dropna(subset=["value"]).sort_values([*KEY, "period_year"], kind="stable") if len(values) else values
    groups = dict(tuple(known.groupby(KEY, sort=False))) if len(known) else {}
    rows = [_one({c: getattr(t, c) for c in target_source.COLUMNS}, groups.get(tuple(getattr(t, k) for k in KEY)))
            for t in targets.itertuples(index=False)]
    return pd.DataFrame(rows, columns=COLUMNS)


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create ``marts.targets`` (empty when no targets are loaded)."""
    targets = target_source.load(con, settings.raw_dir)
    con.execute(f"CREATE OR REPLACE TABLE marts.targets ({', '.join(f'{c} {t}' for c, t in SCHEMA.items())})")
    if targets.empty:
        return
    con.register("_targets", targets)
    try:
        values = con.execute("""
            SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.period_year, v.value, i.polarity,
                   i.baseline_year
            FROM marts.indicator_values AS v
            JOIN meta.indicators AS i USING (indicator_id)
            SEMI JOIN _targets AS t USING (indicator_id, area_type, area_code)
            WHERE v.value IS NOT NULL
        """).df()
    finally:
        con.unregister("_targets")
    insert_into(con, "marts.targets", targets_frame(targets, values))
