"""Is an indicator improving? Trend tests over the latest five points, and improvement rates.

Why: officers ask "is it getting better here?"; the answer must not read noise as change.
We use the chi-square test for trend on counts/percentages, weighted least squares on
rates and other measures with confidence intervals, and ordinary least squares with a t test
on measures published without intervals (medians, mean scores), all over the last five time
points, each allowing for year-to-year variation beyond sampling error and for the overlap of
rolling periods (:mod:`etl.stats.trend_model`), plus a sign-flip guard so a single unusual
year cannot create a "significant" direction.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import stdtr

from etl.stats._arrays import as_float, check_polarity, unwrap
from etl.stats.levels import Z95
from etl.stats.trend_model import FLAT_TOLERANCE, binomial_variance, fit_line

IMPROVING, WORSENING = "improving", "worsening"
NO_CHANGE, CANNOT = "no significant change", "cannot be calculated"

#: Measure types tested with the chi-square test for trend (numerator r ≤ denominator n).
CHI_SQUARE_MEASURES = frozenset({"percentage", "proportion", "count"})
#: ``meta.indicators.ci_method`` of measures published without intervals: tested by OLS.
NO_CI_METHODS = frozenset({"none"})
TREND_POINTS = 5
MIN_TREND_POINTS = 3

class ChiSquareTrend(NamedTuple):
    """Chi-square test for trend: statistic (1 df), two-sided p-value, direction (-1/0/+1)."""

    statistic: float
    p_value: float
    direction: int


class WlsTrend(NamedTuple):
    """Weighted least-squares slope, its standard error and two-sided p-value."""

    slope: float
    se_slope: float
    p_value: float


class OlsTrend(NamedTuple):
    """Ordinary least-squares slope, its standard error, two-sided p-value (t test) and df."""

    slope: float
    se_slope: float
    p_value: float
    df: int


class TrendResult(NamedTuple):
    """Outcome of :func:`trend_test`: verdict plus the numbers behind it."""

    verdict: str
    method: str  # 'chi_square' | 'wls' | 'ols' | ''
    direction: int  # sign of the fitted change per unit time (before polarity)
    p_value: float
    n_points: int


def chi_square_trend(r: ArrayLike, n: ArrayLike, t: ArrayLike) -> ChiSquareTrend:
    """Chi-square test for a linear trend in proportions rᵢ/nᵢ over times tᵢ.

    Why: for counts out of a denominator (percentages) it uses the binomial variance of
    each point directly, the standard public-health test for trend in proportions.
    Returns nan statistic and p, direction 0, when R = 0, R = N or the times do not vary.

    Notes
    -----
    Cochran-Armitage form with R = Σrᵢ, N = Σnᵢ::

        χ² = N(NΣrᵢtᵢ − RΣnᵢtᵢ)² / (R(N − R)(NΣnᵢtᵢ² − (Σnᵢtᵢ)²))

    on 1 degree of freedom; direction = sign(NΣrᵢtᵢ − RΣnᵢtᵢ), i.e. +1 when the proportion
    rises with t.
    """
    ra, na, ta = as_float(r, "r"), as_float(n, "n"), as_float(t, "t")
    if not (ra.shape == na.shape == ta.shape):
        raise ValueError("arguments 'r', 'n' and 't' must have the same length")
    if np.any(ra < 0) or np.any(ra > na):
        raise ValueError("argument 'r' must satisfy 0 <= r <= n")
    big_r, big_n = ra.sum(), na.sum()
    ta = ta - ta.mean()  # the statistic is shift-invariant; centring avoids cancellation
    num = big_n * ra @ ta - big_r * (na @ ta)
    denom = big_r * (big_n - big_r) * (big_n * (na @ ta**2) - (na @ ta) ** 2)
    # A relative tolerance keeps rounding noise from being read as a direction.
    scale = big_n * abs(ra) @ abs(ta) + big_r * (na @ abs(ta))
    direction = 0 if abs(num) <= 1e-12 * max(scale, 1e-300) else int(np.sign(num))
    if not denom > 0:
        return ChiSquareTrend(np.nan, np.nan, direction)
    stat = float(big_n * num**2 / denom)
    # P(χ²₁ > s) = erfc(√(s/2)); math.erfc is ~100x faster than scipy per call.
    return ChiSquareTrend(stat, math.erfc(math.sqrt(stat / 2)), direction)


def wls_trend(years: ArrayLike, values: ArrayLike, se: ArrayLike, rolling_years: int = 1) -> WlsTrend:
    """Weighted least-squares linear trend with weights 1/SE², judged on Student's t.

    Why: for rates, means and other measures without a binomial count, each point's
    precision comes from its CI; precise points count more. If the points scatter about the
    line more than their SEs allow (overdispersion) the slope's SE is inflated accordingly, and
    because that scatter is estimated from only k − 2 residual degrees of freedom (3 for five
    points) the slope is then judged against Student's t on k − 2 df, not the normal: with the
    normal, 10-14 % of steady series were called significant at "95 %" (issue 17). An n-year
    rolling series (``rolling_years`` > 1) is fitted with the correlation its overlapping
    periods imply (:mod:`etl.stats.trend_model`).

    Notes
    -----
    wᵢ = 1/SEᵢ², t̄ = Σwᵢtᵢ/Σwᵢ, ȳ = Σwᵢyᵢ/Σwᵢ, Sₜₜ = Σwᵢ(tᵢ − t̄)² (no overlap)::

        slope = Σwᵢ(tᵢ − t̄)(yᵢ − ȳ) / Sₜₜ,   X² = Σwᵢ(yᵢ − ŷᵢ)²
        X² ≤ k − 2:  SE(slope) = √(1 / Sₜₜ),   p = 2(1 − Φ(|slope| / SE))
        otherwise:   φ = X²/(k − 2), SE(slope) = √(φ / Sₜₜ),   p = 2 P(T₍ₖ₋₂₎ > |slope| / SE)

    The slope is exactly 0 when the terms of its numerator cancel to within rounding
    (``FLAT_TOLERANCE`` of their absolute sum), so the sign-flip guard never reads noise as a
    direction. With two points there is a slope but no SE or p (nan).
    """
    t, y, s = as_float(years, "years"), as_float(values, "values"), as_float(se, "se")
    if not (t.shape == y.shape == s.shape):
        raise ValueError("arguments 'years', 'values' and 'se' must have the same length")
    if np.any(~(s > 0)):
        raise ValueError("argument 'se' must be > 0 (and not missing)")
    fit = fit_line(t[None, :], y[None, :], s[None, :] ** 2, np.ones((1, len(t)), dtype=bool),
                   window=np.array([rolling_years]))
    return WlsTrend(float(fit.slope[0]), float(fit.se[0]), float(fit.p_value[0]))


def ols_trend(years: ArrayLike, values: ArrayLike) -> OlsTrend:
    """Ordinary least-squares linear trend with a t test on the slope.

    Why: some measures are published without confidence intervals (median earnings, mean
    attainment scores), so no point's precision is known; the scatter of the points about
    the line is then the only measure of noise, and the slope is judged against it on k − 2
    degrees of freedom (3 for five points), which makes a trend hard to call significant
    unless it is steady.

    Notes
    -----
    t̄, ȳ plain means, Sₜₜ = Σ(tᵢ − t̄)², eᵢ the residuals::

        slope = Σ(tᵢ − t̄)(yᵢ − ȳ) / Sₜₜ
        s² = Σeᵢ² / (k − 2),   SE(slope) = √(s² / Sₜₜ)
        p = 2 P(T > |slope| / SE(slope)),   T ~ Student t on k − 2 df

    p is 1 for a zero slope (terms cancelling to within ``FLAT_TOLERANCE``) and 0 for a
    non-zero slope through every point exactly; SE and p are nan with two points (a slope but
    nothing to test it against), everything is nan when the times do not vary.
    """
    t, y = as_float(years, "years"), as_float(values, "values")
    if t.shape != y.shape:
        raise ValueError("arguments 'years' and 'values' must have the same length")
    k = len(t)
    dt, dy = t - t.mean(), y - y.mean()
    stt = float(dt @ dt)
    if not stt > 0:
        return OlsTrend(np.nan, np.nan, np.nan, max(k - 2, 0))
    terms = dt * dy
    slope = 0.0 if abs(terms.sum()) <= FLAT_TOLERANCE * np.abs(terms).sum() else float(terms.sum() / stt)
    if k < MIN_TREND_POINTS:
        return OlsTrend(slope, np.nan, np.nan, 0)
    resid = dy - slope * dt
    se_slope = float(np.sqrt(float(resid @ resid) / (k - 2) / stt))
    if slope == 0:
        p = 1.0
    elif se_slope == 0:
        p = 0.0
    else:
        p = float(2 * stdtr(k - 2, -abs(slope) / se_slope))
    return OlsTrend(slope, se_slope, p, k - 2)


def _line(method: str, t: NDArray[Any], a: NDArray[Any], b: NDArray[Any], keep: NDArray[Any],
          rolling_years: int) -> tuple[int, float]:
    """Direction (-1/0/+1) and p-value of the line through the points ``keep`` (a, b = r, n for
    chi-square, value, SE for WLS, value and unused for OLS; see :mod:`etl.stats.trend_model`)."""
    t2, a2, b2, m = t[None, :], a[None, :], b[None, :], keep[None, :]
    if method == "chi_square":
        y, variance = binomial_variance(a2, b2, m)
    else:
        y, variance = a2, (np.ones_like(b2) if method == "ols" else b2**2)
    fit = fit_line(t2, y, variance, m, window=np.array([rolling_years]),
                   known_variance=np.array([method != "ols"]))
    slope = float(fit.slope[0])
    return (0 if not np.isfinite(slope) or slope == 0 else int(np.sign(slope))), float(fit.p_value[0])


def trend_method(measure_type: str, ci_method: str | None = None) -> str:
    """'chi_square', 'wls' or 'ols': the test an indicator's series gets (see trend_test, 2)."""
    if measure_type in CHI_SQUARE_MEASURES:
        return "chi_square"
    return "ols" if ci_method in NO_CI_METHODS else "wls"


def trend_test(
    time: ArrayLike,
    *,
    polarity: str,
    measure_type: str,
    numerator: ArrayLike | None = None,
    denominator: ArrayLike | None = None,
    value: ArrayLike | None = None,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    level: float = 0.95,
    ci_z: float = Z95,
    n_points: int = TREND_POINTS,
    ci_method: str | None = None,
    rolling_years: int = 1,
) -> TrendResult:
    """Trend verdict over the latest ``n_points`` time points, with its method and p-value.

    Why: one rule for every indicator so "improving" means the same everywhere.

    Rule
    ----
    1. Rows are sorted by ``time`` (input order never matters; repeated times are an
       error) and the latest ``n_points`` (5) are kept.
    2. Measure types 'percentage', 'proportion' and 'count' use the chi-square test for
       trend on ``numerator``/``denominator`` (r ≤ n required); all others (rates, DSRs,
       means, ...) use weighted least squares on ``value`` with SE = (upper − lower)/(2·ci_z)
       (= width/3.92 for 95 % CIs), except measures published without intervals
       (``ci_method`` 'none'), which use ordinary least squares with a t test on ``value``.
       2b. A series whose latest points carry no counts at all (a publisher's percentage
       published without them) is tested on its values instead: WLS when they carry
       intervals, OLS when they carry none; likewise a series expected to carry intervals
       that carries none at all is tested by OLS.
    3. "cannot be calculated" when fewer than 3 points are available, when any of the
       latest points has a missing/suppressed input, or when there is no variance to test
       (R = 0 or R = N for chi-square; a zero-width CI for WLS).
    4. The test: a straight line by generalised least squares on each point's known variance
       (binomial at the pooled proportion for chi-square: without extra variation this is the
       chi-square test for trend; SE² for WLS; none for OLS), allowing for the overlap of an
       n-year rolling series (``rolling_years``), with the extra variation φ estimated from
       the scatter (never below 1 when the variance is known) and p from Student's t on
       k − 2 degrees of freedom (:func:`etl.stats.trend_model.fit_line`). Significant when
       p < 1 − level (level 0.95 or 0.998).
    5. Sign-flip guard: a significant direction is reported only if dropping any one of
       the points leaves the fitted direction unchanged; otherwise "no significant change".
    6. The direction is turned into "improving"/"worsening" by ``polarity``.
    """
    pol = str(check_polarity(polarity).item())
    t = as_float(time, "time")
    method = trend_method(measure_type, ci_method)
    latest = np.argsort(t, kind="stable")[-n_points:] if t.ndim == 1 and len(t) else np.arange(0)

    def none_known(*arrays: ArrayLike | None) -> bool:
        return any(x is None or np.isnan(as_float(x, "input")[latest]).all() for x in arrays)

    # 2b. a series published without its counts (or without intervals) is tested on its values
    if value is not None and method == "chi_square" and none_known(numerator, denominator):
        method = "wls" if not none_known(lower, upper) else "ols"
    if value is not None and method == "wls" and none_known(lower, upper):
        method = "ols"
    if method == "chi_square":
        if numerator is None or denominator is None:
            raise ValueError(
                f"arguments 'numerator' and 'denominator' are needed for measure_type {measure_type!r}"
            )
        a, b = as_float(numerator, "numerator"), as_float(denominator, "denominator")
    elif method == "ols":
        if value is None:
            raise ValueError(f"argument 'value' is needed for measure_type {measure_type!r} without intervals")
        a = as_float(value, "value")
        b = np.ones_like(a)  # no interval: every point counts the same
    else:
        if value is None or lower is None or upper is None:
            raise ValueError(
                f"arguments 'value', 'lower' and 'upper' are needed for measure_type {measure_type!r}"
            )
        lo, hi = as_float(lower, "lower"), as_float(upper, "upper")
        a, b = as_float(value, "value"), (hi - lo) / (2 * ci_z)
    if not (t.shape == a.shape == b.shape) or t.ndim != 1:
        raise ValueError("argument 'time' and the value arguments must be 1-d, same length")
    if np.isnan(t).any():
        raise ValueError("argument 'time' has missing values")
    if len(np.unique(t)) != len(t):
        raise ValueError("argument 'time' has repeated values")
    order = np.argsort(t, kind="stable")[-n_points:]
    t, a, b = t[order], a[order], b[order]
    k = len(t)

    def cannot() -> TrendResult:
        return TrendResult(CANNOT, method if k else "", 0, np.nan, k)

    if k < MIN_TREND_POINTS or np.isnan(a).any() or np.isnan(b).any():
        return cannot()
    if method == "chi_square" and (np.any(a < 0) or np.any(a > b)):
        raise ValueError("argument 'numerator' must satisfy 0 <= numerator <= denominator")
    if method == "wls" and np.any(b <= 0):
        return cannot()
    direction, p = _line(method, t, a, b, np.ones(k, dtype=bool), rolling_years)
    if not np.isfinite(p):
        return cannot()
    if p >= 1 - level or direction == 0:
        return TrendResult(NO_CHANGE, method, direction, p, k)
    for drop in range(k):
        if _line(method, t, a, b, np.arange(k) != drop, rolling_years)[0] != direction:
            return TrendResult(NO_CHANGE, method, direction, p, k)
    good = direction > 0 if pol == "high_is_good" else direction < 0
    return TrendResult(IMPROVING if good else WORSENING, method, direction, p, k)


def trend_verdict(
    time: ArrayLike,
    *,
    polarity: str,
    measure_type: str,
    numerator: ArrayLike | None = None,
    denominator: ArrayLike | None = None,
    value: ArrayLike | None = None,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    level: float = 0.95,
    ci_z: float = Z95,
    n_points: int = TREND_POINTS,
    ci_method: str | None = None,
    rolling_years: int = 1,
) -> str:
    """'improving' | 'worsening' | 'no significant change' | 'cannot be calculated'.

    Why: the label shown on the dashboard; see :func:`trend_test` for the rule.
    """
    return trend_test(
        time, polarity=polarity, measure_type=measure_type, numerator=numerator,
        denominator=denominator, value=value, lower=lower, upper=upper, level=level,
        ci_z=ci_z, n_points=n_points, ci_method=ci_method, rolling_years=rolling_years,
    ).verdict  # fmt: skip


def trend_grouped(
    df: pd.DataFrame,
    by: Sequence[str],
    *,
    time: str,
    polarity: str,
    measure_type: str,
    level: float = 0.95,
    ci_z: float = Z95,
    numerator: str = "numerator",
    denominator: str = "denominator",
    value: str = "value",
    lower: str = "ci_lower",
    upper: str = "ci_upper",
    ci_method: str | None = None,
    rolling_years: str | None = None,
) -> pd.DataFrame:
    """Trend test for every group of a long table (e.g. area × indicator over periods).

    Why: the warehouse computes ``marts.trend`` for all areas of one indicator at once.
    ``polarity``/``measure_type`` (and optionally ``ci_method``) name columns of ``df`` (one
    value per group; ``rolling_years`` likewise names the column of years per rolling period).
    Returns one row per group: the ``by`` columns, ``verdict``, ``method``,
    ``direction``, ``p_value``, ``n_points``.
    """
    cols = {time: as_float(df[time], time)}
    for c in (numerator, denominator, value, lower, upper):
        if c in df.columns:
            cols[c] = as_float(df[c], c)
    pol_col, mt_col = df[polarity].to_numpy(object), df[measure_type].to_numpy(object)
    ci_col = df[ci_method].to_numpy(object) if ci_method else np.full(len(df), None, dtype=object)
    roll_col = (pd.to_numeric(df[rolling_years], errors="coerce").fillna(1).to_numpy(float) if rolling_years
                else np.ones(len(df)))
    rows = []
    for key, idx in df.groupby(list(by), sort=True, dropna=False).indices.items():
        kwargs: dict[str, Any] = {}
        mt, cm = mt_col[idx[0]], ci_col[idx[0]]
        method = trend_method(mt, cm)
        if method == "chi_square":
            kwargs.update(numerator=cols[numerator][idx], denominator=cols[denominator][idx])
        elif method == "ols":
            kwargs.update(value=cols[value][idx])
        else:
            kwargs.update(value=cols[value][idx], lower=cols[lower][idx], upper=cols[upper][idx])
        res = trend_test(
            cols[time][idx], polarity=pol_col[idx[0]], measure_type=mt, level=level,
            ci_z=ci_z, ci_method=cm, rolling_years=int(max(roll_col[idx[0]], 1)), **kwargs,
        )  # fmt: skip
        rows.append((*(key if isinstance(key, tuple) else (key,)), *res))
    return pd.DataFrame(rows, columns=[*by, *TrendResult._fields])


def improvement_rate(latest: ArrayLike, baseline: ArrayLike) -> Any:
    """Percentage change from baseline to latest (national outcomes profile convention).

    Why: the CPOP "improvement rate" used for its RAG dot; it carries no significance
    test (use :func:`trend_verdict` alongside). A zero or missing baseline gives nan.

    Notes
    -----
    ``(latest / baseline − 1) × 100``; its sign is the direction of change, not good/bad.
    """
    la, ba = as_float(latest, "latest"), as_float(baseline, "baseline")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(ba != 0, (la / ba - 1) * 100, np.nan)
    return unwrap(out)


def improvement_rag(
    area_latest: ArrayLike,
    area_rate: ArrayLike,
    comparator_latest: ArrayLike,
    comparator_rate: ArrayLike,
    polarity: Any,
) -> Any:
    """RAG dot: green, amber or red ('grey' when any input is missing).

    Why: the CPOP convention combining level and improvement. Green when the area's
    level is better than the comparator's AND it is improving faster; red when its level
    is worse AND it is improving more slowly; amber otherwise (including ties).
    "Better level" and "improving faster" follow ``polarity``: for low_is_good a lower
    level is better and a more negative improvement rate is faster improvement.
    """
    al, ar = as_float(area_latest, "area_latest"), as_float(area_rate, "area_rate")
    cl = as_float(comparator_latest, "comparator_latest")
    cr = as_float(comparator_rate, "comparator_rate")
    pol = check_polarity(polarity)
    al, ar, cl, cr, pol = np.broadcast_arrays(al, ar, cl, cr, pol)
    sign = np.where(pol == "high_is_good", 1.0, -1.0)
    level_diff = sign * (al - cl)
    rate_diff = sign * (ar - cr)
    out = np.full(al.shape, "amber", dtype=object)
    out[(level_diff > 0) & (rate_diff > 0)] = "green"
    out[(level_diff < 0) & (rate_diff < 0)] = "red"
    out[np.isnan(al) | np.isnan(ar) | np.isnan(cl) | np.isnan(cr)] = "grey"
    return unwrap(out)
