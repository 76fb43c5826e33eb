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
    data = df.sort_values([*by, time], kind="stable")
    data = data[data.groupby(by, sort=False).cumcount(ascending=False) < TREND_POINTS].copy()
    within = data.groupby(by, sort=False)
    data["_slot"] = within.cumcount()
    data["_g"] = within.ngroup()  # sorted by ``by``: group k is the k-th distinct series below
    extra = [c for c in (ci_method, rolling_years) if c in data.columns]
    groups = data.drop_duplicates(by)[[*by, polarity, measure_type, *extra]].reset_index(drop=True)
    shape = (len(groups), TREND_POINTS)

    def grid(column: str) -> np.ndarray:
        out = np.full(shape, np.nan)
        out[data["_g"].to_numpy(), data["_slot"].to_numpy()] = pd.to_numeric(data[column], errors="coerce").to_numpy(float)
        return out

    present = np.zeros(shape, dtype=bool)
    present[data["_g"].to_numpy(), data["_slot"].to_numpy()] = True
    t = grid(time)
    numerator, denominator, lower, upper = grid("numerator"), grid("denominator"), grid("ci_lower"), grid("ci_upper")

    def none_known(*grids: np.ndarray) -> np.ndarray:
        return np.logical_or.reduce([(~present | np.isnan(g)).all(axis=1) for g in grids])

    declared_chi = groups[measure_type].isin(CHI_SQUARE_MEASURES).to_numpy()
    declared_ols = ~declared_chi & (groups[ci_method].isin(NO_CI_METHODS).to_numpy() if ci_method in extra else False)
    window = (pd.to_numeric(groups[rolling_years], errors="coerce").fillna(1).clip(lower=1).to_numpy(float)
              if rolling_years in extra else np.ones(len(groups)))
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
    good = np.where(groups[polarity].to_numpy() == "high_is_good", direction > 0, direction < 0)
    verdict = np.where(cannot, CANNOT, np.where(significant, np.where(good, IMPROVING, WORSENING), NO_CHANGE))
    result = groups[by].copy()
    result["verdict"] = verdict
    result["method"] = np.where(chi, "chi_square", np.where(ols, "ols", "wls"))
    result["direction"] = np.where(cannot & ~np.isfinite(p), 0, direction).astype(int)
    result["p_value"] = np.where(cannot, np.nan, p)
    result["n_points"] = k
    return result
