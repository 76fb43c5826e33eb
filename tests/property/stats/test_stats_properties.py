"""Invariants of the statistical methods (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.stats import duncan_index, rii, sii, trend_verdict, wilson_ci

pops = st.lists(st.integers(1, 1_000_000), min_size=3, max_size=10)
rate = st.floats(0.1, 1e5, allow_nan=False)


@st.composite
def groups(draw):
    n = draw(pops)
    r = draw(st.lists(rate, min_size=len(n), max_size=len(n)))
    return np.array(r), np.array(n, dtype=float)


@given(pops, rate, st.sampled_from(["high_is_good", "low_is_good"]))
def test_flat_gradient_has_zero_sii(n, c, polarity) -> None:
    res = sii([c] * len(n), n, polarity=polarity)
    assert res.sii == pytest.approx(0.0, abs=1e-9 * c)


@given(groups())
def test_reversing_the_gradient_flips_the_slope(g) -> None:
    r, n = g
    forward = sii(r, n).slope
    backward = sii(r[::-1], n[::-1]).slope  # least deprived group now listed first
    assert backward == pytest.approx(-forward, rel=1e-9, abs=1e-9 * r.max())


@given(groups(), st.floats(0.01, 1000))
def test_scaling_rates_scales_sii_not_rii(g, k) -> None:
    r, n = g
    base, scaled = sii(r, n), sii(r * k, n)
    assert scaled.sii == pytest.approx(k * base.sii, rel=1e-9, abs=1e-9 * k * r.max())
    assert rii(scaled.sii, scaled.overall_rate) == pytest.approx(
        rii(base.sii, base.overall_rate), rel=1e-7, abs=1e-9
    )


@st.composite
def series(draw):
    k = draw(st.integers(3, 7))
    years = list(range(2010, 2010 + k))
    den = draw(st.lists(st.integers(50, 5000), min_size=k, max_size=k))
    num = [draw(st.integers(0, d)) for d in den]
    perm = draw(st.permutations(range(k)))
    return years, num, den, list(perm)


@settings(max_examples=200)
@given(series(), st.sampled_from(["high_is_good", "low_is_good"]))
def test_trend_verdict_ignores_row_order(s, polarity) -> None:
    years, num, den, perm = s
    kw = dict(polarity=polarity, measure_type="percentage")
    a = trend_verdict(years, numerator=num, denominator=den, **kw)
    b = trend_verdict(
        [years[i] for i in perm],
        numerator=[num[i] for i in perm],
        denominator=[den[i] for i in perm],
        **kw,
    )
    assert a == b
    v = np.array(num, float) / np.array(den) * 100
    c = trend_verdict(
        years, measure_type="rate", polarity=polarity, value=v, lower=v - 1, upper=v + 1
    )
    d = trend_verdict(
        [years[i] for i in perm], measure_type="rate", polarity=polarity,
        value=v[perm], lower=v[perm] - 1, upper=v[perm] + 1,
    )  # fmt: skip
    assert c == d


@given(st.integers(1, 10**9).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_brackets_p_within_unit_interval(xn) -> None:
    x, n = xn
    lower, upper = wilson_ci(x, n)
    assert 0.0 <= lower <= x / n <= upper <= 1.0


@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 500), st.integers(1, 500)),
        min_size=2,
        max_size=15,
    ),
)
def test_duncan_polarity_flip_negates(rows) -> None:
    y, a, b = (np.array(c, float) for c in zip(*rows, strict=True))
    if a.sum() == 0:
        a[0] = 1
    hi = duncan_index(y, a, b, "high_is_good")
    lo = duncan_index(y, a, b, "low_is_good")
    assert lo == pytest.approx(-hi, abs=1e-12)
    assert -1.0 - 1e-12 <= hi <= 1.0 + 1e-12
