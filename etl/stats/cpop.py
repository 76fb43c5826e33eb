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

from etl.stats._arrays import as_float, check_polarity, column_kept, unwrap

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


class _Rows(NamedTuple):
    """A long frame's rows as :func:`cpop_improvement_frame` reads them (checked, typed)."""

    frame: pd.DataFrame  # the caller's frame: keys, period labels and polarity keep their dtypes
    series: NDArray[np.int64]  # each row's indicator × area, numbered in order of first appearance
    order: NDArray[np.intp]  # the rows by series, then period (ties keep their order)
    value: NDArray[np.float64]
    value_type: NDArray[np.object_]  # raw, imputed, projected or modelled


def _series_numbers(frame: pd.DataFrame) -> NDArray[np.int64]:
    """Each row's indicator × area, numbered from 0 in order of first appearance, a missing key
    part (None, nan, NA) being a value of its own, as ``groupby(KEY, sort=False, dropna=False)``
    numbers groups: one hash per key column, then one for their combinations."""
    factorized = [pd.factorize(frame[column], use_na_sentinel=False) for column in KEY]
    number, size = factorized[0][0].astype(np.int64), len(factorized[0][1])
    for codes, uniques in factorized[1:]:
        if size * len(uniques) >= 2**62:  # renumbered before the combination could overflow
            number = pd.factorize(number)[0]
            size = int(number.max()) + 1
        number, size = number * len(uniques) + codes, size * len(uniques)
    return pd.factorize(number)[0]


def _check_polarity(polarity: pd.Series) -> None:
    """:func:`check_polarity` on each distinct value (a build passes ~1M rows of two labels);
    on a bad one the whole column is checked again, so the error names the first bad row's value."""
    try:
        check_polarity(np.asarray(pd.unique(polarity), dtype=object))
    except ValueError:
        check_polarity(polarity.to_numpy(object))
        raise


def _frame_checked(frame: pd.DataFrame) -> _Rows:
    """The frame's needed columns, typed and checked (value types, polarity, unique periods)."""
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"argument 'frame' lacks column(s) {missing}")
    value = as_float(frame["value"], "value")
    year = as_float(frame["period_year"], "period_year")
    if np.isnan(year).any():
        raise ValueError("argument 'frame' has a missing period_year")
    value_type = _value_types(frame["value_type"].to_numpy(object), "value_type")
    _check_polarity(frame["polarity"])
    series = _series_numbers(frame)
    order = np.lexsort((year, series))
    repeated = np.flatnonzero((series[order[1:]] == series[order[:-1]]) & (year[order[1:]] == year[order[:-1]]))
    if len(repeated):
        row = frame.iloc[order[repeated + 1].min()]  # the first row, in order, repeating an earlier one
        raise ValueError(f"argument 'frame' repeats period {row['period_label']!r} for "
                         f"{row['indicator_id']!r} {row['area_type']!r} {row['area_code']!r}")
    return _Rows(frame, series, order, value, value_type)


def _ends(rows: _Rows, first_row: NDArray[np.intp]) -> dict[str, Any]:
    """Each series' CPOP baseline and latest (first and last row not projected, by period):
    ``cpop_{baseline,latest}_{period,value_type,value}``, missing for a series without such a row."""
    order = rows.order[rows.value_type[rows.order] != PROJECTED]
    in_order = rows.series[order]
    starts = np.flatnonzero(np.r_[True, in_order[1:] != in_order[:-1]]) if len(order) else np.empty(0, dtype=int)
    stops = np.r_[starts[1:] - 1, len(order) - 1] if len(order) else starts
    labels = rows.frame["period_label"].array
    out: dict[str, Any] = {}
    for end, at in (("baseline", starts), ("latest", stops)):
        row = np.full(len(first_row), -1)
        row[in_order[at]] = order[at]  # -1: the series has no such row
        out[f"cpop_{end}_period"] = labels.take(row, allow_fill=True).to_numpy()
        out[f"cpop_{end}_value_type"] = np.append(rows.value_type, np.nan)[row]
        out[f"cpop_{end}_value"] = np.append(rows.value, np.nan)[row]
    return out


def _comparator(indicator: pd.Series, first_row: NDArray[np.intp], is_comp: NDArray[np.bool_]) -> NDArray[np.intp]:
    """For each series (its first row ``first_row``), the position among the Scotland series
    (``is_comp``) of its indicator's, -1 where none; two for one indicator are an error."""
    code = pd.factorize(indicator.array.take(first_row), use_na_sentinel=False)[0]  # missing: one indicator
    comp = code[is_comp]
    _, once = np.unique(comp, return_index=True)
    if len(once) < len(comp):
        repeat = np.flatnonzero(np.isin(np.arange(len(comp)), once, invert=True))[0]
        raise ValueError(f"argument 'frame' has more than one Scotland series for "
                         f"{indicator.iloc[first_row[np.flatnonzero(is_comp)[repeat]]]!r}")
    position = np.full(len(first_row), -1)
    position[comp] = np.arange(len(comp))
    return position[code]


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
    rows = _frame_checked(frame)
    if not len(rows.series):
        return pd.DataFrame(columns=CPOP_COLUMNS)
    # Whole-array steps, no per-series merges or setitems: the dashboard calls this on demand for
    # a user-made area (a few dozen series), where pandas' per-operation cost outweighs the arithmetic.
    seen = np.maximum.accumulate(rows.series)  # numbered in order of first appearance
    first_row = np.flatnonzero(np.r_[True, seen[1:] > seen[:-1]])
    keys = {c: column_kept(frame[c].array.take(first_row)) for c in KEY}
    out = _ends(rows, first_row)
    rate = _pct_change(out["cpop_latest_value"], out["cpop_baseline_value"])
    is_comp = (pd.Series(keys["area_type"]) == SCOTLAND).fillna(False).to_numpy(bool)
    at = _comparator(frame["indicator_id"], first_row, is_comp)
    scotland_latest = np.append(out["cpop_latest_value"][is_comp], np.nan)[at]
    scotland_rate = np.append(rate[is_comp], np.nan)[at]
    level, pace = _cpop_quadrant(out["cpop_latest_value"], rate, scotland_latest, scotland_rate,
                                 frame["polarity"].array.take(first_row).to_numpy(object))
    level, pace = level.reshape(len(first_row)), pace.reshape(len(first_row))
    level[is_comp], pace[is_comp] = np.nan, np.nan
    rating, words = _rating_from_quadrant(level, pace), _words(level, pace, "Scotland")
    rating[is_comp], words[is_comp] = NO_RATING, "Scotland: the comparator"
    names = {1.0: BETTER, -1.0: WORSE, 0.0: SAME}
    return pd.DataFrame({**keys, **out, "cpop_improvement_rate": rate, "cpop_scotland_latest_value": scotland_latest,
                         "cpop_scotland_improvement_rate": scotland_rate,
                         "cpop_level_vs_scotland": [names.get(v) for v in level],
                         "cpop_pace_vs_scotland": [{1.0: FASTER, -1.0: SLOWER, 0.0: SAME}.get(v) for v in pace],
                         "cpop_rating": rating, "cpop_rating_words": words})  # in CPOP_COLUMNS' order
