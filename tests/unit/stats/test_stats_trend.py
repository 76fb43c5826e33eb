"""Trend tests, the trend verdict rule and improvement rates, against hand-worked numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.special import stdtr

from etl.stats import (
    chi_square_trend,
    improvement_rag,
    improvement_rate,
    trend_grouped,
    trend_test,
    trend_verdict,
    wls_trend,
)
from etl.stats.levels import Z95
from etl.stats.trend import ols_trend


# Chi-square for trend by hand: t = 1, 2, 3; n = 100 each; r = 10, 20, 30.
#   R = 60, N = 300, Σrt = 10 + 40 + 90 = 140, Σnt = 600, Σnt² = 100*(1+4+9) = 1400
#   numerator   = N(NΣrt − RΣnt)² = 300*(42000 − 36000)² = 300 * 3.6e7 = 1.08e10
#   denominator = R(N − R)(NΣnt² − (Σnt)²) = 60*240*(420000 − 360000) = 8.64e8
#   χ² = 12.5; p = P(χ²₁ > 12.5) = 2(1 − Φ(√12.5)) = 2(1 − Φ(3.5355)) = 0.000407
def test_chi_square_trend_hand_worked() -> None:
    res = chi_square_trend([10, 20, 30], [100, 100, 100], [1, 2, 3])
    assert res.statistic == pytest.approx(12.5)
    assert res.p_value == pytest.approx(0.000407, abs=1e-6)
    assert res.direction == 1


def test_chi_square_trend_calendar_years_same_as_small_t() -> None:
    # The statistic does not depend on where t starts (2019-2021 ≡ 1-3): still 12.5.
    res = chi_square_trend([30, 20, 10], [100, 100, 100], [2019, 2020, 2021])
    assert res.statistic == pytest.approx(12.5)
    assert res.direction == -1


def test_chi_square_trend_no_events_is_nan() -> None:
    res = chi_square_trend([0, 0, 0], [100, 100, 100], [1, 2, 3])
    assert math.isnan(res.statistic) and res.direction == 0


# WLS by hand, exact line: t = 1, 2, 3; y = 10, 12, 14; SE = 1 (w = 1).
#   t̄ = 2, Stt = 1 + 0 + 1 = 2, slope = ((-1)(-2) + (1)(2)) / 2 = 2, residuals 0 → φ = 1
#   SE(slope) = √(1/2) = 0.707107; the points scatter no more than their SEs allow, so the SEs
#   stand (φ = 1) and the reference is the normal: z = 2.828427, p = 2(1 − Φ(2.828427)) = 0.004678
def test_wls_trend_exact_line() -> None:
    res = wls_trend([1, 2, 3], [10, 12, 14], [1, 1, 1])
    assert res.slope == pytest.approx(2.0)
    assert res.se_slope == pytest.approx(0.707107, abs=1e-6)
    assert res.p_value == pytest.approx(0.004678, abs=1e-6)


# WLS with overdispersion: t = 1, 2, 3; y = 10, 13, 14; SE = 0.5 (w = 4).
#   ȳ = 12.333, slope = ((-1)(-2.333) + (1)(1.667)) / 2 = 2; fitted 10.333, 12.333, 14.333
#   residuals -1/3, 2/3, -1/3; Σw e² = 4 * (1/9 + 4/9 + 1/9) = 8/3; φ = (8/3)/(3 − 2) = 2.667
#   Stt = 4 * 2 = 8; SE(slope) = √(2.667/8) = √(1/3) = 0.577350; t = 3.464102 on 1 df
#   p = 1 − (2/π)·atan(3.464102) = 0.178912 (φ was estimated from one residual df: the normal's
#   0.000532 would read that one df as certainty)
def test_wls_trend_overdispersed() -> None:
    res = wls_trend([1, 2, 3], [10, 13, 14], [0.5, 0.5, 0.5])
    assert res.slope == pytest.approx(2.0)
    assert res.se_slope == pytest.approx(0.577350, abs=1e-6)
    assert res.p_value == pytest.approx(0.178912, abs=1e-6)


def _pct(**kw):
    return trend_verdict(kw.pop("t"), measure_type="percentage", **kw)


def test_percentage_rising_is_improving_or_worsening_by_polarity() -> None:
    t = [2016, 2017, 2018, 2019, 2020]
    r, n = [100, 120, 140, 160, 180], [1000] * 5
    assert _pct(t=t, numerator=r, denominator=n, polarity="high_is_good") == "improving"
    assert _pct(t=t, numerator=r, denominator=n, polarity="low_is_good") == "worsening"


def test_only_last_five_points_count() -> None:
    # Two early points are wildly high; only 2018-2022 (flat, 100/1000 each) are tested.
    t = [2016, 2017, 2018, 2019, 2020, 2021, 2022]
    r = [900, 900, 100, 100, 100, 100, 100]
    assert _pct(t=t, numerator=r, denominator=[1000] * 7, polarity="high_is_good") == (
        "no significant change"
    )
    # A missing value outside the last five does not matter either.
    r2 = [np.nan, 900, 100, 120, 140, 160, 180]
    assert _pct(t=t, numerator=r2, denominator=[1000] * 7, polarity="high_is_good") == "improving"


# Sign-flip guard, chi-square: t = 1..5, n = 1,000,000 / 100 / 100 / 100 / 1,000,000,
# r = 100,000 / 8 / 8 / 8 / 110,000: the two precise ends (10 % then 11 %) carry the rise.
#   χ² (Cochran-Armitage) = 532.06 (p = 1.0e-117 on the binomial variance alone); the three small
#   middle points (8 %) scatter about the line less than their binomial error (residual X² =
#   2.008 on 3 df, φ = 0.6694), so on the scatter t = √(532.06/0.6694) = 28.19 on 3 df,
#   p = 9.80e-5; the larger of the two: significant. Dropping the last point leaves 10 % then 8 %, 8 %, 8 %: a fall,
#   so the rising direction does not survive -> "no significant change".
def test_sign_flip_guard() -> None:
    t, r, n = [1, 2, 3, 4, 5], [100_000, 8, 8, 8, 110_000], [1e6, 100, 100, 100, 1e6]
    assert chi_square_trend(r, n, t).statistic == pytest.approx(532.06, abs=0.01)
    res = trend_test(
        t, polarity="high_is_good", measure_type="percentage", numerator=r, denominator=n
    )
    assert res.p_value == pytest.approx(2 * stdtr(3, -math.sqrt(532.0599 / 0.669426)), rel=1e-4)
    assert res.p_value < 0.001 and res.direction == 1
    assert res.verdict == "no significant change"


def test_rate_uses_wls_from_ci() -> None:
    # Rates falling 5 a year with CI ±1.96 (SE = 3.92/3.92 = 1): slope -5, SE 1/√10,
    # z = 15.8: significant; lower is better -> improving.
    t = [2020, 2016, 2018, 2017, 2019]  # shuffled on purpose
    v = np.array([80, 100, 90, 95, 85], dtype=float)
    res = trend_test(
        t,
        polarity="low_is_good",
        measure_type="crude_rate",
        value=v,
        lower=v - 1.96,
        upper=v + 1.96,
    )
    assert res.method == "wls" and res.direction == -1
    assert res.verdict == "improving"


def test_not_significant_at_998_but_significant_at_95() -> None:
    # WLS exact line, t = 1..5, slope 0.8, SE 1 each (Stt = 10): SE(slope) = √(1/10) = 0.3162,
    # no scatter beyond the SEs (φ = 1, normal): z = 2.530, p = 0.0114: significant at 95 %
    # (p < 0.05), not at 99.8 % (p ≥ 0.002).
    v = np.array([10.8, 11.6, 12.4, 13.2, 14.0])
    kw = dict(polarity="high_is_good", measure_type="mean", value=v, lower=v - Z95, upper=v + Z95)
    res = trend_test([1, 2, 3, 4, 5], **kw)
    assert res.p_value == pytest.approx(math.erfc(0.8 / math.sqrt(0.1) / math.sqrt(2)), rel=1e-9)
    assert res.p_value == pytest.approx(0.01141, abs=1e-5)
    assert trend_verdict([1, 2, 3, 4, 5], **kw) == "improving"
    assert trend_verdict([1, 2, 3, 4, 5], level=0.998, **kw) == "no significant change"


@pytest.mark.parametrize(
    ("t", "r", "n"),
    [
        ([2019, 2020], [1, 2], [10, 10]),  # fewer than 3 points
        ([2018, 2019, 2020], [1, np.nan, 2], [10, 10, 10]),  # suppressed value
        ([2018, 2019, 2020], [0, 0, 0], [10, 10, 10]),  # no variance (R = 0)
    ],
)
def test_cannot_be_calculated(t, r, n) -> None:
    assert _pct(t=t, numerator=r, denominator=n, polarity="low_is_good") == "cannot be calculated"


def test_zero_width_ci_cannot_be_calculated() -> None:
    v = [1.0, 2.0, 3.0]
    out = trend_verdict(
        [1, 2, 3], polarity="low_is_good", measure_type="mean", value=v, lower=v, upper=v
    )
    assert out == "cannot be calculated"


def test_repeated_time_is_an_error() -> None:
    with pytest.raises(ValueError, match="'time'"):
        _pct(t=[1, 1, 2], numerator=[1, 2, 3], denominator=[9, 9, 9], polarity="low_is_good")


def test_repeated_time_in_one_series_is_an_error_in_the_vectorised_test_too() -> None:
    from etl.stats.trend_fast import trend_vectorised

    df = pd.DataFrame({"g": ["A", "A", "A", "B", "B", "B"], "period_year": [2019, 2020, 2021, 2019, 2020, 2020],
                       "value": 1.0, "numerator": [1, 2, 3, 1, 2, 3], "denominator": 9.0, "ci_lower": np.nan,
                       "ci_upper": np.nan, "measure_type": "percentage", "polarity": "low_is_good"})
    with pytest.raises(ValueError, match=r"repeated values: period_year 2020 twice for g 'B'"):
        trend_vectorised(df, ["g"])  # it raised numpy's LinAlgError 'Singular matrix' for the whole batch
    assert trend_vectorised(df.iloc[:5], ["g"]).n_points.tolist() == [3, 2]


def test_trend_grouped() -> None:
    df = pd.DataFrame(
        {
            "area_code": ["A"] * 5 + ["B"] * 5,
            "year": list(range(2016, 2021)) * 2,
            "numerator": [100, 120, 140, 160, 180] + [50] * 5,
            "denominator": [1000] * 10,
            "measure_type": "percentage",
            "polarity": "low_is_good",
        }
    )
    out = trend_grouped(
        df, ["area_code"], time="year", polarity="polarity", measure_type="measure_type"
    )
    assert dict(zip(out.area_code, out.verdict, strict=True)) == {
        "A": "worsening",
        "B": "no significant change",
    }


def test_improvement_rate() -> None:
    # (120/100 − 1) × 100 = 20; (75/100 − 1) × 100 = −25; baseline 0 -> nan
    out = improvement_rate([120, 75, 5], [100, 100, 0])
    assert out[0] == pytest.approx(20.0) and out[1] == pytest.approx(-25.0)
    assert math.isnan(out[2])


@pytest.mark.parametrize(
    ("area_latest", "area_rate", "comp_latest", "comp_rate", "polarity", "expected"),
    [
        (60, 5, 50, 2, "high_is_good", "green"),  # higher level, faster rise
        (40, 1, 50, 2, "high_is_good", "red"),  # lower level, slower rise
        (60, 1, 50, 2, "high_is_good", "amber"),  # better level but slower
        (40, -5, 50, -2, "low_is_good", "green"),  # lower level, falling faster
        (60, -1, 50, -3, "low_is_good", "red"),  # higher level, falling slower
        (60, -5, 50, -2, "low_is_good", "amber"),  # worse level but improving faster
        (50, 5, 50, 2, "high_is_good", "amber"),  # level tie
        (np.nan, 5, 50, 2, "high_is_good", "grey"),
    ],
)
def test_improvement_rag(
    area_latest, area_rate, comp_latest, comp_rate, polarity, expected
) -> None:
    assert improvement_rag(area_latest, area_rate, comp_latest, comp_rate, polarity) == expected


def test_a_flat_series_has_no_direction_even_with_rounding_noise() -> None:
    """Values 3, 2, 1, 2 with SEs 1, 3, 1, 3 (÷1.96): dropping the first point leaves 2, 1, 2 with
    symmetric weights, a slope of exactly 0; rounding once made it ±3e-17, which the sign-flip
    guard read as a direction (found by the property test of the vectorised twin)."""
    import numpy as np

    from etl.stats.trend import trend_test, wls_trend
    from etl.stats.trend_fast import trend_vectorised

    t = np.arange(2011, 2014, dtype=float)
    assert wls_trend(t, np.array([2.0, 1.0, 2.0]), np.array([3.0, 1.0, 3.0]) / 1.96).slope == 0.0
    values, half = np.array([3.0, 2.0, 1.0, 2.0]), np.array([1.0, 3.0, 1.0, 3.0])
    scalar = trend_test(np.arange(2010, 2014), polarity="high_is_good", measure_type="crude_rate", value=values,
                        lower=values - half, upper=values + half)
    frame = pd.DataFrame({"g": 0, "period_year": range(2010, 2014), "numerator": 60, "denominator": 60,
                          "value": values, "ci_lower": values - half, "ci_upper": values + half,
                          "polarity": "high_is_good", "measure_type": "crude_rate"})
    assert scalar.verdict == trend_vectorised(frame, ["g"]).verdict.iloc[0] == "no significant change"


# OLS by hand (a measure published without intervals): t = 1..5, y = 10, 12, 13, 15, 16.
#   t̄ = 3, ȳ = 13.2; Σ(t − t̄)(y − ȳ) = 6.4 + 1.2 + 0 + 1.8 + 5.6 = 15; Sₜₜ = 10 -> slope 1.5
#   fitted 10.2, 11.7, 13.2, 14.7, 16.2; residuals ∓0.2/0.3: Σe² = 0.30; s² = 0.30/3 = 0.1
#   SE(slope) = √(0.1/10) = 0.1; t = 15 on 3 df; for 3 df, with x = t/√3,
#   p = 1 − (2/π)(x/(1 + x²) + atan x)  (the closed form of Student's t on 3 df)
def test_ols_trend_hand_worked() -> None:
    res = ols_trend([1, 2, 3, 4, 5], [10, 12, 13, 15, 16])
    x = 15 / math.sqrt(3)
    assert res.slope == pytest.approx(1.5) and res.se_slope == pytest.approx(0.1) and res.df == 3
    assert res.p_value == pytest.approx(1 - 2 / math.pi * (x / (1 + x * x) + math.atan(x)), rel=1e-9)
    assert res.p_value == pytest.approx(0.000642, abs=5e-6)


def test_measures_without_intervals_use_ols() -> None:
    t = [2019, 2020, 2021, 2022, 2023]
    steady = trend_test(t, polarity="high_is_good", measure_type="median", value=[600, 612, 619, 631, 640],
                        ci_method="none")
    assert steady.method == "ols" and steady.verdict == "improving" and steady.n_points == 5
    noisy = trend_test(t, polarity="high_is_good", measure_type="median", value=[600, 640, 590, 650, 610],
                       ci_method="none")
    assert noisy.verdict == "no significant change"
    # one unusual year that alone makes the direction: the sign-flip guard holds for OLS too
    spike = trend_test(t, polarity="high_is_good", measure_type="mean", value=[600, 600, 600, 600, 700],
                       ci_method="none")
    assert spike.verdict == "no significant change"
    withheld = trend_test(t, polarity="high_is_good", measure_type="median",
                          value=[600, 612, float("nan"), 631, 640], ci_method="none")
    assert withheld.verdict == "cannot be calculated"
    flat = trend_test(t, polarity="high_is_good", measure_type="mean", value=[5.0] * 5, ci_method="none")
    assert flat.verdict == "no significant change" and flat.p_value == 1.0
    # without the flag, a series that carries no interval at all is tested by OLS too (rule 2b)
    bare = trend_test(t, polarity="high_is_good", measure_type="median", value=[600, 612, 619, 631, 640],
                      lower=[float("nan")] * 5, upper=[float("nan")] * 5)
    assert bare.method == "ols" and bare.verdict == "improving"
    # ... but one missing interval among others is a gap: cannot be calculated
    gap = trend_test(t, polarity="high_is_good", measure_type="median", value=[600, 612, 619, 631, 640],
                     lower=[590, 600, float("nan"), 620, 630], upper=[610, 624, float("nan"), 642, 650])
    assert gap.method == "wls" and gap.verdict == "cannot be calculated"


def test_a_percentage_published_without_counts_is_tested_on_its_values() -> None:
    # CPOP publishes council percentages without the counts behind them: the chi-square test
    # cannot run, so the values are tested (rule 2b): by hand, OLS on 10, 11, 12, 13, 14.2 has
    # slope 1.04 and a tiny residual variance, p far below 0.05; every one-point drop keeps it rising
    t = [2017, 2018, 2019, 2020, 2021]
    bare = trend_test(t, polarity="low_is_good", measure_type="percentage", value=[10, 11, 12, 13, 14.2],
                      numerator=[float("nan")] * 5, denominator=[float("nan")] * 5)
    assert bare.method == "ols" and bare.verdict == "worsening" and bare.p_value < 0.001
    with_ci = trend_test(t, polarity="low_is_good", measure_type="percentage", value=[10, 11, 12, 13, 14.2],
                         lower=[9, 10, 11, 12, 13.2], upper=[11, 12, 13, 14, 15.2])
    assert with_ci.method == "wls"
    # a withheld count among published ones is a gap, as before
    gap = trend_test(t, polarity="low_is_good", measure_type="percentage", value=[10, 11, 12, 13, 14.2],
                     numerator=[10, 11, float("nan"), 13, 14], denominator=[100] * 5)
    assert gap.method == "chi_square" and gap.verdict == "cannot be calculated"


def test_trend_grouped_and_vectorised_read_ci_method() -> None:
    from etl.stats.trend_fast import trend_vectorised

    df = pd.DataFrame({"g": ["A"] * 5, "period_year": range(2019, 2024), "value": [600, 612, 619, 631, 640],
                       "numerator": np.nan, "denominator": np.nan, "ci_lower": np.nan, "ci_upper": np.nan,
                       "measure_type": "median", "polarity": "high_is_good", "ci_method": "none"})
    grouped = trend_grouped(df, ["g"], time="period_year", polarity="polarity", measure_type="measure_type",
                            ci_method="ci_method")
    fast = trend_vectorised(df, ["g"])
    assert grouped.verdict.iloc[0] == fast.verdict.iloc[0] == "improving"
    assert grouped.method.iloc[0] == fast.method.iloc[0] == "ols"
    assert fast.p_value.iloc[0] == pytest.approx(grouped.p_value.iloc[0], rel=1e-12)
