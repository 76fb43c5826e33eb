"""``marts.trend``: is each indicator improving in each area?

Why: the board's first question. For every indicator × area in ``marts.indicator_values``:
change since the baseline year, the national outcomes profile's improvement rate and its RAG
dot against Scotland, and our statistical verdict over the last five points (chi-square for
trend, WLS, or OLS for measures published without intervals, with the sign-flip guard; rule in
docs/methods.md, vectorised in ``etl.stats.trend_fast``).

Conventions (also in the column comments):

* baseline: the indicator's ``baseline_year`` period, or the first published period after it
  when that one is withheld or missing; latest: the latest published period.
* ``change_pct`` = (latest / baseline − 1) × 100 keeps the published sign (direction of
  change); ``improvement_since_baseline_pct`` is the same number with its sign turned so that **positive =
  improving** (× −1 for low-is-good indicators).
* ``improvement_rag`` (``etl.stats.improvement_rag``) compares the area with Scotland **over the
  same two periods** (Scotland's value in the area's baseline and latest periods): green =
  level better and improving faster, red = level worse and improving slower, amber otherwise;
  grey when anything is missing, and for Scotland itself (no comparator).
* the trend verdict uses every row of the last five periods, so a withheld or missing point
  among them gives "cannot be calculated".
* only observations count: a publisher's imputed and projected values (``value_type``) are
  shown but never tested, and never a series' baseline or latest value.
* ``cpop_improvement_rate`` and ``cpop_rating`` are the Improvement Service's own (etl.stats.cpop:
  from the first value, imputed or not, to the last not projected; the raw sign; rated against
  Scotland), so a board can set cpop's figures beside CPOP's.

The build finds the series' ends in SQL (``etl/sql/marts/trend_series.sql``) and runs the
trend test on the last five points of all series at once; :func:`trend_frame` does the same
from a pandas frame (user-made areas in the dashboard, unit tests).
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pandas as pd

from etl.build import SQL_DIR
from etl.frames import create_table
from etl.settings import Settings
from etl.stats import improvement_rag
from etl.stats.cpop import cpop_improvement_frame
from etl.stats.trend import TREND_POINTS
from etl.stats.trend_fast import trend_vectorised

ORDER = 22
KEY = ["indicator_id", "area_type", "area_code"]
SCOTLAND = "scotland"
BASE_COLUMNS = [*KEY, "baseline_period_label", "baseline_value", "latest_period_label", "latest_value", "change_abs",
                "change_pct", "improvement_since_baseline_pct", "improvement_rag", "trend_verdict", "trend_method", "trend_p_value",
                "trend_points"]
#: CPOP's own improvement rate and 2x2 rating (etl.stats.cpop), beside ours
CPOP = ["cpop_baseline_period", "cpop_latest_period", "cpop_improvement_rate", "cpop_rating", "cpop_rating_words"]
COLUMNS = [*BASE_COLUMNS, *CPOP]


def series_ends(values: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator × area: polarity, baseline and latest period/value, and Scotland's
    values in those two periods (the pandas twin of ``trend_series.sql``).

    Why a loop over plain arrays: this serves user-made areas on demand (a few dozen series of
    15 points); per-group pandas merges cost more than the whole walk.
    """
    order = np.lexsort((values["period_year"].to_numpy(), *(values[k].to_numpy(object) for k in reversed(KEY))))
    cols = {c: values[c].to_numpy(object)[order] for c in [*KEY, "polarity", "measure_type", "period_label",
                                                           "period_year", "value", "baseline_year"]}
    first_seen: dict[tuple, int] = {}
    for i, key in enumerate(zip(*(values[k].to_numpy(object) for k in KEY), strict=True)):
        first_seen.setdefault(key, i)
    ends: dict[tuple, dict[str, Any]] = {}
    scotland: dict[tuple[str, float], float] = {}
    for i in range(len(order)):
        key = (cols["indicator_id"][i], cols["area_type"][i], cols["area_code"][i])
        row = ends.setdefault(key, {"polarity": cols["polarity"][i], "measure_type": cols["measure_type"][i]})
        value = cols["value"][i]
        if value is None or pd.isna(value):
            continue
        year, label = cols["period_year"][i], cols["period_label"][i]
        row.update(latest_period_label=label, latest_period_year=year, latest_value=value)
        baseline_year = cols["baseline_year"][i]
        if "baseline_value" not in row and not pd.isna(baseline_year) and year >= baseline_year:
            row.update(baseline_period_label=label, baseline_period_year=year, baseline_value=value)
        if key[1] == SCOTLAND:
            scotland[(key[0], year)] = value
    rows = []
    for key in sorted(ends, key=first_seen.__getitem__):
        row = ends[key]
        rows.append({**dict(zip(KEY, key, strict=True)), "polarity": row["polarity"],
                     "measure_type": row["measure_type"],
                     **{f"{end}_{field}": row.get(f"{end}_{field}") for end in ("baseline", "latest")
                        for field in ("period_label", "period_year", "value")},
                     **{f"scotland_{end}_value": scotland.get((key[0], row.get(f"{end}_period_year")))
                        for end in ("baseline", "latest")}})
    out = pd.DataFrame(rows, columns=[*KEY, "polarity", "measure_type", "baseline_period_label",
                                      "baseline_period_year", "baseline_value", "latest_period_label",
                                      "latest_period_year", "latest_value", "scotland_baseline_value",
                                      "scotland_latest_value"])
    for column in ("baseline_period_year", "baseline_value", "latest_period_year", "latest_value",
                   "scotland_baseline_value", "scotland_latest_value"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    return out


def assemble(ends: pd.DataFrame, verdicts: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """The mart's rows from the series' ends and the trend verdicts (joined on ``on``)."""
    out = ends.merge(verdicts, on=on, how="left")
    latest, base = out["latest_value"].to_numpy(float), out["baseline_value"].to_numpy(float)
    out["change_abs"] = latest - base
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = np.where(base != 0, (latest / base - 1) * 100, np.nan)
        scot_base = out["scotland_baseline_value"].to_numpy(float)
        scot_pct = np.where(scot_base != 0, (out["scotland_latest_value"].to_numpy(float) / scot_base - 1) * 100,
                            np.nan)
    sign = np.where(out["polarity"].to_numpy() == "low_is_good", -1.0, 1.0)
    out["improvement_since_baseline_pct"] = out["change_pct"] * sign
    rag = np.full(len(out), "grey", dtype=object)
    if len(out):
        rag = np.asarray(improvement_rag(latest, out["change_pct"].to_numpy(float),
                                         out["scotland_latest_value"].to_numpy(float), scot_pct,
                                         out["polarity"].to_numpy(object)), dtype=object).reshape(len(out))
        rag[(out["area_type"] == SCOTLAND).to_numpy()] = "grey"
    out["improvement_rag"] = rag
    out = out.rename(columns={"verdict": "trend_verdict", "method": "trend_method", "p_value": "trend_p_value",
                              "n_points": "trend_points"})
    out["trend_points"] = out["trend_points"].fillna(0).astype("int64")
    return out[BASE_COLUMNS]


def with_cpop(out: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """``out`` with CPOP's improvement rate and rating of each series (every value type counts:
    CPOP's rate runs from the first value, imputed or not, to the last that is not projected)."""
    frame = values if "value_type" in values else values.assign(value_type="raw")
    frame = frame.assign(value_type=frame["value_type"].fillna("raw"))
    cpop = cpop_improvement_frame(frame[[*KEY, "period_label", "period_year", "value", "value_type", "polarity"]])
    return out.merge(cpop[[*KEY, *CPOP]], on=KEY, how="left")[COLUMNS]


def trend_frame(values: pd.DataFrame, area_type: str | None = None) -> pd.DataFrame:
    """The mart's rows from a long frame of values (pure: unit-tested on hand-made frames).

    ``values`` has indicator_id, area_type, area_code, period_label, period_year, numerator,
    denominator, value, ci_lower, ci_upper, polarity, measure_type, baseline_year and (for
    measures published without intervals, tested by OLS) ci_method, and (for rolling periods,
    tested allowing for their overlap) rolling_years; withheld
    values are missing (NaN), never zero. Scotland rows, when present, are the RAG comparator.
    ``area_type``: return (and test) only that type's series, the others being comparators
    (a user-made area's profile needs no verdict on Scotland itself).
    """
    every = values
    if "value_type" in values:  # a publisher's imputed and projected values are never tested
        values = values[values["value_type"].fillna("raw") == "raw"]
    if values.empty:
        return pd.DataFrame(columns=COLUMNS)
    tested = values if area_type is None else values[values["area_type"] == area_type]
    verdicts = trend_vectorised(tested, KEY)[[*KEY, "verdict", "method", "p_value", "n_points"]]
    ends = series_ends(values)
    if area_type is not None:
        ends = ends[ends["area_type"] == area_type].reset_index(drop=True)
    return with_cpop(assemble(ends, verdicts, KEY), every)


def _last_points(con: duckdb.DuckDBPyConnection, ends: pd.DataFrame) -> pd.DataFrame:
    """The last five rows of every series (withheld ones included), numbered by ``series_id``.

    Both queries order the series by (indicator_id, area_type, area_code), so the k-th series
    here is ``series_id`` k of ``trend_series.sql``; the keys are checked to be sure.
    """
    points = con.execute(f"""
        SELECT indicator_id, area_type, area_code, period_year, numerator, denominator, value, ci_lower, ci_upper
        FROM marts.indicator_values
        WHERE value_type = 'raw'
        QUALIFY row_number() OVER (PARTITION BY indicator_id, area_type, area_code ORDER BY period_year DESC)
                <= {TREND_POINTS}
        ORDER BY indicator_id, area_type, area_code, period_year
    """).df()
    keys = [points[k].to_numpy(object) for k in KEY]
    start = np.ones(len(points), dtype=bool)
    if len(points) > 1:
        start[1:] = np.logical_or.reduce([k[1:] != k[:-1] for k in keys])
    series_id = np.cumsum(start)
    first = np.flatnonzero(start)
    expected = ends[KEY].to_numpy(object)
    if len(first) != len(expected) or any((k[first] != expected[:, i]).any() for i, k in enumerate(keys)):
        raise RuntimeError("marts.trend: the series of the last-five-points query do not match trend_series")
    points = points.drop(columns=KEY)
    points["series_id"] = series_id
    points["polarity"] = ends["polarity"].to_numpy(object)[series_id - 1]
    points["measure_type"] = ends["measure_type"].to_numpy(object)[series_id - 1]
    points["ci_method"] = ends["ci_method"].to_numpy(object)[series_id - 1]  # 'none': tested by OLS
    points["rolling_years"] = ends["rolling_years"].to_numpy(object)[series_id - 1]  # overlapping periods
    return points


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create ``marts.trend``: series ends in SQL, the trend test on all last-five points at once."""
    sql = (SQL_DIR / "marts" / "trend_series.sql").read_text(encoding="utf-8")
    ends = con.execute(f"{sql.rstrip()}\nORDER BY series_id").df()
    points = _last_points(con, ends)
    verdicts = trend_vectorised(points, ["series_id"])[["series_id", "verdict", "method", "p_value", "n_points"]]
    # missing values included: CPOP's rate never steps past one; CPOP's rating reads the
    # direction as CPOP does (its "High is Positive") where the catalogue records that it differs
    values = con.execute("""
        SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.period_year, v.value, v.value_type,
               coalesce(i.publisher_polarity, i.polarity) AS polarity
        FROM marts.indicator_values AS v JOIN meta.indicators AS i USING (indicator_id)
    """).df()
    create_table(con, "marts.trend", with_cpop(assemble(ends, verdicts, ["series_id"]), values))
