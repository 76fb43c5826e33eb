"""CPOP's own improvement rate and its 2x2 rating against Scotland, as CPOP computes them.

Why: boards set our figures beside the Improvement Service's Community Planning Outcomes
Profile (CPOP), so its "improvement rate" and the coloured dot on its "CPP over time" page
must come out of cpop identically, under their own names. They are kept apart from our own
change measure (``marts.trend.improvement_since_baseline_pct`` / ``improvement_rag``, baseline = the
indicator's ``baseline_year``, sign turned so that positive = improving) and from our trend
test, which differ on purpose (docs/methods.md, "CPOP's improvement rate and 2x2 rating").

The rule was established from CPOP's published files (``Imp_rate_CPP.csv``: all 660 CPP x
indicator rates of the Sep-2023 release reproduced exactly) and from reading the CPOP app's
source; this is an independent implementation of that rule, not a copy.

Value types follow ``etl.sources.published``: ``raw``, ``imputed`` (back- or in-filled by the
publisher), ``projected`` (the publisher's forecast); ``modelled`` is accepted as a non-projected
value, and CPOP's own labels (``Raw data``, ``Imputed``, ``Projected``) are read as those.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from etl.stats._arrays import as_float, check_polarity, unwrap

RAW, IMPUTED, PROJECTED, MODELLED = "raw", "imputed", "projected", "modelled"
#: CPOP's ``Type`` labels (and our own value types) -> our value types.
_VALUE_TYPE_NAMES = {"raw": RAW, "raw data": RAW, "imputed": IMPUTED, "projected": PROJECTED,
                     "modelled": MODELLED}

#: The dot's colours, in CPOP's own words (CPOP's amber is "yellow"); NO_RATING = no dot drawn.
GREEN, YELLOW, RED, BLACK, NO_RATING = "green", "yellow", "red", "black", "none"
BETTER, WORSE, SAME = "better", "worse", "same"
FASTER, SLOWER = "faster", "slower"

#: The comparator row's ``area_type`` in a long frame (as in ``marts.trend``).
SCOTLAND = "scotland"
KEY = ["indicator_id", "area_type", "area_code"]
FRAME_COLUMNS = [*KEY, "period_label", "period_year", "value", "value_type", "polarity"]
CPOP_COLUMNS = [
    *KEY,
    "cpop_baseline_period", "cpop_baseline_value_type", "cpop_baseline_value",
    "cpop_latest_period", "cpop_latest_value_type", "cpop_latest_value",
    "cpop_improvement_rate",
    "cpop_scotland_latest_value", "cpop_scotland_improvement_rate",
    "cpop_level_vs_scotland", "cpop_pace_vs_scotland",
    "cpop_rating", "cpop_rating_words",
]  # fmt: skip


class CpopEnds(NamedTuple):
    """The two points CPOP's improvement rate joins (period, value and value type of each)."""

    baseline_period: Any
    baseline_value: float
    baseline_value_type: str
    latest_period: Any
    latest_value: float
    latest_value_type: str


def _value_types(value_types: Any, name: str = "value_types") -> NDArray[np.object_]:
    """Normalise value types to ``raw``/``imputed``/``projected``/``modelled``; reject others."""
    arr = np.asarray(value_types, dtype=object).ravel()
    # each distinct label once (a build passes ~500k rows of a handful of labels)
    codes, labels = pd.factorize(arr, use_na_sentinel=False)
    names = [_VALUE_TYPE_NAMES.get(v.strip().lower()) if isinstance(v, str) else None for v in labels]
    if None in names:
        bad = np.isin(codes, [i for i, n in enumerate(names) if n is None])
        v = arr[int(np.argmax(bad))]  # the first bad value, in order
        raise ValueError(f"argument '{name}' must be one of raw, imputed, projected, modelled "
                         f"(or CPOP's 'Raw data', 'Imputed', 'Projected'), got {v!r}")
    return np.asarray(names, dtype=object)[codes] if len(arr) else np.empty(0, dtype=object)


def _pct_change(latest: NDArray[np.float64], baseline: NDArray[np.float64]) -> NDArray[np.float64]:
    """(latest / baseline − 1) × 100, nan where either is missing or the baseline is zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(baseline != 0, (latest / baseline - 1.0) * 100.0, np.nan)


def cpop_series_ends(
    values: Sequence[float | None], value_types: Sequence[str], periods: Sequence[Any]
) -> CpopEnds | None:
    """The baseline and latest points of one series as CPOP picks them (None if it has none).

    Why: CPOP's rate and its dot both read these two rows, and a user should see which
    periods (and whether imputed) a published rate joins.

    Notes
    -----
    Projected rows are dropped; the rest are ordered by period. Baseline = the **first** of
    them and latest = the **last**, whatever their value type (raw, imputed or modelled) and
    even when that row's value is missing (CPOP does not step past a missing value).
    A repeated period is an error.
    """
    vals = as_float(list(values), "values")
    types = _value_types(list(value_types))
    pers = list(periods)
    if not (len(vals) == len(types) == len(pers)):
        raise ValueError("arguments 'values', 'value_types' and 'periods' must have the same length")
    if len(set(pers)) != len(pers):
        raise ValueError("argument 'periods' must not repeat a period")
    keep = [i for i in range(len(pers)) if types[i] != PROJECTED]
    if not keep:
        return None
    try:
        keep.sort(key=lambda i: pers[i])
    except TypeError as exc:
        raise ValueError(f"argument 'periods' must be sortable: {exc}") from exc
    b, la = keep[0], keep[-1]
    return CpopEnds(pers[b], float(vals[b]), str(types[b]), pers[la], float(vals[la]), str(types[la]))


def cpop_improvement_rate(
    values: Sequence[float | None], value_types: Sequence[str], periods: Sequence[Any]
) -> float | None:
    """CPOP's improvement rate of one series, in per cent (None when it cannot be computed).

    Why: to match CPOP's published ``Improvement_Rate`` exactly. It is a plain relative change
    between two points, with no significance test and no polarity: a falling child-poverty
    rate gives a negative number although it is an improvement.

    Notes
    -----
    ``rate = (latest / baseline − 1) × 100`` with baseline and latest from
    :func:`cpop_series_ends` (first and last non-projected value, imputed or not). None when
    there is no non-projected row, when the baseline or latest value is missing, or when the
    baseline is zero (CPOP's R code would give Inf or NaN there).
    """
    ends = cpop_series_ends(values, value_types, periods)
    if ends is None:
        return None
    rate = float(_pct_change(np.array(ends.latest_value), np.array(ends.baseline_value)))
    return None if math.isnan(rate) else rate


#: Two figures equal to this relative precision are the same (CPOP compares what its CSV
#: prints, 15 significant digits: its workbook's 7.3500000000000005 is the CSV's 7.35).
SAME_RTOL = 1e-12


def _signed_comparison(area: NDArray[np.float64], comparator: NDArray[np.float64],
                       good: NDArray[np.float64]) -> NDArray[np.float64]:
    """+1 where the area is on the good side of the comparator, −1 bad side, 0 equal (to
    ``SAME_RTOL``: binary noise in the last digit is no difference), nan missing."""
    with np.errstate(invalid="ignore"):
        same = np.abs(area - comparator) <= SAME_RTOL * np.maximum(np.abs(area), np.abs(comparator))
    return np.where(same, 0.0, np.sign(area - comparator)) * good


def _cpop_quadrant(area_latest: ArrayLike, area_rate: ArrayLike, comparator_latest: ArrayLike,
                   comparator_rate: ArrayLike, polarity: Any
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(level, pace) codes: +1 better / faster, −1 worse / slower, 0 same, nan missing."""
    al, ar = as_float(area_latest, "area_latest"), as_float(area_rate, "area_rate")
    cl, cr = as_float(comparator_latest, "comparator_latest"), as_float(comparator_rate, "comparator_rate")
    pol = check_polarity(polarity)
    al, ar, cl, cr, pol = np.broadcast_arrays(al, ar, cl, cr, pol)
    good = np.where(pol == "high_is_good", 1.0, -1.0)
    return _signed_comparison(al, cl, good), _signed_comparison(ar, cr, good)


def _rating_from_quadrant(level: NDArray[np.float64], pace: NDArray[np.float64]) -> NDArray[np.object_]:
    """CPOP's colour from the (level, pace) codes, with CPOP's order of questions.

    The level is asked first: equal levels give black whatever the rates (even missing ones);
    a missing level, or a missing rate once the levels differ, gives no dot.
    """
    out = np.full(level.shape, NO_RATING, dtype=object)
    known = ~np.isnan(pace)
    out[(level > 0) & known] = YELLOW
    out[(level < 0) & known] = YELLOW
    out[(level > 0) & (pace > 0)] = GREEN
    out[(level < 0) & (pace < 0)] = RED
    out[level == 0] = BLACK
    return out


def _words(level: NDArray[np.float64], pace: NDArray[np.float64], comparator: str) -> NDArray[np.object_]:
    """Plain-English reading of each (level, pace) pair against ``comparator``."""
    out = np.empty(level.shape, dtype=object)
    for idx in np.ndindex(level.shape):
        lv, pc = level[idx], pace[idx]
        if lv == 0:
            out[idx] = f"Same level as {comparator}"
        elif np.isnan(lv) or np.isnan(pc):
            out[idx] = f"No rating: a value or rate is missing for the area or {comparator}"
        else:
            head = f"{'Better' if lv > 0 else 'Worse'} than {comparator}"
            if pc == 0:
                out[idx] = f"{head}, improving at the same rate"
            elif (pc > 0) == (lv > 0):
                out[idx] = f"{head} and improving {'faster' if pc > 0 else 'more slowly'}"
            else:
                out[idx] = f"{head} but improving {'faster' if pc > 0 else 'more slowly'}"
    return out


def cpop_rating(
    area_latest: ArrayLike,
    area_rate: ArrayLike,
    comparator_latest: ArrayLike,
    comparator_rate: ArrayLike,
    polarity: Any,
) -> Any:
    """CPOP's 2x2 rating (the dot on "CPP over time"): green, yellow, red, black or none.

    Why: CPOP crosses "is the level better or worse than the comparator (Scotland by default)?"
    with "is it improving faster or more slowly?". Works on scalars (returns a str) or arrays.

    Notes
    -----
    With s = +1 for high-is-good and −1 for low-is-good indicators,
    level = sign(s·(area_latest − comparator_latest)) and
    pace = sign(s·(area_rate − comparator_rate)), the rates being CPOP improvement rates and
    the levels the same latest values those rates end at.

    * green: level better and pace faster (both > 0);
    * red: level worse and pace slower (both < 0);
    * yellow: level better but not faster, or worse but not slower (equal rates included);
    * black: levels exactly equal (whatever the rates);
    * none: a level is missing, or the levels differ and a rate is missing (CPOP draws no dot).

    "Faster" means the change moved further in the good direction than the comparator's: for a
    low-is-good indicator a smaller (more negative) rate, which includes rising more slowly.
    """
    level, pace = _cpop_quadrant(area_latest, area_rate, comparator_latest, comparator_rate, polarity)
    return unwrap(_rating_from_quadrant(level, pace))


def cpop_rating_words(
    area_latest: ArrayLike,
    area_rate: ArrayLike,
    comparator_latest: ArrayLike,
    comparator_rate: ArrayLike,
    polarity: Any,
    comparator: str = "Scotland",
) -> Any:
    """The rating in words, e.g. "Worse than Scotland but improving faster".

    Why: the colour alone does not say which of its two quadrants a yellow dot is in, and a
    board paper needs the sentence, not the colour.
    """
    level, pace = _cpop_quadrant(area_latest, area_rate, comparator_latest, comparator_rate, polarity)
    return unwrap(_words(level, pace, comparator))


def _frame_checked(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame's needed columns, typed and checked (value types, polarity, unique periods)."""
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"argument 'frame' lacks column(s) {missing}")
    df = frame[FRAME_COLUMNS].reset_index(drop=True).copy()
    df["value"] = as_float(df["value"], "value")
    df["period_year"] = as_float(df["period_year"], "period_year")
    if df["period_year"].isna().any():
        raise ValueError("argument 'frame' has a missing period_year")
    df["value_type"] = _value_types(df["value_type"].to_numpy(object), "value_type")
    check_polarity(df["polarity"].to_numpy(object))
    dup = df.duplicated([*KEY, "period_year"])
    if dup.any():
        row = df[dup].iloc[0]
        raise ValueError(f"argument 'frame' repeats period {row['period_label']!r} for "
                         f"{row['indicator_id']!r} {row['area_type']!r} {row['area_code']!r}")
    return df


def cpop_improvement_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """CPOP's improvement rate and rating for every indicator × area of a long frame.

    Why: the warehouse and the dashboard need CPOP's figures for all series at once, side by
    side with ours; one call, joined on (indicator_id, area_type, area_code).

    ``frame`` has indicator_id, area_type, area_code, period_label, period_year, value,
    value_type and polarity (other columns are ignored). The rows with ``area_type ==
    'scotland'`` (one series per indicator) are the comparator, Scotland being the default
    comparator on CPOP's page. Returns one row per indicator × area, in order of first
    appearance, with :data:`CPOP_COLUMNS`; Scotland's own rows get rating ``none``.
    Wiring: ``out.merge(cpop_improvement_frame(values), on=KEY, how="left")``.

    Notes
    -----
    Per series, exactly as :func:`cpop_series_ends` and :func:`cpop_improvement_rate`;
    the rating as :func:`cpop_rating`, the level being each series' CPOP latest value and the
    comparator's the Scotland series' CPOP latest value and rate.
    """
    df = _frame_checked(frame)
    if df.empty:
        return pd.DataFrame(columns=CPOP_COLUMNS)
    # Whole-array steps, no per-series merges: the dashboard calls this on demand for a
    # user-made area (a few dozen series), where pandas merges cost more than the arithmetic.
    group = df.groupby(KEY, sort=False, dropna=False).ngroup().to_numpy()  # in order of first appearance
    _, first_row = np.unique(group, return_index=True)
    out = df.iloc[first_row][[*KEY, "polarity"]].reset_index(drop=True)
    used = np.flatnonzero(df["value_type"].to_numpy(object) != PROJECTED)
    order = used[np.lexsort((df["period_year"].to_numpy(float)[used], group[used]))]
    in_order = group[order]
    starts = np.flatnonzero(np.r_[True, in_order[1:] != in_order[:-1]]) if len(order) else np.empty(0, dtype=int)
    stops = np.r_[starts[1:] - 1, len(order) - 1] if len(order) else starts
    for end, at in (("baseline", starts), ("latest", stops)):
        picked = df.iloc[order[at]][["period_label", "value_type", "value"]]
        picked.index = in_order[at]  # the series each end belongs to; series with no value get NaN
        picked = picked.reindex(range(len(out)))
        out[f"cpop_{end}_period"] = picked["period_label"].to_numpy()
        out[f"cpop_{end}_value_type"] = picked["value_type"].to_numpy()
        out[f"cpop_{end}_value"] = picked["value"].to_numpy(float)
    out["cpop_improvement_rate"] = _pct_change(out["cpop_latest_value"].to_numpy(float),
                                               out["cpop_baseline_value"].to_numpy(float))
    is_comp = (out["area_type"] == SCOTLAND).fillna(False).to_numpy(bool)
    comp = out.loc[is_comp, ["indicator_id", "cpop_latest_value", "cpop_improvement_rate"]]
    if comp["indicator_id"].duplicated().any():
        first = comp.loc[comp["indicator_id"].duplicated(), "indicator_id"].iloc[0]
        raise ValueError(f"argument 'frame' has more than one Scotland series for {first!r}")
    comp = comp.set_index("indicator_id")
    out["cpop_scotland_latest_value"] = out["indicator_id"].map(comp["cpop_latest_value"]).to_numpy(float)
    out["cpop_scotland_improvement_rate"] = out["indicator_id"].map(comp["cpop_improvement_rate"]).to_numpy(float)
    level, pace = _cpop_quadrant(out["cpop_latest_value"], out["cpop_improvement_rate"],
                                 out["cpop_scotland_latest_value"], out["cpop_scotland_improvement_rate"],
                                 out["polarity"].to_numpy(object))
    level, pace = level.reshape(len(out)), pace.reshape(len(out))
    level[is_comp], pace[is_comp] = np.nan, np.nan
    rating, words = _rating_from_quadrant(level, pace), _words(level, pace, "Scotland")
    rating[is_comp], words[is_comp] = NO_RATING, "Scotland: the comparator"
    names = {1.0: BETTER, -1.0: WORSE, 0.0: SAME}
    out["cpop_level_vs_scotland"] = [names.get(v) for v in level]
    out["cpop_pace_vs_scotland"] = [{1.0: FASTER, -1.0: SLOWER, 0.0: SAME}.get(v) for v in pace]
    out["cpop_rating"], out["cpop_rating_words"] = rating, words
    return out[CPOP_COLUMNS].reset_index(drop=True)
