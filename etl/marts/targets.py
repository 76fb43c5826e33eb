"""``marts.targets``: will each target be met?

Why: an exception report needs, per target, where the straight line from the baseline to the
target says the area should be now, where the recent trend is heading, with what
uncertainty, and a plain status. Projection, probability and status come from
``etl.stats.targets`` (rule and thresholds in docs/methods.md).
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
COLUMNS = ["indicator_id", "area_type", "area_code", "target_value", "target_year", "set_by", "baseline_period_label",
           "baseline_value", "latest_period_label", "latest_value", "trajectory_value_latest", "projected_value",
           "projection_lower", "projection_upper", "probability_of_meeting", "status"]


SCHEMA = ", ".join([
    "indicator_id VARCHAR", "area_type VARCHAR", "area_code VARCHAR", "target_value DOUBLE", "target_year INTEGER",
    "set_by VARCHAR", "baseline_period_label VARCHAR", "baseline_value DOUBLE", "latest_period_label VARCHAR",
    "latest_value DOUBLE", "trajectory_value_latest DOUBLE", "projected_value DOUBLE", "projection_lower DOUBLE",
    "projection_upper DOUBLE", "probability_of_meeting DOUBLE", "status VARCHAR",
])


def targets_frame(targets: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The mart's rows (pure: unit-testable). ``values`` has indicator_id, area_type, area_code,
    period_label, period_year, value, polarity, baseline_year."""
    rows = []
    for target in targets.itertuples(index=False):
        series = values[(values.indicator_id == target.indicator_id) & (values.area_type == target.area_type)
                        & (values.area_code == target.area_code)].dropna(subset=["value"]).sort_values("period_year")
        row = {c: getattr(target, c) for c in ["indicator_id", "area_type", "area_code", "target_value",
                                               "target_year", "set_by"]}
        if len(series) >= 3:
            polarity, baseline_year = series.polarity.iloc[0], series.baseline_year.iloc[0]
            base = series[series.period_year >= baseline_year].head(1)
            latest = series.tail(1)
            row |= {"baseline_period_label": base.period_label.iloc[0] if len(base) else None,
                    "baseline_value": base.value.iloc[0] if len(base) else np.nan,
                    "latest_period_label": latest.period_label.iloc[0], "latest_value": latest.value.iloc[0]}
            if len(base):
                b_year, b_value, l_year = base.period_year.iloc[0], base.value.iloc[0], latest.period_year.iloc[0]
                share = (l_year - b_year) / (target.target_year - b_year) if target.target_year != b_year else 1.0
                row["trajectory_value_latest"] = b_value + (target.target_value - b_value) * share
            proj = projection(series.period_year, series.value, target.target_year)
            prob = probability_of_meeting_target(series.period_year, series.value, target.target_year,
                                                 target.target_value, polarity)
            row |= {"projected_value": proj.predicted, "projection_lower": proj.lower, "projection_upper": proj.upper,
                    "probability_of_meeting": prob,
                    "status": target_status(prob) if np.isfinite(prob) else "cannot be calculated"}
        else:
            row["status"] = "cannot be calculated"
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create ``marts.targets`` (empty when no targets are loaded)."""
    targets = target_source.load(con, settings.raw_dir)
    values = con.execute("""
        SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.period_year, v.value, i.polarity,
               i.baseline_year
        FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
        WHERE (v.indicator_id, v.area_type, v.area_code) IN (SELECT (indicator_id, area_type, area_code) FROM targets)
    """).df() if len(targets) else pd.DataFrame()
    con.execute(f"CREATE OR REPLACE TABLE marts.targets ({SCHEMA})")
    if len(targets):
        insert_into(con, "marts.targets", targets_frame(targets, values))
