"""marts.trend's joins and groupings on hand-made frames: which rows form a series, in which
order the series come out, what a series without a verdict or a CPOP row gets, and that a
column keeps its dtype (the steps are whole-array numpy, not pandas groupby/merge)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl.marts.trend import assemble, series_ends, with_cpop
from etl.stats.cpop import cpop_improvement_frame
from etl.stats.trend_fast import trend_vectorised


def _rows(code: object, years: list[float], area_type: str = "council") -> list[dict]:
    return [{"indicator_id": "pct", "area_type": area_type, "area_code": code, "period_label": str(y),
             "period_year": y, "numerator": 100.0 + i, "denominator": 1000.0, "value": 10.0 + i, "ci_lower": 9.0 + i,
             "ci_upper": 11.0 + i, "polarity": "high_is_good", "measure_type": "percentage", "baseline_year": 2010,
             "value_type": "raw"} for i, y in enumerate(years)]


def test_trend_series_sorted_by_key_last_five_points_missing_key_left_out() -> None:
    rows = _rows("b", [2015, 2010, np.nan, 2014, 2011, 2013, 2012]) + _rows("a", [2012, 2010, 2011])
    rows += _rows(None, [2010, 2011, 2012])  # no area: in no series
    frame = pd.DataFrame(rows).astype({"area_code": object})
    out = trend_vectorised(frame, ["area_code"])
    assert out["area_code"].tolist() == ["a", "b"]
    assert out["area_code"].dtype == object  # as given
    # b's last five by year, the row without a year last: 2012-2015 and that row
    assert out["n_points"].tolist() == [3, 5]
    assert trend_vectorised(frame.astype({"area_code": "str"}), ["area_code"])["area_code"].dtype == "str"


def test_cpop_series_in_order_of_first_appearance_missing_code_one_series() -> None:
    rows = _rows("B", [2010, 2011]) + _rows(None, [2010]) + _rows("A", [2010, 2012]) + _rows(np.nan, [2011])
    out = cpop_improvement_frame(pd.DataFrame(rows).astype({"area_code": object}))
    assert out["area_code"].tolist()[0::2] == ["B", "A"] and pd.isna(out["area_code"].iloc[1])
    assert len(out) == 3 and out["area_code"].dtype == object
    assert out["cpop_latest_period"].tolist() == ["2011", "2011", "2012"]


def test_series_without_a_verdict_or_cpop_row() -> None:
    frame = pd.DataFrame(_rows("A", [2010, 2011, 2012]) + _rows("B", [2010, 2011]))
    ends = series_ends(frame)
    verdicts = trend_vectorised(frame[frame["area_code"] == "A"], ["indicator_id", "area_type", "area_code"])
    out = assemble(ends, verdicts, ["indicator_id", "area_type", "area_code"])
    assert out["trend_points"].tolist() == [3, 0] and out["trend_points"].dtype == "int64"
    assert pd.isna(out["trend_verdict"].iloc[1])
    full = with_cpop(out, frame[frame["area_code"] == "B"])
    assert np.isnan(full["cpop_improvement_rate"].iloc[0])
    assert full["cpop_improvement_rate"].iloc[1] == pytest.approx(10.0)  # 10 → 11
    with pytest.raises(ValueError, match="'verdicts' repeats a key"):
        assemble(ends, pd.concat([verdicts, verdicts]), ["indicator_id", "area_type", "area_code"])


def test_series_ends_take_a_missing_key_as_one_series_in_order_of_first_appearance() -> None:
    rows = _rows("B", [2011, 2010]) + _rows(None, [2010]) + _rows("A", [2012, 2010]) + _rows(np.nan, [2011])
    ends = series_ends(pd.DataFrame(rows).astype({"area_code": object}))  # raised TypeError (str < float)
    assert ends["area_code"].tolist()[0::2] == ["B", "A"] and pd.isna(ends["area_code"].iloc[1])
    assert ends["baseline_period_label"].tolist() == ["2010", "2010", "2010"]
    assert ends["latest_period_label"].tolist() == ["2011", "2011", "2012"]
    assert ends["latest_value"].tolist() == [10.0, 10.0, 10.0]
