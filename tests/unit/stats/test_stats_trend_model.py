"""The regression behind the trend verdicts (etl.stats.trend_model), against hand-worked numbers
and an independent whitening of the generalised least squares."""

from __future__ import annotations

import math

import numpy as np
import pytest

from etl.stats import chi_square_trend
from etl.stats.trend_model import binomial_variance, fit_line, overlap_correlation


def test_overlap_of_three_year_periods() -> None:
    # 2013-15 and 2014-16 share two of three years (2/3), 2013-15 and 2015-17 one (1/3),
    # 2013-15 and 2016-18 none
    t = np.array([[2015.0, 2016, 2017, 2018, 2019]])
    r = overlap_correlation(t, np.ones((1, 5), dtype=bool), np.array([3]))[0]
    assert r[0, :4] == pytest.approx([1, 2 / 3, 1 / 3, 0])
    assert (np.diag(r) == 1).all() and (r == r.T).all()
    assert (overlap_correlation(t, np.ones((1, 5), dtype=bool), np.array([1]))[0] == np.eye(5)).all()


def test_without_overlap_or_extra_scatter_it_is_the_chi_square_test_for_trend() -> None:
    # r = 10, 20, 30 of 100 at t = 1, 2, 3 lie exactly on a line (no scatter, φ = 0): the
    # p-value is the chi-square test for trend's, χ² = 1.08e10 / 8.64e8 = 12.5
    # (test_stats_trend.py works it by hand), p = P(χ²₁ > 12.5) = 0.000407
    r, n, t = np.array([[10.0, 20, 30]]), np.array([[100.0, 100, 100]]), np.array([[1.0, 2, 3]])
    m = np.ones((1, 3), dtype=bool)
    y, v = binomial_variance(r, n, m)
    fit = fit_line(t, y, v, m)
    assert fit.slope[0] == pytest.approx(0.1)
    assert fit.dispersion[0] == pytest.approx(0.0, abs=1e-12)
    assert fit.p_value[0] == pytest.approx(chi_square_trend([10, 20, 30], [100] * 3, [1, 2, 3]).p_value, rel=1e-9)
    assert fit.p_value[0] == pytest.approx(math.erfc(math.sqrt(12.5 / 2)), rel=1e-9)


def test_rolling_series_is_generalised_least_squares_with_the_overlap() -> None:
    # an independent computation: whiten with the Cholesky factor of Σ = V^½ R V^½ and fit by
    # ordinary least squares; the slope's SE and the dispersion must match
    rng = np.random.default_rng(5)
    t = np.array([2015.0, 2016, 2017, 2018, 2019])
    y = 20 + 0.3 * (t - 2015) + rng.normal(0, 1, 5)
    var = rng.uniform(0.5, 2.0, 5)
    corr = np.clip((3 - np.abs(t[:, None] - t[None, :])) / 3, 0, 1)
    sigma = np.sqrt(var)[:, None] * corr * np.sqrt(var)[None, :]
    chol = np.linalg.cholesky(sigma)
    x = np.column_stack([np.ones(5), t - t.mean()])
    xw, yw = np.linalg.solve(chol, x), np.linalg.solve(chol, y)
    beta, *_ = np.linalg.lstsq(xw, yw, rcond=None)
    resid = yw - xw @ beta
    phi = resid @ resid / 3
    base_se = math.sqrt(np.linalg.inv(xw.T @ xw)[1, 1])
    fit = fit_line(t[None], y[None], var[None], np.ones((1, 5), dtype=bool), window=np.array([3]))
    assert fit.slope[0] == pytest.approx(beta[1], rel=1e-9)
    assert fit.dispersion[0] == pytest.approx(phi, rel=1e-9)
    assert fit.se[0] == pytest.approx(base_se * math.sqrt(max(1.0, phi)), rel=1e-9)


def test_the_slope_must_stand_out_from_the_scatter_too() -> None:
    # WLS, t = 1..5, SE 1 each (S = √(1/10) = 0.3162), values 0, 9, 0, 9, 9: ȳ = 5.4,
    # slope = Σ(t − t̄)y / 10 = (−9 + 9 + 18)/10 = 1.8, so on the SEs alone z = 5.69 (p = 1.3e-8);
    # fitted 1.8, 3.6, 5.4, 7.2, 9.0, residuals −1.8, 5.4, −5.4, 1.8, 0: X² = 64.8 on 3 df,
    # φ = 21.6; on the scatter t = 1.8/√(21.6/10) = 1.2247, p = 2P(T₃ > 1.2247) = 0.3081
    y = np.array([[0.0, 9, 0, 9, 9]])
    fit = fit_line(np.array([[1.0, 2, 3, 4, 5]]), y, np.ones((1, 5)), np.ones((1, 5), dtype=bool))
    assert fit.slope[0] == pytest.approx(1.8)
    assert fit.dispersion[0] == pytest.approx(21.6)
    assert fit.p_value[0] == pytest.approx(0.30807, abs=1e-5)
