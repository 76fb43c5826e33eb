"""The trend test of :mod:`etl.stats.trend`, vectorised over many groups at once.

Why: the warehouse needs a verdict for every indicator × area (≈140,000 series at Scotland
scale); calling :func:`etl.stats.trend.trend_test` per series costs ~20 s. This applies the
same rule (last five points, chi-square for trend, WLS or OLS, sign-flip guard) to a padded
(groups × 5) array. ``tests/property/stats`` checks it agrees with the scalar function.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from etl.stats._arrays import column_kept
from etl.stats.levels import Z95
from etl.stats.trend import (
    CANNOT,
    CHI_SQUARE_MEASURES,
    IMPROVING,
    MIN_TREND_POINTS,
    NO_CHANGE,
    NO_CI_METHODS,
    TREND_POINTS,
    WORSENING,
)
from etl.stats.trend_model import binomial_variance, fit_line


def _fit(t: np.ndarray, a: np.ndarray, b: np.ndarray, mask: np.ndarray, chi: np.ndarray, ols: np.ndarray,
         window: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Direction and p-value per series over the points where ``mask`` is true: counts out of a
    denominator (``chi``: a = r, b = n) on the binomial variance, values with intervals on
    b = SE, values without (``ols``) on their scatter alone (:func:`etl.stats.trend_model.fit_line`)."""
    prop, binomial = binomial_variance(a, b, mask)
    y = np.where(chi[:, None], prop, a)
    variance = np.where(chi[:, None], binomial, np.where(ols[:, None], 1.0, b**2))
    fit = fit_line(t, y, variance, mask, window=window, known_variance=~ols)
    direction = np.where(np.isfinite(fit.slope) & (fit.slope != 0), np.sign(fit.slope), 0)
    return direction, fit.p_value


def _ranked(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``column`` as numbers that sort as ``sort_values`` sorts it, and where it is missing.

    Plain numpy numbers sort as they are (nan last); anything else (text, nullable or object
    columns) by the rank of its distinct values, a missing value ranking last, as pandas' own
    multi-column sort ranks it (``pd.factorize(sort=True)``).
    """
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iufb":
        values = column.to_numpy()
        return values, (np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), dtype=bool))
    codes, uniques = pd.factorize(column, sort=True)
    return np.where(codes < 0, len(uniques), codes), codes < 0


def _last_points(df: pd.DataFrame, by: list[str], time: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each group's last ``TREND_POINTS`` rows in (``by``, ``time``) order: their positions in
    ``df``, group number and slot (0 = earliest), and each group's first such row.

    Why whole-array steps: the dashboard tests a user-made area's few dozen series on demand,
    where pandas' per-operation cost (sort, groupby, drop_duplicates) was most of the time.
    The semantics are pandas': groups are numbered in sorted ``by`` order; a row with a
    missing ``by`` value belongs to no group (groupby drops it); missing times sort last and
    ties keep their order (``sort_values(kind="stable")``).
    """
    ranks, missing = zip(*(_ranked(df[column]) for column in by), strict=True)
    rows = np.flatnonzero(~np.logical_or.reduce(missing))
    keys = [rank[rows] for rank in ranks]
    times = _ranked(df[time])[0][rows]
    order = np.lexsort([times, *reversed(keys)])
    keys = [key[order] for key in keys]
    new = np.ones(len(order), dtype=bool)
    new[1:] = np.logical_or.reduce([key[1:] != key[:-1] for key in keys])
    times = times[order]
    repeated = np.flatnonzero(~new[1:] & (times[1:] == times[:-1]))
    if len(repeated):  # as the one-series test says; the fit would fail on a singular matrix
        row = df.iloc[rows[order[repeated[0] + 1]]]
        raise ValueError(f"argument 'time' has repeated values: {time} {row[time]} twice for "
                         + ", ".join(f"{column} {str(row[column])!r}" for column in by))
    starts = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    first = np.maximum(starts, np.r_[starts[1:], len(order)] - TREND_POINTS)
    slot = np.arange(len(order)) - first[group]
    kept = slot >= 0
    return rows[order[kept]], group[kept], slot[kept], rows[order[first]]


def trend_vectorised(
    df: pd.DataFrame,
    by: Sequence[str],
    *,
    time: str = "period_year",
    polarity: str = "polarity",
    measure_type: str = "measure_type",
    ci_method: str = "ci_method",
    rolling_years: str = "rolling_years",
    level: float = 0.95,
    ci_z: float = Z95,
) -> pd.DataFrame:
    """One row per group: ``by`` columns, verdict, method, direction, p_value, n_points.

    ``df`` has per-row ``numerator``, ``denominator``, ``value``, ``ci_lower``, ``ci_upper``,
    the time column and per-group ``polarity``/``measure_type`` columns, and optionally a
    per-group ``ci_method`` column ('none': published without intervals, tested by OLS) and
    ``rolling_years`` column (years per rolling period; 1 when absent).
    """
    by = list(by)
    rows, g, slot, first = _last_points(df, by, time)
    extra = [c for c in (ci_method, rolling_years) if c in df.columns]
    shape = (len(first), TREND_POINTS)

    def grid(column: str) -> np.ndarray:
        out = np.full(shape, np.nan)
        out[g, slot] = pd.to_numeric(df[column], errors="coerce").to_numpy(float)[rows]
        return out

    def per_group(column: str) -> pd.api.extensions.ExtensionArray:
        return df[column].array.take(first)  # the group's first row of its last points

    present = np.zeros(shape, dtype=bool)
    present[g, slot] = True
    t = grid(time)
    numerator, denominator, lower, upper = grid("numerator"), grid("denominator"), grid("ci_lower"), grid("ci_upper")

    def none_known(*grids: np.ndarray) -> np.ndarray:
        return np.logical_or.reduce([(~present | np.isnan(g)).all(axis=1) for g in grids])

    declared_chi = np.asarray(per_group(measure_type).isin(CHI_SQUARE_MEASURES), dtype=bool)
    declared_ols = ~declared_chi & (np.asarray(per_group(ci_method).isin(NO_CI_METHODS), dtype=bool)
                                    if ci_method in extra else False)
    window = (np.fmax(pd.to_numeric(pd.Series(per_group(rolling_years)), errors="coerce").to_numpy(float), 1.0)
              if rolling_years in extra else np.ones(len(first)))  # missing or below 1: 1
    # 2b. a series published without its counts (or without intervals) is tested on its values
    chi = declared_chi & ~none_known(numerator, denominator)
    ols = declared_ols | (~chi & none_known(lower, upper))
    a = np.where(chi[:, None], numerator, grid("value"))
    b = np.where(chi[:, None], denominator, np.where(ols[:, None], 1.0, (upper - lower) / (2 * ci_z)))
    k = present.sum(axis=1)
    missing = (present & (np.isnan(a) | np.isnan(b))).any(axis=1)
    bad_se = (~chi) & (present & ~(b > 0)).any(axis=1)
    cannot = (k < MIN_TREND_POINTS) | missing | bad_se

    def fit(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _fit(t, a, b, mask, chi, ols, window)  # a two-point subset still has a direction

    direction, p = fit(present)
    cannot |= ~np.isfinite(p)
    significant = ~cannot & (p < 1 - level) & (direction != 0)
    for drop in range(TREND_POINTS):
        keep = present.copy()
        keep[:, drop] = False
        sub_direction, _ = fit(keep)
        dropped_real = present[:, drop]
        significant &= ~dropped_real | (sub_direction == direction)
    good = np.where(per_group(polarity).to_numpy() == "high_is_good", direction > 0, direction < 0)
    verdict = np.where(cannot, CANNOT, np.where(significant, np.where(good, IMPROVING, WORSENING), NO_CHANGE))
    return pd.DataFrame({**{c: column_kept(df[c].array.take(first)) for c in by}, "verdict": verdict,
                         "method": np.where(chi, "chi_square", np.where(ols, "ols", "wls")),
                         "direction": np.where(cannot & ~np.isfinite(p), 0, direction).astype(int),
                         "p_value": np.where(cannot, np.nan, p), "n_points": k})
