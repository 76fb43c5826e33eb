"""Confidence intervals for percentages, crude rates and age-standardised rates.

Why: every value in ``marts.indicator_values`` carries a CI so that noise is not read as
change; these are the methods the public-health observatories publish (Wilson, Byar with
exact Poisson for small counts, Dobson for ESP2013 standardised rates), vectorised so a
whole warehouse column is computed in one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from etl.stats._arrays import as_float, unwrap
from etl.stats.levels import Z95

#: European Standard Population 2013, 5-year bands 0-4, 5-9, ..., 85-89, 90+ (sums to 100,000).
ESP2013_BANDS: tuple[str, ...] = tuple(f"{a}-{a + 4}" for a in range(0, 90, 5)) + ("90+",)
ESP2013_WEIGHTS: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip

#: Below this many events crude-rate and DSR limits use exact Poisson, not Byar.
EXACT_POISSON_BELOW = 10


class Interval(NamedTuple):
    """Lower and upper confidence limits (floats for scalar input, arrays otherwise)."""

    lower: Any
    upper: Any


#: No directly standardised rate is published from fewer events than this (PHE Technical Guide
#: "Calculating directly standardised rates"; ScotPHO does the same): below it the rate is too
#: unstable to compare. Rates from MIN_DSR_EVENTS to DSR_RELIABLE_EVENTS − 1 are flagged as of
#: low reliability (``is_low_reliability``). etl/sql/marts/computed_values.sql applies the same
#: numbers; tests/property/etl/test_dsr_agreement.py checks the two agree.
MIN_DSR_EVENTS = 10
DSR_RELIABLE_EVENTS = 20


class DsrResult(NamedTuple):
    """A directly standardised rate and its Dobson confidence limits."""

    dsr: float
    lower: float
    upper: float


def z_for_level(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level (0.95 -> 1.959964).

    Why: indicators offer 95 % and 99.8 % limits; deriving z from the level avoids
    hard-coded constants drifting apart (1.96 vs 1.959964, 3.09 vs 3.090232).

    Notes
    -----
    ``z = Φ⁻¹(1 − (1 − level)/2)``.
    """
    if not 0 < level < 1:
        raise ValueError(f"argument 'level' must be strictly between 0 and 1, got {level!r}")
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def wilson_ci(x: ArrayLike, n: ArrayLike, z: float = Z95) -> Interval:
    """Wilson score interval for a proportion x/n, returned as proportions (0..1).

    Why: unlike the normal ("Wald") interval it stays inside [0, 1] and behaves well for
    small counts and proportions near 0 or 1, which is common at data zone level.
    Arrays (e.g. whole pandas columns) are computed element-wise; ``n == 0`` or a missing
    input gives nan limits.

    Notes
    -----
    With p = x/n::

        lower, upper = (2x + z² ∓ z·√(z² + 4x(1 − p))) / (2(n + z²))

    Check (published): x = 3,938,080, n = 51,441,896 → 7.64813 % to 7.66266 %.
    """
    xa = as_float(x, "x")
    na = as_float(n, "n")
    if np.any(na < 0):
        raise ValueError("argument 'n' must be >= 0")
    if np.any(xa < 0):
        raise ValueError("argument 'x' must be >= 0")
    if np.any(xa > na):
        raise ValueError("argument 'x' must not exceed 'n'")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(na > 0, xa / na, np.nan)
        centre = 2 * xa + z**2
        half = z * np.sqrt(z**2 + 4 * xa * (1 - p))
        denom = 2 * (na + z**2)
        lower = np.where(na > 0, (centre - half) / denom, np.nan)
        upper = np.where(na > 0, (centre + half) / denom, np.nan)
    # Exact at the edges (x = 0 -> lower 0, x = n -> upper 1; rounding would miss them by
    # 1e-16) and never a hair outside [0, 1].
    lower = np.where(xa == 0, 0.0, np.clip(lower, 0.0, 1.0))
    upper = np.where((xa == na) & (na > 0), 1.0, np.clip(upper, 0.0, 1.0))
    lower = np.where(na > 0, lower, np.nan)
    upper = np.where(na > 0, upper, np.nan)
    return Interval(unwrap(lower), unwrap(upper))


def poisson_exact_limits(o: ArrayLike, z: float = Z95) -> Interval:
    """Exact (Garwood, chi-square based) Poisson limits for an observed count.

    Why: Byar's approximation is poor for small counts, so below 10 events the observed
    count's limits come from the chi-square distribution instead.

    Notes
    -----
    With α = 2(1 − Φ(z)) (α = 0.05 for z = 1.96)::

        lower = χ²_{α/2}(2O) / 2          (0 when O = 0)
        upper = χ²_{1−α/2}(2O + 2) / 2
    """
    oa = as_float(o, "o")
    if np.any(oa < 0):
        raise ValueError("argument 'o' must be >= 0")
    alpha = 2 * (1 - stats.norm.cdf(z))
    with np.errstate(invalid="ignore"):
        lower = np.where(oa > 0, stats.chi2.ppf(alpha / 2, 2 * np.where(oa > 0, oa, 1)) / 2, 0.0)
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * oa + 2) / 2
    lower = np.where(np.isnan(oa), np.nan, lower)
    return Interval(unwrap(lower), unwrap(upper))


def poisson_count_limits(o: ArrayLike, z: float = Z95) -> Interval:
    """Limits for a Poisson count: exact below 10 events, Byar's approximation from 10.

    Why: shared by crude rates (``byar_ci``) and the Dobson DSR limits.

    Notes
    -----
    Byar::

        O_L = O(1 − 1/(9O) − z/(3√O))³
        O_U = (O + 1)(1 − 1/(9(O + 1)) + z/(3√(O + 1)))³
    """
    oa = as_float(o, "o")
    if np.any(oa < 0):
        raise ValueError("argument 'o' must be >= 0")
    exact_lo, exact_hi = poisson_exact_limits(oa, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(oa > 0, oa, 1.0)
        byar_lo = safe * (1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))) ** 3
        byar_hi = (oa + 1) * (1 - 1 / (9 * (oa + 1)) + z / (3 * np.sqrt(oa + 1))) ** 3
    small = oa < EXACT_POISSON_BELOW
    lower = np.where(small, exact_lo, byar_lo)
    upper = np.where(small, exact_hi, byar_hi)
    return Interval(unwrap(lower), unwrap(upper))


def byar_ci(o: ArrayLike, n: ArrayLike, multiplier: float, z: float = Z95) -> Interval:
    """Confidence limits of a crude rate O/n × multiplier (Byar; exact Poisson if O < 10).

    Why: the standard method for crude rates of events (deaths, admissions) treated as
    Poisson counts. ``n == 0`` or missing input gives nan.

    Notes
    -----
    ``LCL = O_L / n · k``, ``UCL = O_U / n · k`` with O_L, O_U from
    :func:`poisson_count_limits`. Check (published): O = 25, n = 10,000, k = 100,000
    → 161.74 to 369.07.
    """
    oa = as_float(o, "o")
    na = as_float(n, "n")
    if np.any(na < 0):
        raise ValueError("argument 'n' must be >= 0")
    lo, hi = poisson_count_limits(oa, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(na > 0, np.asarray(lo) / na * multiplier, np.nan)
        upper = np.where(na > 0, np.asarray(hi) / na * multiplier, np.nan)
    return Interval(unwrap(lower), unwrap(upper))


def _dobson(
    o_sum: NDArray[np.float64],
    a_sum: NDArray[np.float64],
    b_sum: NDArray[np.float64],
    w_sum: NDArray[np.float64],
    multiplier: float,
    z: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Dobson limits from the group sums ΣO, ΣOw/n, ΣOw²/n², Σw (vectorised)."""
    dsr = a_sum / w_sum
    var = b_sum / w_sum**2
    o_lo, o_hi = poisson_count_limits(o_sum, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.sqrt(var / o_sum)
        lower = np.where(o_sum > 0, dsr + scale * (np.asarray(o_lo) - o_sum), 0.0)
        upper = np.where(o_sum > 0, dsr + scale * (np.asarray(o_hi) - o_sum), np.nan)
    return dsr * multiplier, lower * multiplier, upper * multiplier


def _dsr_terms(
    o: NDArray[np.float64], n: NDArray[np.float64], w: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    if np.any(o < 0):
        raise ValueError("argument 'observed' must be >= 0")
    if np.any(n < 0):
        raise ValueError("argument 'population' must be >= 0")
    if np.any((n == 0) & (o > 0)):
        raise ValueError("argument 'population' is 0 in a band with events")
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(n > 0, o * w / n, 0.0)
        b = np.where(n > 0, o * w**2 / n**2, 0.0)
    return a, b


def dsr_dobson(
    observed_by_band: ArrayLike,
    population_by_band: ArrayLike,
    standard_weights: ArrayLike = ESP2013_WEIGHTS,
    multiplier: float = 100_000,
    z: float = Z95,
    min_events: int = MIN_DSR_EVENTS,
) -> DsrResult:
    """Directly age-standardised rate for ONE area with Dobson confidence limits.

    Why: comparing areas with different age structures needs a rate standardised to a
    common population (ESP2013); Dobson's method gives limits that are exact-Poisson-based
    for the total count. A band with zero population and zero events contributes a zero
    rate (small areas often have nobody aged 90+); a band with events but no population
    is an error; a band with a missing count or population gives no rate at all. Fewer than
    ``min_events`` (10) events in all give no rate either (all nan): public-health practice
    publishes no standardised rate from so few (pass 0 to see the formula's value: with no
    events at all it is 0, lower limit 0, upper limit nan, the Dobson variance being undefined).

    Notes
    -----
    With Oᵢ events, nᵢ population, wᵢ standard weight in band i, O = ΣOᵢ, k multiplier::

        DSR = Σ Oᵢwᵢ/nᵢ / Σwᵢ
        var = Σ Oᵢwᵢ²/nᵢ² / (Σwᵢ)²
        limits = (DSR + √(var/O)·(O_L − O), DSR + √(var/O)·(O_U − O)) · k

    where O_L, O_U are Byar limits for O (exact Poisson when O < 10).
    """
    o = as_float(observed_by_band, "observed_by_band")
    n = as_float(population_by_band, "population_by_band")
    w = as_float(standard_weights, "standard_weights")
    if not (o.shape == n.shape == w.shape) or o.ndim != 1:
        raise ValueError(
            "arguments 'observed_by_band', 'population_by_band' and 'standard_weights' "
            f"must be 1-d and the same length, got {o.shape}, {n.shape}, {w.shape}"
        )
    if np.isnan(o).any() or np.isnan(n).any() or o.sum() < min_events:
        return DsrResult(np.nan, np.nan, np.nan)
    a, b = _dsr_terms(o, n, w)
    dsr, lower, upper = _dobson(
        np.asarray(o.sum()), np.asarray(a.sum()), np.asarray(b.sum()),
        np.asarray(w.sum()), multiplier, z,
    )  # fmt: skip
    return DsrResult(float(dsr), float(lower), float(upper))


def dsr_grouped(
    df: pd.DataFrame,
    by: Sequence[str],
    *,
    observed: str = "observed",
    population: str = "population",
    weight: str = "weight",
    multiplier: float = 100_000,
    z: float = Z95,
    min_events: int = MIN_DSR_EVENTS,
) -> pd.DataFrame:
    """Dobson DSRs for many areas at once from a long table (one row per group × band).

    Why: the warehouse holds age-banded counts for every area × period × indicator; one
    vectorised group-by is far faster than calling :func:`dsr_dobson` per group. Each group
    must list every standard band it is standardised over (Σw is summed per group).
    A group with any missing count or population gets nan for all outputs; a group with
    fewer than ``min_events`` (10) events keeps its numerator and denominator but gets no rate
    or limits (as :func:`dsr_dobson`).

    Returns one row per group: the ``by`` columns, ``numerator`` (ΣO), ``denominator``
    (Σn), ``dsr``, ``ci_lower``, ``ci_upper`` (per ``multiplier``). Formulas as in
    :func:`dsr_dobson`.
    """
    by = list(by)
    missing = [c for c in [*by, observed, population, weight] if c not in df.columns]
    if missing:
        raise ValueError(f"argument 'df' lacks column(s) {missing}")
    o = as_float(df[observed], observed)
    n = as_float(df[population], population)
    w = as_float(df[weight], weight)
    has_na = np.isnan(o) | np.isnan(n)
    o0, n0 = np.where(has_na, 0.0, o), np.where(has_na, 0.0, n)
    a, b = _dsr_terms(o0, n0, w)
    work = pd.DataFrame({"o": o0, "n": n0, "w": w, "a": a, "b": b, "na": has_na}, index=df.index)
    for col in by:
        work[col] = df[col].to_numpy()
    g = work.groupby(by, sort=True, dropna=False)[["o", "n", "w", "a", "b", "na"]].sum()
    dsr, lower, upper = _dobson(
        g["o"].to_numpy(float), g["a"].to_numpy(float), g["b"].to_numpy(float),
        g["w"].to_numpy(float), multiplier, z,
    )  # fmt: skip
    bad = g["na"].to_numpy() > 0
    out = g.index.to_frame(index=False)
    out["numerator"] = np.where(bad, np.nan, g["o"].to_numpy(float))
    out["denominator"] = np.where(bad, np.nan, g["n"].to_numpy(float))
    few = bad | (g["o"].to_numpy(float) < min_events)
    out["dsr"] = np.where(few, np.nan, dsr)
    out["ci_lower"] = np.where(few, np.nan, lower)
    out["ci_upper"] = np.where(few, np.nan, upper)
    return out
