"""Projection, probability of meeting a target and target status, by hand."""

from __future__ import annotations

import math

import pytest

from etl.stats import probability_of_meeting_target, projection, target_status


# OLS by hand: x = 1, 2, 3; y = 1, 3, 2.
#   x̄ = 2, ȳ = 2, Sxx = 2, Sxy = (-1)(-1) + 0 + (1)(0) = 1, slope 0.5, intercept 1
#   fitted 1.5, 2, 2.5; residuals -0.5, 1, -0.5; SSE = 1.5; df = 1; s = √1.5
#   at x0 = 4: ŷ = 3; SE_pred = √1.5 · √(1 + 1/3 + 4/2) = √(1.5 · 10/3) = √5 = 2.236068
#   t(0.975, 1) = 12.706205 -> PI 3 ± 28.411938 = (-25.411938, 31.411938)
def test_linear_projection_hand_worked() -> None:
    proj = projection([3, 1, 2], [2, 1, 3], 4)  # order does not matter
    assert proj.predicted == pytest.approx(3.0)
    assert proj.se == pytest.approx(math.sqrt(5))
    assert proj.df == 1
    assert proj.lower == pytest.approx(-25.411938, abs=1e-5)
    assert proj.upper == pytest.approx(31.411938, abs=1e-5)


# P(Y ≥ 4) with T ~ t(1) (Cauchy): q = (4 − 3)/√5 = 0.447214;
#   P(T ≥ q) = 0.5 − atan(q)/π = 0.5 − 0.420534/3.141593 = 0.366140
def test_probability_of_meeting_target_hand_worked() -> None:
    p_hi = probability_of_meeting_target([1, 2, 3], [1, 3, 2], 4, 4, "high_is_good")
    assert p_hi == pytest.approx(0.366140, abs=1e-6)
    p_lo = probability_of_meeting_target([1, 2, 3], [1, 3, 2], 4, 4, "low_is_good")
    assert p_lo == pytest.approx(1 - 0.366140, abs=1e-6)


def test_uses_only_recent_years() -> None:
    # 2010-2011 are far off; the last 5 years lie on y = x − 2010 exactly -> 2025 gives 15.
    years = list(range(2010, 2021))
    values = [500, -500] + [y - 2010 for y in years[2:]]
    proj = projection(years, values, 2025)
    assert proj.predicted == pytest.approx(15.0)
    assert proj.lower == pytest.approx(15.0) and proj.upper == pytest.approx(15.0)


def test_loglinear_projection() -> None:
    # 10 % growth a year exactly: 100, 110, 121, 133.1 -> year 5 gives 146.41.
    proj = projection([1, 2, 3, 4], [100, 110, 121, 133.1], 5, method="loglinear")
    assert proj.predicted == pytest.approx(146.41)
    assert probability_of_meeting_target(
        [1, 2, 3, 4], [100, 110, 121, 133.1], 5, 140, "high_is_good", method="loglinear"
    ) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="'values'"):
        projection([1, 2, 3], [1, 0, 2], 5, method="loglinear")


def test_too_few_points_is_nan() -> None:
    assert math.isnan(projection([1, 2], [1, 2], 3).predicted)
    assert math.isnan(probability_of_meeting_target([1, 2], [1, 2], 3, 5, "high_is_good"))


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.95, "on track"),
        (0.8, "on track"),
        (0.79, "at risk"),
        (0.5, "at risk"),
        (0.49, "off track"),
        (float("nan"), "cannot be calculated"),
    ],
)
def test_target_status(p, expected) -> None:
    assert target_status(p) == expected
