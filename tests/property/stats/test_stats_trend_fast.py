"""The vectorised trend test agrees with the scalar reference implementation."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.stats.trend import trend_test
from etl.stats.trend_fast import trend_vectorised

series = st.lists(
    st.tuples(st.integers(0, 60), st.integers(60, 200), st.floats(1, 500), st.floats(0.5, 40)),
    min_size=0, max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(series, st.sampled_from(["percentage", "crude_rate", "median"]),
                          st.sampled_from(["high_is_good", "low_is_good"]), st.sampled_from([1, 3])),
                min_size=1, max_size=6))
def test_vectorised_equals_scalar(groups: list) -> None:  # noqa: ANN001
    rows = []
    for g, (points, measure, polarity, rolling) in enumerate(groups):
        for i, (r, n, value, half) in enumerate(points):
            rows.append({"g": g, "period_year": 2010 + i, "numerator": r, "denominator": n, "value": value,
                         "ci_lower": value - half, "ci_upper": value + half, "polarity": polarity,
                         "measure_type": measure, "ci_method": "none" if measure == "median" else "wilson",
                         "rolling_years": rolling})
    if not rows:
        return
    df = pd.DataFrame(rows)
    fast = trend_vectorised(df, ["g"]).set_index("g")
    for g, part in df.groupby("g"):
        ref = trend_test(part.period_year, polarity=part.polarity.iloc[0], measure_type=part.measure_type.iloc[0],
                         numerator=part.numerator, denominator=part.denominator, value=part.value,
                         lower=part.ci_lower, upper=part.ci_upper, ci_method=part.ci_method.iloc[0],
                         rolling_years=int(part.rolling_years.iloc[0]))
        assert fast.loc[g, "verdict"] == ref.verdict
        assert ref.n_points == 0 or fast.loc[g, "method"] == ref.method
        assert fast.loc[g, "n_points"] == ref.n_points
        if np.isfinite(ref.p_value):
            assert abs(fast.loc[g, "p_value"] - ref.p_value) < 1e-9
