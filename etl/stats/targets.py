"""Targets: project recent years forward, the chance of meeting a target, and a status.

Why: partnerships set a target value and year per outcome; the profile shows whether the
recent trajectory is likely to reach it, with honest uncertainty (a prediction interval,
not just a straight line).
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from etl.stats._arrays import as_float, check_polarity, unwrap

ON_TRACK, AT_RISK, OFF_TRACK = "on track", "at risk", "off track"
#: Status thresholds on the probability of meeting the target (see :func:`target_status`).
ON_TRACK_FROM = 0.8
OFF_TRACK_BELOW = 0.5
RECENT_YEARS = 5

Method = Literal["linear", "loglinear"]


class Projection(NamedTuple):
    """Projected value at the target year with its prediction interval.

    ``centre`` and ``se`` are on the fitted scale (log scale for 'loglinear'), ``df`` the
    residual degrees of freedom; the predictive distribution is centre + se·t(df).
    """

    predicted: float
    lower: float
    upper: float
    centre: float
    se: float
    df: int
    method: str


def projection(
    years: ArrayLike,
    values: ArrayLike,
    target_year: float,
    method: Method = "linear",
    level: float = 0.95,
    recent: int = RECENT_YEARS,
) -> Projection:
    """Project the recent trend to ``target_year`` with a t-based prediction interval.

    Why: an ordinary least-squares line through the latest ``recent`` (5) non-missing
    points, the simplest projection a reader can check; 'loglinear' fits log(value) so
    the projection is a constant percentage change per year and stays positive. Needs at
    least 3 points (so the residual variance has ≥ 1 df), else all outputs are nan.
    Input order does not matter.

    Notes
    -----
    On the fitted scale y (value, or ln value), x̄, Sₓₓ = Σ(xᵢ − x̄)², s² = SSE/(k − 2)::

        ŷ₀ = a + b·x₀
        SE_pred = s·√(1 + 1/k + (x₀ − x̄)²/Sₓₓ)
        PI = ŷ₀ ± t_{1−α/2, k−2}·SE_pred

    For 'loglinear' the predicted value and limits are exp() of these (the predicted value
    is then the median of the predictive distribution).
    """
    if method not in ("linear", "loglinear"):
        raise ValueError(f"argument 'method' must be 'linear' or 'loglinear', got {method!r}")
    x, y = as_float(years, "years"), as_float(values, "values")
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError("arguments 'years' and 'values' must be 1-d and the same length")
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    if len(np.unique(x)) != len(x):
        raise ValueError("argument 'years' has repeated values")
    order = np.argsort(x)[-recent:]
    x, y = x[order], y[order]
    if method == "loglinear":
        if np.any(y <= 0):
            raise ValueError("argument 'values' must be > 0 for method 'loglinear'")
        y = np.log(y)
    k = len(x)
    nan = Projection(np.nan, np.nan, np.nan, np.nan, np.nan, max(k - 2, 0), method)
    if k < 3:
        return nan
    xbar, ybar = x.mean(), y.mean()
    sxx = float(((x - xbar) ** 2).sum())
    slope = float(((x - xbar) * (y - ybar)).sum() / sxx)
    resid = y - (ybar + slope * (x - xbar))
    df = k - 2
    s = float(np.sqrt((resid**2).sum() / df))
    centre = float(ybar + slope * (target_year - xbar))
    se = s * float(np.sqrt(1 + 1 / k + (target_year - xbar) ** 2 / sxx))
    half = float(stats.t.ppf(1 - (1 - level) / 2, df)) * se
    lo, hi, pred = centre - half, centre + half, centre
    if method == "loglinear":
        lo, hi, pred = np.exp(lo), np.exp(hi), np.exp(pred)
    return Projection(float(pred), float(lo), float(hi), centre, se, df, method)


def probability_of_meeting_target(
    years: ArrayLike,
    values: ArrayLike,
    target_year: float,
    target_value: float,
    polarity: str,
    method: Method = "linear",
    recent: int = RECENT_YEARS,
) -> float:
    """Probability that the value in ``target_year`` is at or better than the target.

    Why: a single number for "how likely are we to get there?", from the same predictive
    distribution as :func:`projection` (so the two never disagree).

    Notes
    -----
    With centre ŷ₀, SE_pred and df from :func:`projection` and T ~ t(df)::

        high_is_good:  P = P(T ≥ (y* − ŷ₀)/SE_pred)
        low_is_good:   P = P(T ≤ (y* − ŷ₀)/SE_pred)

    where y* is the target (its log for 'loglinear'). If the fit is exact (SE_pred = 0)
    P is 1 or 0. nan when fewer than 3 points.
    """
    pol = str(check_polarity(polarity).item())
    proj = projection(years, values, target_year, method=method, recent=recent)
    if not np.isfinite(proj.centre):
        return float("nan")
    target = float(target_value)
    if method == "loglinear":
        if target <= 0:
            raise ValueError("argument 'target_value' must be > 0 for method 'loglinear'")
        target = float(np.log(target))
    if proj.se == 0:
        above = proj.centre >= target if pol == "high_is_good" else proj.centre <= target
        return 1.0 if above else 0.0
    q = (target - proj.centre) / proj.se
    if pol == "high_is_good":
        return float(stats.t.sf(q, proj.df))
    return float(stats.t.cdf(q, proj.df))


def target_status(
    probability: ArrayLike,
    on_track_from: float = ON_TRACK_FROM,
    off_track_below: float = OFF_TRACK_BELOW,
) -> Any:
    """'on track' | 'at risk' | 'off track' ('cannot be calculated' when nan).

    Why: a plain label from the probability of meeting the target. The thresholds are
    a choice, stated here and in docs/methods.md: on track when P ≥ 0.8 (at least four
    chances in five); off track when P < 0.5 (missing the target is more likely than
    meeting it); at risk in between.
    """
    p = as_float(probability, "probability")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("argument 'probability' must be between 0 and 1")
    out = np.select(
        [np.isnan(p), p >= on_track_from, p < off_track_below],
        ["cannot be calculated", ON_TRACK, OFF_TRACK],
        default=AT_RISK,
    ).astype(object)
    return unwrap(out)
