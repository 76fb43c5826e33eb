"""Inequality measures: SII, RII, PAR, gaps between quintiles, and the Duncan index.

Why: "how unequal is this outcome across deprivation, and is the gap closing?" needs
measures that use every group (SII/RII), the burden that equality would remove (PAR), the
simple gap, and (across a partnership's intermediate zones) the Duncan index. Users
complain that existing tools do not state signs, so every sign here is stated in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from etl.stats._arrays import as_float, check_polarity, unwrap


class SiiResult(NamedTuple):
    """Slope index of inequality (positive = worse in deprived areas) and its CI.

    ``slope`` is the raw regression slope: the change in rate from the most deprived end
    (ridit 0) to the least deprived end (ridit 1), whatever the polarity.
    ``overall_rate`` is the population-weighted mean of the group rates.
    """

    sii: float
    lower: float
    upper: float
    slope: float
    se_slope: float
    overall_rate: float


class ParResult(NamedTuple):
    """Population attributable risk as a fraction and as a percent."""

    fraction: float
    percent: float


def _order(values: NDArray[Any], most_deprived_first: bool) -> NDArray[Any]:
    return values if most_deprived_first else values[::-1]


def ridits(populations: ArrayLike, most_deprived_first: bool = True) -> NDArray[np.float64]:
    """Midpoint of each group's cumulative population share, most deprived group first.

    Why: the x-axis of the SII regression; the most deprived person sits at 0, the least
    deprived at 1, so the slope is the rate difference across the whole population.
    Returned in the order of the input.

    Notes
    -----
    With shares pᵢ = nᵢ/Σn (ordered most → least deprived): xᵢ = Σ_{j<i} pⱼ + pᵢ/2.
    """
    n = as_float(populations, "populations")
    if np.any(~(n >= 0)) or not n.sum() > 0:
        raise ValueError("argument 'populations' must be >= 0, not missing, with a positive total")
    p = _order(n, most_deprived_first) / n.sum()
    x = np.cumsum(p) - p / 2
    return _order(x, most_deprived_first)


def sii(
    rates: ArrayLike,
    populations: ArrayLike,
    polarity: str = "low_is_good",
    most_deprived_first: bool = True,
    level: float = 0.95,
) -> SiiResult:
    """Slope index of inequality from group (quintile/decile) rates and populations.

    Why: the SII uses every group, weighted by its size, and is the absolute difference in
    rate between the hypothetical most and least deprived person. The sign is reported so
    that POSITIVE = WORSE IN DEPRIVED AREAS for every indicator: for low_is_good
    indicators (e.g. mortality) SII = −slope; for high_is_good (e.g. attainment)
    SII = +slope. Any missing rate or population gives nan (a partial set of quintiles
    would distort the ridits).

    Weighting: DOMAIN.md's "weights √pᵢ" means the rows of the regression (1, xᵢ, rᵢ) are
    multiplied by √pᵢ and fitted by ordinary least squares; that is exactly weighted least
    squares with weights pᵢ (the squared residuals are multiplied by pᵢ). This is the
    ScotPHO formulation (``lm(√p·r ~ √p + √p·x + 0)``) and lets each group count in
    proportion to its population.

    Confidence interval: the analytic regression interval, SII ± t_{1−α/2, k−2}·SE(slope)
    with SE from the weighted residual variance (as R's ``confint`` on that model, the
    ScotPHO method; reproduces their published limits). It reflects how far the groups
    scatter about the line, not the sampling error inside each group; with 2 groups
    (0 df) it is nan.

    Notes
    -----
    xᵢ ridits (most deprived first), pᵢ shares, x̄ = Σpᵢxᵢ, r̄ = Σpᵢrᵢ::

        slope = Σpᵢ(xᵢ − x̄)(rᵢ − r̄) / Σpᵢ(xᵢ − x̄)²
        σ² = Σpᵢ eᵢ² / (k − 2),    SE(slope) = √(σ² / Σpᵢ(xᵢ − x̄)²)
        SII = −slope (low_is_good) or +slope (high_is_good)
    """
    pol = str(check_polarity(polarity).item())
    r = as_float(rates, "rates")
    n = as_float(populations, "populations")
    if r.shape != n.shape or r.ndim != 1:
        raise ValueError("arguments 'rates' and 'populations' must be 1-d and the same length")
    if np.isnan(r).any() or np.isnan(n).any() or len(r) < 2:
        return SiiResult(*([np.nan] * 6))
    x = ridits(n, most_deprived_first)
    p = n / n.sum()
    xbar, rbar = p @ x, p @ r
    sxx = p @ (x - xbar) ** 2
    slope = float(p @ ((x - xbar) * (r - rbar)) / sxx)
    k = len(r)
    if k > 2:
        resid = r - (rbar + slope * (x - xbar))
        se = float(np.sqrt((p @ resid**2) / (k - 2) / sxx))
        half = float(stats.t.ppf(1 - (1 - level) / 2, k - 2)) * se
    else:
        se = half = np.nan
    sign = 1.0 if pol == "high_is_good" else -1.0
    value = sign * slope
    return SiiResult(value, value - half, value + half, slope, se, float(rbar))


def sii_grouped(
    df: pd.DataFrame,
    by: Sequence[str],
    *,
    rank: str,
    rate: str,
    population: str,
    polarity: str = "low_is_good",
    level: float = 0.95,
) -> pd.DataFrame:
    """SII for every group of a long table (one row per group × deprivation quintile).

    Why: vectorised over all areas × periods × indicators of a warehouse build (group-wise
    sums, no Python loop). ``rank`` orders the deprivation groups, 1 = most deprived.
    ``polarity`` is 'high_is_good', 'low_is_good' or the name of a column holding them.
    Returns the ``by`` columns plus ``sii``, ``sii_lower``, ``sii_upper``, ``slope``,
    ``se_slope``, ``overall_rate``, ``n_groups``; a group with any missing rate or
    population gets nan. Same formulas as :func:`sii`.
    """
    by = list(by)
    d = df.sort_values([*by, rank], kind="stable")
    keys = [d[c] for c in by]
    r = pd.Series(as_float(d[rate], rate), index=d.index)
    n = pd.Series(as_float(d[population], population), index=d.index)
    if np.any(n < 0):
        raise ValueError(f"column '{population}' must be >= 0")
    g = lambda s: s.groupby(keys, sort=False, dropna=False)  # noqa: E731
    bad = g(r.isna() | n.isna()).transform("any")
    p = n / g(n).transform("sum")
    x = g(p).cumsum() - p / 2
    xbar = g(p * x).transform("sum")
    rbar = g(p * r).transform("sum")
    sxx = g(p * (x - xbar) ** 2).transform("sum")
    slope = g(p * (x - xbar) * (r - rbar)).transform("sum") / sxx
    k = g(r).transform("size")
    resid = r - (rbar + slope * (x - xbar))
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma2 = g(p * resid**2).transform("sum") / (k - 2).where(k > 2)
    se = np.sqrt(sigma2 / sxx)
    tq = pd.Series(stats.t.ppf(1 - (1 - level) / 2, (k - 2).where(k > 2)), index=d.index)
    if polarity in d.columns:
        pol = check_polarity(d[polarity].to_numpy(object), polarity)
    else:
        pol = check_polarity(polarity)
    sign = pd.Series(np.where(pol == "high_is_good", 1.0, -1.0), index=d.index)
    out = pd.DataFrame(
        {
            "sii": sign * slope,
            "sii_lower": sign * slope - tq * se,
            "sii_upper": sign * slope + tq * se,
            "slope": slope,
            "se_slope": se,
            "overall_rate": rbar,
            "n_groups": k,
        }
    )
    out[bad.to_numpy()] = np.nan
    out["n_groups"] = k
    for c in by:
        out[c] = d[c]
    first = ~out.duplicated(subset=by)
    return out.loc[first, [*by, *[c for c in out.columns if c not in by]]].reset_index(drop=True)


def rii(sii_value: ArrayLike, overall_rate: ArrayLike) -> Any:
    """Relative index of inequality: SII divided by the overall rate.

    Why: expresses the SII relative to the average so indicators in different units can
    be compared; it keeps the SII's sign (positive = worse in deprived areas). The overall
    rate is the area's overall value (ScotPHO use the area's total rate) or the
    population-weighted mean of group rates (``SiiResult.overall_rate``). SII = 0 gives 0.

    Notes
    -----
    ``RII = SII / r̄``. Also applied to the SII limits for the RII's CI.
    """
    s, o = as_float(sii_value, "sii_value"), as_float(overall_rate, "overall_rate")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(s == 0, 0.0, s / o)
    return unwrap(out)


def par(rates: ArrayLike, populations: ArrayLike, most_deprived_first: bool = True) -> ParResult:
    """Population attributable risk: share of the total that equality would remove.

    Why: "what proportion of the (e.g.) deaths would not occur if every group had the
    least deprived group's rate". It is defined on the rate scale (it does not use
    polarity); for high_is_good indicators a positive PAR means the overall rate is above
    the least deprived group's. Missing input gives nan.

    Notes
    -----
    pᵢ population shares, r_least the least deprived group's rate::

        PAR = Σpᵢ(rᵢ/r_least − 1) / (1 + Σpᵢ(rᵢ/r_least − 1))  ( = 1 − r_least / r̄ )
    """
    r = as_float(rates, "rates")
    n = as_float(populations, "populations")
    if r.shape != n.shape or r.ndim != 1:
        raise ValueError("arguments 'rates' and 'populations' must be 1-d and the same length")
    if np.isnan(r).any() or np.isnan(n).any() or not n.sum() > 0:
        return ParResult(np.nan, np.nan)
    r = _order(r, most_deprived_first)
    p = _order(n, most_deprived_first) / n.sum()
    least = r[-1]
    if least == 0:
        return ParResult(np.nan, np.nan)
    s = float(p @ (r / least - 1))
    frac = s / (1 + s)
    return ParResult(frac, frac * 100)


def absolute_gap(most_deprived: ArrayLike, least_deprived: ArrayLike) -> Any:
    """Absolute gap Q1 − Q5 (most minus least deprived), in the indicator's units.

    Why: the simplest inequality measure; its sign is on the rate scale (positive = higher
    in the most deprived group), not polarity-adjusted.
    """
    a, b = as_float(most_deprived, "most_deprived"), as_float(least_deprived, "least_deprived")
    return unwrap(a - b)


def relative_gap(most_deprived: ArrayLike, least_deprived: ArrayLike) -> Any:
    """Relative gap Q1 / Q5 (most over least deprived); nan when Q5 is 0.

    Why: the rate ratio; > 1 means higher in the most deprived group.
    """
    a, b = as_float(most_deprived, "most_deprived"), as_float(least_deprived, "least_deprived")
    with np.errstate(divide="ignore", invalid="ignore"):
        return unwrap(np.where(b != 0, a / b, np.nan))


def duncan_index(
    outcome: ArrayLike,
    income_deprived: ArrayLike,
    non_income_deprived: ArrayLike,
    polarity: str,
) -> float:
    """Duncan (dissimilarity-curve) index of how income-deprived people sit in bad IZs.

    Why: within one partnership, it asks whether income-deprived people are concentrated
    in the intermediate zones with the worst outcomes: 0 = spread like everyone else,
    > 0 = deprived people fare worse, < 0 = better; bounded by ±1. IZs are ordered WORST
    OUTCOME FIRST using ``polarity`` (ascending for high_is_good, descending for
    low_is_good). IZs with equal outcomes are pooled into one step so the answer does not
    depend on row order. Any missing input gives nan.

    Relation to the published CPOP figures ("Duncan index by FINALSep23.csv"): the
    publisher always sorts ASCENDING by the outcome value, whatever its polarity, so
    their sign means "income-deprived people are concentrated in low-value IZs". Ours
    equals theirs for high_is_good outcomes and is its negative for low_is_good ones
    (checked in tests/unit/stats/test_stats_duncan_real.py).

    Notes
    -----
    After ordering, aₖ, bₖ are the cumulative shares of income-deprived and
    non-income-deprived people up to IZ k (a₀ = b₀ = 0, a_K = b_K = 1)::

        DI = Σₖ aₖbₖ₊₁ − Σₖ aₖ₊₁bₖ     (k = 0 … K−1)

    i.e. twice the signed area between the concentration curve (b, a) and the diagonal.
    """
    pol = str(check_polarity(polarity).item())
    y = as_float(outcome, "outcome")
    a = as_float(income_deprived, "income_deprived")
    b = as_float(non_income_deprived, "non_income_deprived")
    if not (y.shape == a.shape == b.shape) or y.ndim != 1:
        raise ValueError(
            "arguments 'outcome', 'income_deprived', 'non_income_deprived' must be 1-d, same length"
        )
    if np.isnan(y).any() or np.isnan(a).any() or np.isnan(b).any():
        return float("nan")
    if np.any(a < 0) or np.any(b < 0):
        raise ValueError("arguments 'income_deprived' and 'non_income_deprived' must be >= 0")
    if not (a.sum() > 0 and b.sum() > 0):
        return float("nan")
    key = y if pol == "high_is_good" else -y
    levels, inverse = np.unique(key, return_inverse=True)  # sorted ascending = worst first
    a_steps = np.bincount(inverse, weights=a, minlength=len(levels))
    b_steps = np.bincount(inverse, weights=b, minlength=len(levels))
    ca = np.concatenate([[0.0], np.cumsum(a_steps) / a.sum()])
    cb = np.concatenate([[0.0], np.cumsum(b_steps) / b.sum()])
    return float(ca[:-1] @ cb[1:] - ca[1:] @ cb[:-1])
