"""Better / similar / worse against a comparator."""

from __future__ import annotations

import numpy as np
import pytest

from etl.stats import compare_to_value


@pytest.mark.parametrize(
    ("lower", "upper", "comparator", "polarity", "expected"),
    [
        (12.0, 14.0, 10.0, "high_is_good", "better"),
        (12.0, 14.0, 10.0, "low_is_good", "worse"),
        (6.0, 8.0, 10.0, "high_is_good", "worse"),
        (6.0, 8.0, 10.0, "low_is_good", "better"),
        (9.0, 11.0, 10.0, "low_is_good", "similar"),
        (10.0, 11.0, 10.0, "high_is_good", "similar"),  # touching the comparator
        (np.nan, 11.0, 10.0, "high_is_good", "not comparable"),
        (9.0, 11.0, np.nan, "low_is_good", "not comparable"),
    ],
)
def test_compare_to_value(lower, upper, comparator, polarity, expected) -> None:
    assert compare_to_value(lower, upper, comparator, polarity) == expected


def test_compare_vectorised_with_polarity_column() -> None:
    out = compare_to_value(
        [12, 6, 9, np.nan],
        [14, 8, 11, 1],
        10,
        ["low_is_good", "low_is_good", "high_is_good", "high_is_good"],
    )
    assert list(out) == ["worse", "better", "similar", "not comparable"]


def test_compare_rejects_bad_polarity() -> None:
    with pytest.raises(ValueError, match="'polarity'"):
        compare_to_value(1, 2, 3, "high")
