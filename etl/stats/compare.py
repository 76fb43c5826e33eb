"""Significance of an area's value against a comparator (Scotland, family group, baseline).

Why: the dashboard colours each value better / similar / worse; the rule must be the same
everywhere and respect the indicator's polarity.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from etl.stats._arrays import as_float, check_polarity, unwrap
from etl.stats.levels import Z95

BETTER, SIMILAR, WORSE, NOT_COMPARABLE = "better", "similar", "worse", "not comparable"


def compare_to_value(
    lower: ArrayLike, upper: ArrayLike, comparator_value: ArrayLike, polarity: Any
) -> Any:
    """Classify an area's CI against a comparator value as better/similar/worse.

    Why: "better" or "worse" is claimed only when the area's confidence interval excludes
    the comparator's value (on the good or the bad side according to ``polarity``);
    otherwise the difference could be noise and the area is "similar". Any missing input
    (suppressed value, no comparator) gives "not comparable". Works element-wise on
    arrays; ``polarity`` may be a scalar or an array of 'high_is_good'/'low_is_good'.
    The significance level is that of the CI passed in (95 % or 99.8 %).

    Notes
    -----
    Area significantly higher when ``lower > comparator``; significantly lower when
    ``upper < comparator`` (strict: a limit touching the comparator is "similar").
    Higher is "better" for high_is_good and "worse" for low_is_good, and vice versa.
    """
    lo = as_float(lower, "lower")
    hi = as_float(upper, "upper")
    comp = as_float(comparator_value, "comparator_value")
    pol = check_polarity(polarity)
    if np.any(lo > hi):
        raise ValueError("argument 'lower' must not exceed 'upper'")
    lo, hi, comp, pol = np.broadcast_arrays(lo, hi, comp, pol)
    high_good = pol == "high_is_good"
    higher = lo > comp
    lower_ = hi < comp
    out = np.full(lo.shape, SIMILAR, dtype=object)
    out[higher] = np.where(high_good[higher], BETTER, WORSE)
    out[lower_] = np.where(high_good[lower_], WORSE, BETTER)
    out[np.isnan(lo) | np.isnan(hi) | np.isnan(comp)] = NOT_COMPARABLE
    return unwrap(out)


def compare_difference(
    value: ArrayLike,
    lower: ArrayLike,
    upper: ArrayLike,
    other: ArrayLike,
    other_lower: ArrayLike,
    other_upper: ArrayLike,
    polarity: Any,
    z: float = Z95,
) -> Any:
    """Better / similar / worse than another estimate with its own 95 % interval (a baseline).

    Why: the same area in its baseline year is an estimate as uncertain as the latest one;
    asking whether the latest interval excludes the baseline's value treats the baseline as
    exact and, with two equally precise estimates, calls 17 % of pure chance "significant" at
    "95 %". The difference is tested instead, with both standard errors. ``z`` is the level's
    quantile (``Z95`` or ``Z998``); the intervals passed are always the 95 % ones. The SQL
    macro ``difference_direction`` (etl/sql/macros.sql) is the same rule.

    Notes
    -----
    SEᵢ = (upperᵢ − lowerᵢ)/(2·z95);  significant when |value − other| > z·√(SE₁² + SE₂²)
    (any non-zero difference when both intervals have zero width). Any missing input gives
    "not comparable".
    """
    v, lo, hi = as_float(value, "value"), as_float(lower, "lower"), as_float(upper, "upper")
    o, olo, ohi = as_float(other, "other"), as_float(other_lower, "other_lower"), as_float(other_upper, "other_upper")
    pol = check_polarity(polarity)
    v, lo, hi, o, olo, ohi, pol = np.broadcast_arrays(v, lo, hi, o, olo, ohi, pol)
    with np.errstate(invalid="ignore"):
        width2 = (hi - lo) ** 2 + (ohi - olo) ** 2
        diff = v - o
        significant = np.where(width2 == 0, diff != 0, np.abs(diff) > z * np.sqrt(width2) / (2 * Z95))
    high_good = pol == "high_is_good"
    out = np.full(v.shape, SIMILAR, dtype=object)
    higher, lower_ = significant & (diff > 0), significant & (diff < 0)
    out[higher] = np.where(high_good[higher], BETTER, WORSE)
    out[lower_] = np.where(high_good[lower_], WORSE, BETTER)
    out[np.isnan(v) | np.isnan(lo) | np.isnan(hi) | np.isnan(o) | np.isnan(olo) | np.isnan(ohi)] = NOT_COMPARABLE
    return unwrap(out)
