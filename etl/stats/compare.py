"""Significance of an area's value against a comparator (Scotland, family group, baseline).

Why: the dashboard colours each value better / similar / worse; the rule must be the same
everywhere and respect the indicator's polarity.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from etl.stats._arrays import as_float, check_polarity, unwrap

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
