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

import duckdb
import numpy as np
import pandas as pd

from etl.build import SQL_DIR
from etl.frames import create_table
from etl.settings import Settings
from etl.stats import improvement_rag
from etl.stats._arrays import column_kept
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

    Why whole-array steps over plain arrays: this serves user-made areas on demand (a few dozen
    series of 15 points), where per-group pandas operations cost more than the whole walk.
    Each series is walked in period order: latest = its last row with a value, baseline = its
    first row with a value from its ``baseline_year`` on; series in order of first appearance. A
    missing key (None, nan, NA) is one value, as in ``cpop_improvement_frame``.
    """
    cols = {c: values[c].to_numpy(object) for c in [*KEY, "polarity", "measure_type", "period_label", "period_year",
                                                    "value", "baseline_year"]}
    number: dict[tuple, int] = {}
    series = np.array([number.setdefault(key, len(number)) for key in _keys(values, KEY)], dtype=np.intp)
    count = len(number)
    # each series' rows together, in period order (by series number: a missing key is one value,
    # and text is never compared with None)
    order = np.lexsort((values["period_year"].to_numpy(), series))
    walk = {c: column[order] for c, column in cols.items()}
    series, present = series[order], ~pd.isna(walk["value"])
    in_time = present & ~pd.isna(walk["baseline_year"])
    with np.errstate(invalid="ignore"):  # a missing year is not in time
        in_time[in_time] = walk["period_year"][in_time] >= walk["baseline_year"][in_time]
    scotland = {(walk["indicator_id"][i], walk["period_year"][i]): walk["value"][i]
                for i in np.flatnonzero(present & (walk["area_type"] == SCOTLAND))}  # the last one of a period wins
    first = _first_where(series, np.ones(len(order), dtype=bool), count)
    out = {c: _picked(walk[c], first) for c in [*KEY, "polarity", "measure_type"]}
    for end, at in (("baseline", _first_where(series, in_time, count)),
                    ("latest", _first_where(series, present, count, last=True))):
        out[f"{end}_period_label"] = _picked(walk["period_label"], at)
        out[f"{end}_period_year"] = _picked(walk["period_year"], at)
        out[f"{end}_value"] = _picked(walk["value"], at)
    for end in ("baseline", "latest"):
        out[f"scotland_{end}_value"] = np.array([scotland.get(key) for key in zip(
            out["indicator_id"], out[f"{end}_period_year"], strict=True)], dtype=object)
    return pd.DataFrame({c: _column(v, numeric=c.endswith(("_year", "_value"))) for c, v in out.items()})


def _first_where(series: np.ndarray, where: np.ndarray, count: int, *, last: bool = False) -> np.ndarray:
    """Position of each series' first (or last) element where ``where`` holds, -1 where none."""
    at = np.full(count, -1)
    rows = np.flatnonzero(where)[::-1 if last else 1]
    found, position = np.unique(series[rows], return_index=True)
    at[found] = rows[position]
    return at


def _picked(column: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``column[at]``, None where ``at`` is -1."""
    return np.append(column, None)[at]


def _column(values: np.ndarray, *, numeric: bool) -> np.ndarray | list:
    """An object column as floats, or as a list for pandas to infer its dtype as it does from
    rows (text as ``str``); empty, it stays object as a frame built from no rows has it."""
    if numeric:
        return pd.to_numeric(values, errors="coerce").astype(float)
    return values.tolist() if len(values) else values


def _keys(frame: pd.DataFrame, on: list[str]) -> zip:
    """The ``on`` values of each row as tuples, a missing value (None, nan, NA) as None: one
    value, as a groupby and a merge take it."""
    columns = [frame[c].to_numpy(object) for c in on]
    return zip(*(np.where(pd.isna(c), None, c) for c in columns), strict=True)


def _rows_in(left: pd.DataFrame, right: pd.DataFrame, on: list[str], name: str) -> np.ndarray:
    """Position in ``right`` of each ``left`` row's ``on`` values, -1 where none.

    Why: a left merge onto unique keys without merge's cost on the dashboard's small frames;
    as in ``merge``, a missing value matches any missing one. ``right`` (the argument ``name``)
    must not repeat a key: the left merge would repeat the left row.
    """
    if len(on) == 1:  # a hash index: the build joins ~100,000 series on their series_id
        index = pd.Index(right[on[0]])
        if not index.is_unique:
            raise ValueError(f"argument '{name}' repeats a key {on}")
        return index.get_indexer(left[on[0]])
    position = {key: i for i, key in enumerate(_keys(right, on))}
    if len(position) != len(right):
        raise ValueError(f"argument '{name}' repeats a key {on}")
    return np.array([position.get(key, -1) for key in _keys(left, on)], dtype=np.intp)


def assemble(ends: pd.DataFrame, verdicts: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """The mart's rows from the series' ends and the trend verdicts (joined on ``on``)."""
    at = _rows_in(ends, verdicts, on, "verdicts")
    verdict = {c: column_kept(verdicts[c].array.take(at, allow_fill=True)) for c in ("verdict", "method", "p_value",
                                                                                "n_points")}
    latest, base = ends["latest_value"].to_numpy(float), ends["baseline_value"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(base != 0, (latest / base - 1) * 100, np.nan)
        scot_base = ends["scotland_baseline_value"].to_numpy(float)
        scot_pct = np.where(scot_base != 0, (ends["scotland_latest_value"].to_numpy(float) / scot_base - 1) * 100,
                            np.nan)
    sign = np.where(ends["polarity"].to_numpy() == "low_is_good", -1.0, 1.0)
    rag = np.full(len(ends), "grey", dtype=object)
    if len(ends):
        rag = np.asarray(improvement_rag(latest, change_pct, ends["scotland_latest_value"].to_numpy(float), scot_pct,
                                         ends["polarity"].to_numpy(object)), dtype=object).reshape(len(ends))
        rag[(ends["area_type"] == SCOTLAND).to_numpy()] = "grey"
    return pd.DataFrame({
        **{c: column_kept(ends[c].array) for c in [*KEY, "baseline_period_label", "baseline_value", "latest_period_label",
                                             "latest_value"]},
        "change_abs": latest - base, "change_pct": change_pct, "improvement_since_baseline_pct": change_pct * sign,
        "improvement_rag": rag, "trend_verdict": verdict["verdict"], "trend_method": verdict["method"],
        "trend_p_value": verdict["p_value"],
        "trend_points": np.nan_to_num(np.asarray(verdict["n_points"], dtype=float), nan=0).astype("int64"),
    })  # in BASE_COLUMNS' order


def with_cpop(out: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """``out`` with CPOP's improvement rate and rating of each series (every value type counts:
    CPOP's rate runs from the first value, imputed or not, to the last that is not projected)."""
    frame = values if "value_type" in values else values.assign(value_type="raw")
    frame = frame.assign(value_type=frame["value_type"].fillna("raw"))
    cpop = cpop_improvement_frame(frame[[*KEY, "period_label", "period_year", "value", "value_type", "polarity"]])
    at = _rows_in(out, cpop, KEY, "values")
    return pd.DataFrame({**{c: column_kept(out[c].array) for c in BASE_COLUMNS},
                         **{c: column_kept(cpop[c].array.take(at, allow_fill=True)) for c in CPOP}})  # in COLUMNS' order


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
        raw = (values["value_type"].fillna("raw") == "raw").to_numpy(bool)
        values = values if raw.all() else values[raw]
    if values.empty:
        return pd.DataFrame(columns=COLUMNS)
    tested = values if area_type is None else values[values["area_type"] == area_type]
    verdicts = trend_vectorised(tested, KEY)
    ends = series_ends(values)
    if area_type is not None:
        ends = ends[ends["area_type"] == area_type]
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
