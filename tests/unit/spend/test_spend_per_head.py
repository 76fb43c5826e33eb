"""Spend per head against need: figures worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from etl.spend.need import (
    HIGH_NEED_HIGH_SPEND,
    HIGH_NEED_LOW_SPEND,
    LOW_NEED_HIGH_SPEND,
    LOW_NEED_LOW_SPEND,
    NOT_PLACED,
    council_spend_per_head,
    high_need_low_spend,
    is_higher_need,
    low_need_high_spend,
    quadrant,
    spend_need,
    spend_per_head,
)

# Four localities and one without population. Spend per head:
#   A: (3,000 + 1,000) / 1,000 = 4.00     B: 2,000 / 2,000 = 1.00
#   C: 9,000 / 1,500 = 6.00               D: 1,000 / 500 = 2.00        E: no population
# Council: (4,000 + 2,000 + 9,000 + 1,000) / (1,000 + 2,000 + 1,500 + 500) = 16,000 / 5,000 = 3.20
SPEND = pd.DataFrame({"area_code": ["A", "A", "B", "C", "D", "E"],
                      "area_name": ["Alpha", "Alpha", "Bravo", "Charlie", "Delta", "Echo"],
                      "amount": [3000.0, 1000.0, 2000.0, 9000.0, 1000.0, 500.0]})
POPULATION = pd.DataFrame({"area_code": ["A", "B", "C", "D"], "population": [1000, 2000, 1500, 500]})
# Need: % income deprived (low is good), council value 12.0:
#   A 20 (higher need), B 15 (higher need), C 8 (lower), D 12 (= council: lower need), E withheld
NEED = pd.DataFrame({"area_code": ["A", "B", "C", "D", "E"], "need_value": [20.0, 15.0, 8.0, 12.0, math.nan],
                     "need_period": ["2023"] * 5})


def test_spend_per_head_sums_rows_then_divides() -> None:
    frame = spend_per_head(SPEND, POPULATION).set_index("area_code")
    assert frame.loc["A", "amount"] == 4000.0
    assert frame.loc["A", "spend_per_head"] == pytest.approx(4.0)
    assert frame.loc["C", "spend_per_head"] == pytest.approx(6.0)
    assert math.isnan(frame.loc["E", "spend_per_head"])


def test_council_spend_per_head_is_total_over_total_not_mean_of_rates() -> None:
    frame = spend_per_head(SPEND, POPULATION)
    assert council_spend_per_head(frame) == pytest.approx(3.2)  # the mean of the four would be 3.25


def test_zero_population_gives_no_per_head() -> None:
    frame = spend_per_head(SPEND.iloc[:1], pd.DataFrame({"area_code": ["A"], "population": [0]}))
    assert math.isnan(frame.spend_per_head.iloc[0])
    assert council_spend_per_head(frame) is None


def test_higher_need_follows_polarity() -> None:
    assert is_higher_need(20, 12, "low_is_good")
    assert not is_higher_need(12, 12, "low_is_good")
    assert is_higher_need(60, 70, "high_is_good")
    assert not is_higher_need(80, 70, "high_is_good")
    with pytest.raises(ValueError, match="polarity"):
        is_higher_need(1, 2, "sideways")


def test_quadrant_words() -> None:
    assert quadrant(20, 1.0, 12, 3.2, "low_is_good") == HIGH_NEED_LOW_SPEND
    assert quadrant(20, 4.0, 12, 3.2, "low_is_good") == HIGH_NEED_HIGH_SPEND
    assert quadrant(8, 6.0, 12, 3.2, "low_is_good") == LOW_NEED_HIGH_SPEND
    assert quadrant(12, 2.0, 12, 3.2, "low_is_good") == LOW_NEED_LOW_SPEND
    assert quadrant(12, 3.2, 12, 3.2, "low_is_good") == LOW_NEED_LOW_SPEND  # on both lines: neither higher
    assert quadrant(None, 2.0, 12, 3.2, "low_is_good") == NOT_PLACED
    assert quadrant(12, math.nan, 12, 3.2, "low_is_good") == NOT_PLACED


def test_spend_need_view_quarters_ranks_and_lists() -> None:
    view = spend_need(SPEND, POPULATION, NEED, 12.0, "low_is_good")
    assert view.council_spend_per_head == pytest.approx(3.2)
    areas = view.areas.set_index("area_code")
    assert areas.quadrant.to_dict() == {"A": HIGH_NEED_HIGH_SPEND, "B": HIGH_NEED_LOW_SPEND,
                                        "C": LOW_NEED_HIGH_SPEND, "D": LOW_NEED_LOW_SPEND, "E": NOT_PLACED}
    assert list(view.areas.area_code) == ["C", "A", "D", "B", "E"]  # most spend per head first
    assert [areas.loc[c, "spend_rank"] for c in "CADB"] == [1, 2, 3, 4]
    assert pd.isna(areas.loc["E", "spend_rank"])
    assert areas.loc["A", "need_rank"] == 1 and areas.loc["C", "need_rank"] == 4  # 20 highest need, 8 lowest
    assert list(high_need_low_spend(view).area_code) == ["B"]
    assert list(low_need_high_spend(view).area_code) == ["C"]


def test_high_is_good_measure_reverses_need() -> None:
    # employment rate: council 70; A 60 is higher need, C 80 lower need
    need = pd.DataFrame({"area_code": ["A", "C"], "need_value": [60.0, 80.0], "need_period": ["2023", "2023"]})
    view = spend_need(SPEND[SPEND.area_code.isin(["A", "C"])], POPULATION, need, 70.0, "high_is_good")
    # council per head: (4,000 + 9,000) / (1,000 + 1,500) = 5.20; A 4.00 lower, C 6.00 higher
    assert view.council_spend_per_head == pytest.approx(5.2)
    assert view.areas.set_index("area_code").quadrant.to_dict() == {"A": HIGH_NEED_LOW_SPEND,
                                                                     "C": LOW_NEED_HIGH_SPEND}
    assert view.areas.set_index("area_code").need_rank.to_dict() == {"A": 1, "C": 2}
