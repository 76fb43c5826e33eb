"""SII, RII, PAR, gaps and the Duncan index against hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from etl.stats import absolute_gap, duncan_index, par, relative_gap, ridits, rii, sii, sii_grouped


def test_ridits_unequal_groups() -> None:
    # Shares 0.5, 0.25, 0.25 (most deprived first): 0.25, 0.5 + 0.125, 0.75 + 0.125
    assert ridits([2, 1, 1]) == pytest.approx([0.25, 0.625, 0.875])
    # Given least deprived first, the same people get the same ridits.
    assert ridits([1, 1, 2], most_deprived_first=False) == pytest.approx([0.875, 0.625, 0.25])


# SII by hand, equal thirds, rates 32, 18, 10 (most deprived first), low_is_good:
#   x = 1/6, 1/2, 5/6; p = 1/3 each; x̄ = 1/2; r̄ = 20
#   Sxx = (1/3)(1/9 + 0 + 1/9) = 2/27
#   Sxy = (1/3)((-1/3)(12) + 0 + (1/3)(-10)) = -22/9
#   slope = (-22/9)/(2/27) = -33  -> SII = +33 (higher, i.e. worse, in deprived areas)
#   fitted 31, 20, 9; residuals 1, -2, 1; σ² = (1/3)(1 + 4 + 1)/(3 − 2) = 2
#   SE = √(2 / (2/27)) = √27 = 5.196152; t(0.975, 1) = 12.706205
#   CI = 33 ± 66.023377 = (-33.023377, 99.023377)
def test_sii_hand_worked_equal_groups() -> None:
    res = sii([32, 18, 10], [1000, 1000, 1000], polarity="low_is_good")
    assert res.slope == pytest.approx(-33.0)
    assert res.sii == pytest.approx(33.0)
    assert res.se_slope == pytest.approx(math.sqrt(27))
    assert res.lower == pytest.approx(-33.023377, abs=1e-5)
    assert res.upper == pytest.approx(99.023377, abs=1e-5)
    assert res.overall_rate == pytest.approx(20.0)


# Population weighting matters: populations 2, 1, 1; rates 30, 20, 10.
#   x = 0.25, 0.625, 0.875; p = 0.5, 0.25, 0.25; x̄ = 0.125 + 0.15625 + 0.21875 = 0.5
#   r̄ = 15 + 5 + 2.5 = 22.5
#   Sxx = 0.5(0.0625) + 0.25(0.015625) + 0.25(0.140625) = 0.0703125 = 9/128
#   Sxy = 0.5(-0.25)(7.5) + 0.25(0.125)(-2.5) + 0.25(0.375)(-12.5) = -2.1875 = -35/16
#   slope = -(35/16)(128/9) = -280/9 = -31.111   (unweighted OLS would give -31.58)
def test_sii_population_weighted() -> None:
    res = sii([30, 20, 10], [2, 1, 1])
    assert res.slope == pytest.approx(-280 / 9)
    assert res.overall_rate == pytest.approx(22.5)


def test_sii_sign_follows_polarity() -> None:
    # Attainment (high is good) lower in deprived areas: slope +33, SII +33 (worse there).
    res = sii([10, 18, 32], [1, 1, 1], polarity="high_is_good")
    assert res.slope == pytest.approx(33.0) and res.sii == pytest.approx(33.0)
    # Same data read as low-is-good: deprived areas do better, SII negative.
    assert sii([10, 18, 32], [1, 1, 1], polarity="low_is_good").sii == pytest.approx(-33.0)


def test_sii_order_argument() -> None:
    res = sii([10, 18, 32], [1, 1, 1], most_deprived_first=False)
    assert res.sii == pytest.approx(33.0)


def test_sii_missing_group_is_nan() -> None:
    assert math.isnan(sii([30, np.nan, 10], [1, 1, 1]).sii)


def test_sii_grouped_matches_hand_worked() -> None:
    df = pd.DataFrame(
        {
            "area_code": ["A", "A", "A", "B", "B", "B", "C", "C", "C"],
            "quintile": [3, 1, 2, 1, 2, 3, 1, 2, 3],
            "rate": [10, 32, 18, 30, 20, 10, 1, np.nan, 2],
            "population": [1000, 1000, 1000, 2, 1, 1, 1, 1, 1],
        }
    )
    out = sii_grouped(df, ["area_code"], rank="quintile", rate="rate", population="population")
    out = out.set_index("area_code")
    assert out.loc["A", "sii"] == pytest.approx(33.0)
    assert out.loc["A", "sii_lower"] == pytest.approx(-33.023377, abs=1e-5)
    assert out.loc["A", "sii_upper"] == pytest.approx(99.023377, abs=1e-5)
    assert out.loc["B", "slope"] == pytest.approx(-280 / 9)
    assert out.loc["B", "overall_rate"] == pytest.approx(22.5)
    assert math.isnan(out.loc["C", "sii"])


def test_rii() -> None:
    # 33 / 20 = 1.65; SII 0 -> RII 0
    assert rii(33.0, 20.0) == pytest.approx(1.65)
    assert rii(0.0, 0.0) == 0.0


# PAR by hand: equal thirds, rates 32, 18, 10, r_least = 10:
#   Σ pᵢ(rᵢ/10 − 1) = (1/3)(2.2 + 0.8 + 0) = 1.0; PAR = 1/(1 + 1) = 0.5 = 50 %
#   (check: 1 − r_least/r̄ = 1 − 10/20 = 0.5)
def test_par_hand_worked() -> None:
    res = par([32, 18, 10], [5, 5, 5])
    assert res.fraction == pytest.approx(0.5)
    assert res.percent == pytest.approx(50.0)
    assert par([10, 18, 32], [5, 5, 5], most_deprived_first=False).percent == pytest.approx(50.0)


def test_gaps() -> None:
    assert absolute_gap(32, 10) == pytest.approx(22.0)
    assert relative_gap(32, 10) == pytest.approx(3.2)
    assert math.isnan(relative_gap(1, 0))


# Duncan by hand: 3 IZs, outcome (high is good) 10, 20, 30 (worst first already)
#   income-deprived 2, 1, 1 (total 4) -> a = 0, 0.5, 0.75, 1
#   non-income-deprived 1, 1, 2 (total 4) -> b = 0, 0.25, 0.5, 1
#   Σ aₖbₖ₊₁ = 0(0.25) + 0.5(0.5) + 0.75(1) = 1.0
#   Σ aₖ₊₁bₖ = 0.5(0) + 0.75(0.25) + 1(0.5) = 0.6875
#   DI = 1.0 − 0.6875 = 0.3125 (> 0: deprived people concentrated in the worst IZs)
def test_duncan_hand_worked() -> None:
    assert duncan_index([30, 10, 20], [1, 2, 1], [2, 1, 1], "high_is_good") == pytest.approx(0.3125)
    # Same numbers as a low-is-good outcome: IZ 30 is now the worst -> DI = −0.3125.
    assert duncan_index([30, 10, 20], [1, 2, 1], [2, 1, 1], "low_is_good") == pytest.approx(-0.3125)


# Ties are pooled: outcomes 10, 10, 30; deprived 2, 0, 2; others 0, 2, 2 (totals 4, 4).
#   Pooled first step: a = 0.5, b = 0.5; then 1, 1 -> the diagonal, DI = 0 in any row order.
#   (Taking the rows as listed would give a = 0, .5, .5, 1 / b = 0, 0, .5, 1 -> DI = 0.25.)
def test_duncan_ties_are_pooled() -> None:
    assert duncan_index([10, 10, 30], [2, 0, 2], [0, 2, 2], "high_is_good") == pytest.approx(0.0)
    assert duncan_index([10, 10, 30], [0, 2, 2], [2, 0, 2], "high_is_good") == pytest.approx(0.0)


def test_duncan_equal_spread_is_zero_and_missing_is_nan() -> None:
    assert duncan_index([1, 2, 3], [10, 20, 30], [1, 2, 3], "high_is_good") == pytest.approx(0.0)
    assert math.isnan(duncan_index([1, np.nan, 3], [1, 1, 1], [1, 1, 1], "high_is_good"))
