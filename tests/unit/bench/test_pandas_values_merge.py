"""The plain-pandas yardstick merges published and computed figures by the warehouse's own rules
(``etl/sql/marts/indicator_values.sql``). When it did not, ``make bench`` stopped at its first step
("the pandas pipeline and the warehouse disagree") and never printed the dashboard figures: real
Scotland's blank child-poverty data zones whose count the publisher withheld (3,453 rows) and 21
council figures whose counts agree to 0.05 % but not to 4 significant figures. Hand-made rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.pandas_values import merge_published

AT_SOURCE = "withheld at source by the publisher"


def _published(rows: list[tuple[str, float | None, bool]]) -> pd.DataFrame:
    return pd.DataFrame([
        {"indicator_id": "i", "area_type": "council", "area_code": code, "period_label": "2017",
         "period_year": 2017, "value": value, "is_withheld": withheld, "value_type": "raw",
         "ci_lower": np.nan, "ci_upper": np.nan, "release": "2024", "is_revised": False}
        for code, value, withheld in rows])


def _computed(rows: list[tuple[str, float | None, float | None, bool, str | None]]) -> pd.DataFrame:
    return pd.DataFrame([
        {"indicator_id": "i", "area_type": "council", "area_code": code, "period_label": "2017",
         "period_year": 2017, "numerator": numerator, "denominator": 1000.0, "value": value,
         "ci_lower": None if value is None else value - 1, "ci_upper": None if value is None else value + 1,
         "is_suppressed": suppressed, "suppression_reason": reason, "is_revised": False, "value_type": "raw",
         "value_source": "computed", "is_estimated": False, "withheld_members": int(suppressed), "members": 1,
         "source_release": "2024", "is_low_reliability": False, "note": None}
        for code, numerator, value, suppressed, reason in rows])


def _row(merged: pd.DataFrame, code: str) -> pd.Series:
    return merged.set_index("area_code").loc[code]


def test_counts_go_with_a_published_figure_only_when_they_agree_to_four_significant_figures() -> None:
    published = _published([("A", 17.7, False), ("B", 17.7, False), ("C", 0.0, False)])
    computed = _computed([("A", 177.06, 17.706, False, None),  # 17.71 to 4 s.f.: not the 17.70 published
                          ("B", 177.04, 17.704, False, None),  # 17.70 to 4 s.f.
                          ("C", 0.0, 0.0, False, None)])
    merged = merge_published(published, computed)
    assert np.isnan(_row(merged, "A")["numerator"]) and np.isnan(_row(merged, "A")["ci_lower"])
    assert _row(merged, "A")["value"] == 17.7
    assert _row(merged, "B")["numerator"] == 177.04 and _row(merged, "B")["ci_lower"] == 17.704 - 1
    assert _row(merged, "C")["numerator"] == 0.0


def test_a_blank_published_figure_whose_count_is_withheld_is_withheld_too() -> None:
    published = _published([("A", None, False), ("B", None, False), ("C", None, True), ("D", 5.0, False)])
    computed = _computed([("A", None, None, True, AT_SOURCE),  # the publisher's own count withheld
                          ("B", None, None, False, None),  # simply no figure
                          ("C", None, None, True, AT_SOURCE),
                          ("D", 50.0, 5.0, False, None)])
    merged = merge_published(published, computed)
    assert bool(_row(merged, "A")["is_suppressed"]) and _row(merged, "A")["suppression_reason"] == AT_SOURCE
    assert not bool(_row(merged, "B")["is_suppressed"]) and pd.isna(_row(merged, "B")["suppression_reason"])
    assert bool(_row(merged, "C")["is_suppressed"]) and _row(merged, "C")["suppression_reason"] == AT_SOURCE
    assert not bool(_row(merged, "D")["is_suppressed"]) and _row(merged, "D")["value_source"] == "published"
