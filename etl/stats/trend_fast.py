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
from scipy.special import erfc, stdtr

from etl.stats.trend import (
    CANNOT,
    CHI_SQUARE_MEASURES,
    FLAT_TOLERANCE,
    IMPROVING,
    MIN_TREND_POINTS,
    NO_CHANGE,
    NO_CI_METHODS,
    TREND_POINTS,
    WORSENING,
)


def _chi_square(t: np.ndarray, r: np.ndarray, n: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Direction and p-value per row over the points where mask ``m`` is true."""
    k = m.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        tmean = np.where(m, t, 0).sum(axis=1) / k
        tc = np.where(m, t - tmean[:, None], 0.0)
        rr, nn = np.where(m, r, 0.0), np.where(m, n, 0.0)
        big_r, big_n = rr.sum(axis=1), nn.sum(axis=1)
        sum_rt, sum_nt, sum_ntt = (rr * tc).sum(axis=1), (nn * tc).sum(axis=1), (nn * tc**2).sum(axis=1)
        num = big_n * sum_rt - big_r * sum_nt
        denom = big_r * (big_n - big_r) * (big_n * sum_ntt - sum_nt**2)
        scale = big_n * (np.abs(rr) * np.abs(tc)).sum(axis=1) + big_r * (nn * np.abs(tc)).sum(axis=1)
        direction = np.where(np.abs(num) <= 1e-12 * np.maximum(scale, 1e-300), 0, np.sign(num))
        stat = np.where(denom > 0, big_n * num**2 / denom, np.nan)
        p = erfc(np.sqrt(stat / 2))
    return direction, p


def _wls(t: np.ndarray, y: np.ndarray, s: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Direction and p-value of the weighted least-squares slope (weights 1/SE²)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(m, 1 / s**2, 0.0)
        sw = w.sum(axis=1)
        tbar = (w * np.where(m, t, 0)).sum(axis=1) / sw
        ybar = (w * np.where(m, y, 0)).sum(axis=1) / sw
        dt = np.where(m, t - tbar[:, None], 0.0)
        dy = np.where(m, y - ybar[:, None], 0.0)
        stt = (w * dt**2).sum(axis=1)
        terms = w * dt * dy
        num = terms.sum(axis=1)
        # terms cancelling to within rounding are a zero slope (as in wls_trend)
        slope = np.where(np.abs(num) <= FLAT_TOLERANCE * np.abs(terms).sum(axis=1), 0.0, num / stt)
        k = m.sum(axis=1)
        resid = np.where(m, dy - slope[:, None] * dt, 0.0)
        phi = np.where(k > 2, np.maximum(1.0, (w * resid**2).sum(axis=1) / np.maximum(k - 2, 1)), 1.0)
        se = np.sqrt(phi / stt)
        ok = stt > 0
        slope = np.where(ok, slope, np.nan)
        p = np.where(ok, erfc(np.abs(slope) / se / np.sqrt(2)), np.nan)
        direction = np.where(np.isfinite(slope) & (slope != 0), np.sign(slope), 0)
    return direction, p


def _ols(t: np.ndarray, y: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Direction and p-value (t test on k − 2 df) of the ordinary least-squares slope (as ols_trend)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        k = m.sum(axis=1)
        tbar = np.where(m, t, 0).sum(axis=1) / k
        ybar = np.where(m, y, 0).sum(axis=1) / k
        dt = np.where(m, t - tbar[:, None], 0.0)
        dy = np.where(m, y - ybar[:, None], 0.0)
        stt = (dt**2).sum(axis=1)
        terms = dt * dy
        num = terms.sum(axis=1)
        slope = np.where(np.abs(num) <= FLAT_TOLERANCE * np.abs(terms).sum(axis=1), 0.0, num / stt)
        resid = np.where(m, dy - slope[:, None] * dt, 0.0)
        dof = k - 2
        se = np.sqrt((resid**2).sum(axis=1) / np.maximum(dof, 1) / stt)
        ok = stt > 0
        slope = np.where(ok, slope, np.nan)
        p = np.where(slope == 0, 1.0, np.where(se == 0, 0.0, 2 * stdtr(np.maximum(dof, 1), -np.abs(slope) / se)))
        p = np.where(ok & (dof > 0), p, np.nan)
        direction = np.where(np.isfinite(slope) & (slope != 0), np.sign(slope), 0)
    return direction, p


def trend_vectorised(
    df: pd.DataFrame,
    by: Sequence[str],
    *,
    time: str = "period_year",
    polarity: str = "polarity",
    measure_type: str = "measure_type",
    ci_method: str = "ci_method",
    level: float = 0.95,
    ci_z: float = 1.96,
) -> pd.DataFrame:
    """One row per group: ``by`` columns, verdict, method, direction, p_value, n_points.

    ``df`` has per-row ``numerator``, ``denominator``, ``value``, ``ci_lower``, ``ci_upper``,
    the time column and per-group ``polarity``/``measure_type`` columns, and optionally a
    per-group ``ci_method`` column ('none': published without intervals, tested by OLS).
    """
    by = list(by)
    data = df.sort_values([*by, time], kind="stable")
    data = data[data.groupby(by, sort=False).cumcount(ascending=False) < TREND_POINTS].copy()
    data["_slot"] = data.groupby(by, sort=False).cumcount()
    extra = [ci_method] if ci_method in data.columns else []
    groups = data.drop_duplicates(by)[[*by, polarity, measure_type, *extra]].reset_index(drop=True)
    groups["_g"] = np.arange(len(groups))
    data = data.merge(groups[[*by, "_g"]], on=by, how="left")
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
    declared_ols = ~declared_chi & (groups[ci_method].isin(NO_CI_METHODS).to_numpy() if extra else False)
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
        d_chi, p_chi = _chi_square(t, a, b, mask)
        d_wls, p_wls = _wls(t, a, b, mask)
        d_ols, p_ols = _ols(t, a, mask)  # a two-point subset (sign-flip guard) still has a direction
        return (np.where(chi, d_chi, np.where(ols, d_ols, d_wls)),
                np.where(chi, p_chi, np.where(ols, p_ols, p_wls)))

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
