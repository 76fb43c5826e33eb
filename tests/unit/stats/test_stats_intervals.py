"""Confidence intervals against published and hand-computed figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from etl.stats import (
    ESP2013_BANDS,
    ESP2013_WEIGHTS,
    byar_ci,
    dsr_dobson,
    dsr_grouped,
    poisson_exact_limits,
    wilson_ci,
    z_for_level,
)


def test_wilson_published_check() -> None:
    # DOMAIN.md / published check: 3,938,080 of 51,441,896 -> 7.64813 % to 7.66266 %.
    lower, upper = wilson_ci(3_938_080, 51_441_896)
    assert round(lower * 100, 5) == 7.64813
    assert round(upper * 100, 5) == 7.66266


def test_wilson_small_hand_worked() -> None:
    # x = 0, n = 10, z = 1.96: p = 0, lower = (0 + 3.8416 - 1.96*sqrt(3.8416)) / (2*13.8416)
    # = (3.8416 - 3.8416) / 27.6832 = 0; upper = 7.6832 / 27.6832 = 0.277540.
    lower, upper = wilson_ci(0, 10, z=1.96)
    assert lower == 0.0
    assert upper == pytest.approx(0.277540, abs=1e-6)


def test_wilson_vectorised_and_n_zero_is_nan() -> None:
    lower, upper = wilson_ci(np.array([0, 5, 0]), pd.Series([10, 10, 0]), z=1.96)
    # 5/10: (13.8416 ∓ 1.96·√13.8416) / 27.6832 = (13.8416 ∓ 7.292043) / 27.6832
    assert lower[1] == pytest.approx(0.236590, abs=2e-6)
    assert upper[1] == pytest.approx(0.763410, abs=2e-6)
    assert math.isnan(lower[2]) and math.isnan(upper[2])


def test_wilson_rejects_x_above_n() -> None:
    with pytest.raises(ValueError, match="'x'"):
        wilson_ci(11, 10)


def test_byar_published_check() -> None:
    # DOMAIN.md: O = 25, n = 10,000, k = 100,000 -> 161.74 to 369.07 (published with z = 1.96;
    # at z = Φ⁻¹(0.975), the default, the upper limit is 369.06)
    lower, upper = byar_ci(25, 10_000, 100_000, z=1.96)
    assert round(lower, 2) == 161.74
    assert round(upper, 2) == 369.07


def test_byar_uses_exact_poisson_below_ten() -> None:
    # Exact Poisson 95 % limits for 5 events (Garwood tables, α = 0.05 exactly, so
    # z = 1.959964 rather than the rounded 1.96): 1.6235 to 11.6683.
    lower, upper = byar_ci(5, 1000, 1000, z=z_for_level(0.95))
    assert lower == pytest.approx(1.6235, abs=1e-4)
    assert upper == pytest.approx(11.6683, abs=1e-4)


def test_poisson_exact_zero_events() -> None:
    # O = 0: lower 0; upper = chi2_0.975(2)/2 = -ln(0.025) = 3.688879.
    lower, upper = poisson_exact_limits(0, z=z_for_level(0.95))
    assert lower == 0.0
    assert upper == pytest.approx(-math.log(0.025), abs=1e-6)


def test_z_for_level() -> None:
    assert z_for_level(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_for_level(0.998) == pytest.approx(3.090232, abs=1e-6)
    with pytest.raises(ValueError, match="'level'"):
        z_for_level(95)


def test_esp2013_constant() -> None:
    assert len(ESP2013_WEIGHTS) == len(ESP2013_BANDS) == 19
    assert sum(ESP2013_WEIGHTS) == 100_000
    assert ESP2013_BANDS[0] == "0-4" and ESP2013_BANDS[-1] == "90+"
    assert ESP2013_WEIGHTS[0] == 5000 and ESP2013_WEIGHTS[-1] == 1000


# Hand-worked DSR, two bands, k = 100,000:
#   O = (2, 8), n = (1000, 2000), w = (6000, 4000), Σw = 10,000
#   DSR = (2/1000*6000 + 8/2000*4000) / 10000 = (12 + 16) / 10000 = 0.0028 -> 280.0
#   var = (2*6000²/1000² + 8*4000²/2000²) / 10000² = (72 + 32) / 1e8 = 1.04e-6
#   O = 10 (Byar): O_L = 10(1 - 1/90 - 1.96/(3√10))³ = 10 * 0.782287³ = 4.78736
#                  O_U = 11(1 - 1/99 + 1.96/(3√11))³ = 11 * 1.186886³ = 18.39162
#   √(var/O) = √1.04e-7 = 3.22490e-4
#   lower = 0.0028 + 3.22490e-4*(4.78736 - 10) = 0.00111898 -> 111.90
#   upper = 0.0028 + 3.22490e-4*(18.39162 - 10) = 0.00550622 -> 550.62
def test_dsr_hand_worked() -> None:
    dsr, lower, upper = dsr_dobson([2, 8], [1000, 2000], [6000, 4000], 100_000)
    assert dsr == pytest.approx(280.0, abs=1e-9)
    assert lower == pytest.approx(111.90, abs=0.01)
    assert upper == pytest.approx(550.62, abs=0.01)


# Small count (O = 3 < 10, exact Poisson: 0.618672 to 8.767273):
#   O = (1, 2), n = (1000, 2000), w = (6000, 4000): DSR = (6 + 4)/10000 = 0.001 -> 100
#   var = (36 + 8)/1e8 = 4.4e-7; √(var/3) = 3.829708e-4
#   lower = 0.001 - 3.829708e-4*2.381328 = 8.80e-5 -> 8.80
#   upper = 0.001 + 3.829708e-4*5.767273 = 3.20874e-3 -> 320.87
def test_dsr_small_count_uses_exact_poisson() -> None:
    # the formula (min_events=0); the published rule withholds a rate from 3 events (next test)
    dsr, lower, upper = dsr_dobson([1, 2], [1000, 2000], [6000, 4000], 100_000, min_events=0)
    assert dsr == pytest.approx(100.0)
    assert lower == pytest.approx(8.80, abs=0.01)
    assert upper == pytest.approx(320.87, abs=0.01)


def test_dsr_single_band_equals_crude_rate_limits() -> None:
    # With one band the DSR is the crude rate and Dobson reduces to Byar: 161.74 to 369.07.
    dsr, lower, upper = dsr_dobson([25], [10_000], [1], 100_000, z=1.96)
    assert dsr == pytest.approx(250.0)
    assert (round(lower, 2), round(upper, 2)) == (161.74, 369.07)


def test_no_standardised_rate_from_fewer_than_10_events() -> None:
    # issue 17: PHE and ScotPHO publish no DSR below 10 events; 9 events give nothing, 10 a rate
    nine = dsr_dobson([1, 8], [1000, 2000], [6000, 4000], 100_000)
    assert all(math.isnan(x) for x in nine)
    assert dsr_dobson([2, 8], [1000, 2000], [6000, 4000], 100_000).dsr == pytest.approx(280.0)
    assert all(math.isnan(x) for x in dsr_dobson([0, 0], [1000, 0], [6000, 4000], 100_000))


def test_dsr_zero_events_and_empty_band() -> None:
    dsr, lower, upper = dsr_dobson([0, 0], [1000, 0], [6000, 4000], 100_000, min_events=0)
    assert (dsr, lower) == (0.0, 0.0) and math.isnan(upper)
    with pytest.raises(ValueError, match="population"):
        dsr_dobson([1, 1], [1000, 0], [6000, 4000], 100_000, min_events=0)


def test_dsr_grouped_matches_hand_worked_groups() -> None:
    df = pd.DataFrame(
        {
            "area_code": ["B", "A", "B", "A", "C", "C"],
            "band": ["old", "young", "young", "old", "young", "old"],
            "observed": [2, 8, 1, 2, np.nan, 3],
            "population": [2000, 2000, 1000, 1000, 1000, 1000],
            "weight": [4000, 4000, 6000, 6000, 6000, 4000],
        }
    )
    out = dsr_grouped(df, ["area_code"], min_events=0).set_index("area_code")
    # A is the two-band hand-worked example above (O = 2, 8 in the 6000/4000 bands).
    assert out.loc["A", "numerator"] == 10 and out.loc["A", "denominator"] == 3000
    assert out.loc["A", "dsr"] == pytest.approx(280.0)
    assert out.loc["A", "ci_lower"] == pytest.approx(111.90, abs=0.01)
    assert out.loc["A", "ci_upper"] == pytest.approx(550.62, abs=0.01)
    # B is the small-count example: O = (1, 2) in the (6000, 4000) bands.
    assert out.loc["B", "dsr"] == pytest.approx(100.0)
    assert out.loc["B", "ci_upper"] == pytest.approx(320.87, abs=0.01)
    # C has a missing (suppressed) count: everything nan, never a zero.
    assert out.loc["C"].isna().all()
    # with the published rule B's 3 events give counts but no rate; A's 10 give one
    ruled = dsr_grouped(df, ["area_code"]).set_index("area_code")
    assert ruled.loc["B", "numerator"] == 3 and ruled.loc["B", ["dsr", "ci_lower", "ci_upper"]].isna().all()
    assert ruled.loc["A", "dsr"] == pytest.approx(280.0)
