"""CPOP's improvement rate and 2x2 rating, against hand-worked numbers and CPOP's own figures.

The rule (docs/methods.md, "CPOP's improvement rate and 2x2 rating"): drop projected rows;
baseline = first remaining value, latest = last, imputed or not; rate = (latest/baseline − 1)
× 100 with its raw sign. Rating: level better/worse than Scotland × rate faster/slower, with
polarity; green both good, red both bad, yellow mixed, black equal levels, none missing.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.stats.cpop import (
    BLACK,
    CPOP_COLUMNS,
    GREEN,
    NO_RATING,
    RED,
    YELLOW,
    cpop_improvement_frame,
    cpop_improvement_rate,
    cpop_rating,
    cpop_rating_words,
    cpop_series_ends,
)

HIGH, LOW = "high_is_good", "low_is_good"

# Fife, child poverty, from CPOP's CPPcleandata.csv (Sep-2023): 2010/11-2013/14 imputed,
# 2014/15-2021/22 raw, 2022/23-2024/25 projected (only the ends matter; a few middle years kept).
FIFE_CP = [
    ("2010/11", "Imputed", 12.735663343646404),
    ("2013/14", "Imputed", 14.668519421988258),
    ("2014/15", "Raw data", 15.374593467966996),
    ("2020/21", "Raw data", 21.461528868936277),
    ("2021/22", "Raw data", 17.49528894472362),
    ("2022/23", "Projected", 23.40471038763347),
    ("2024/25", "Projected", 26.131370105471813),
]


def _rate(points: list[tuple[object, str, float | None]]) -> float | None:
    periods, types, values = zip(*points, strict=True) if points else ((), (), ())
    return cpop_improvement_rate(list(values), list(types), list(periods))


# ---------------------------------------------------------------- improvement rate


def test_fife_child_poverty_reproduces_cpop_published_rate() -> None:
    # 17.495289 / 12.735663 = 1.3737242 -> +37.37242 %; CPOP's Imp_rate_CPP.csv says 37.37242.
    # Baseline is the imputed 2010/11 value; the projected 2022/23+ values are ignored; the
    # sign is the raw rise although a rise in child poverty is a worsening.
    assert _rate(FIFE_CP) == pytest.approx(37.37242, abs=1e-5)
    ends = cpop_series_ends(*[list(x) for x in zip(*[(v, t, p) for p, t, v in FIFE_CP], strict=True)])
    assert ends is not None
    assert (ends.baseline_period, ends.baseline_value_type) == ("2010/11", "imputed")
    assert (ends.latest_period, ends.latest_value_type) == ("2021/22", "raw")


def test_rate_hand_worked_first_value_imputed_projected_ignored() -> None:
    # non-projected: 50 (imputed), 52, 60 -> (60/50 - 1) x 100 = 20; the projected 66 is dropped.
    pts = [(2010, "imputed", 50.0), (2011, "raw", 52.0), (2012, "raw", 60.0), (2013, "projected", 66.0)]
    assert _rate(pts) == pytest.approx(20.0)


def test_rate_low_is_good_keeps_raw_sign() -> None:
    # A fall from 20 to 15 is (15/20 - 1) x 100 = -25 whatever the polarity (the function has none).
    assert _rate([(2015, "raw", 20.0), (2020, "raw", 15.0)]) == pytest.approx(-25.0)


def test_rate_imputed_after_last_raw_is_the_latest() -> None:
    # CPOP's attainment and fuel poverty end in imputed years; CPOP's latest is that imputed value:
    # (5.2/5.0 - 1) x 100 = 4.0, not (5.1/5.0 - 1) x 100 = 2.0.
    pts = [(2010, "imputed", 5.0), (2011, "raw", 5.1), (2012, "imputed", 5.2)]
    assert _rate(pts) == pytest.approx(4.0)


def test_rate_all_imputed_is_still_computed() -> None:
    # CPOP does not ask for a raw value at all: 10 -> 12 imputed gives 20 %.
    assert _rate([(2010, "imputed", 10.0), (2011, "imputed", 12.0)]) == pytest.approx(20.0)


def test_rate_missing_baseline_is_none_not_the_next_value() -> None:
    # Inverclyde P1 BMI: 2010/11 is blank; CPOP publishes no rate rather than start at 2011/12.
    assert _rate([(2010, "raw", None), (2011, "raw", 80.0), (2021, "raw", 77.0)]) is None


def test_rate_missing_latest_is_none_not_the_previous_value() -> None:
    # Orkney well-being: 2021/22 is blank; no rate, although 2020/21 has a value.
    assert _rate([(2010, "imputed", 7.8), (2020, "raw", 7.9), (2021, "raw", float("nan"))]) is None


@pytest.mark.parametrize("points", [
    [],
    [(2022, "projected", 5.0), (2023, "projected", 6.0)],
    [(2010, "raw", 0.0), (2011, "raw", 3.0)],
])  # fmt: skip
def test_rate_none_when_no_points_only_projections_or_zero_baseline(points: list) -> None:
    assert _rate(points) is None


def test_rate_one_point_is_zero() -> None:
    # first = last: (x/x - 1) x 100 = 0, as CPOP's formula gives.
    assert _rate([(2010, "raw", 7.0), (2011, "projected", 9.0)]) == 0.0


def test_rate_row_order_does_not_matter() -> None:
    pts = [(2012, "raw", 60.0), (2013, "projected", 1.0), (2010, "imputed", 50.0), (2011, "raw", 52.0)]
    assert _rate(pts) == pytest.approx(20.0)


@pytest.mark.parametrize(("values", "types", "periods", "word"), [
    ([1.0, 2.0], ["raw", "raw"], [2010, 2010], "periods"),
    ([1.0, 2.0], ["raw", "estimated"], [2010, 2011], "value_types"),
    ([1.0, 2.0], ["raw"], [2010, 2011], "same length"),
    (["a", 2.0], ["raw", "raw"], [2010, 2011], "values"),
])  # fmt: skip
def test_rate_rejects_bad_input_naming_the_argument(values: list, types: list, periods: list, word: str) -> None:
    with pytest.raises(ValueError, match=word):
        cpop_improvement_rate(values, types, periods)


# ---------------------------------------------------------------- 2x2 rating

# Fife against Scotland, latest values and CPOP improvement rates from Imp_rate_CPP.csv.
@pytest.mark.parametrize(("area", "area_rate", "scot", "scot_rate", "polarity", "colour", "words"), [
    # child poverty: 17.50 > 16.05 is worse (low is good); 37.37 < 44.20 rose less = faster
    (17.495289, 37.372420, 16.050298, 44.196843, LOW, YELLOW, "Worse than Scotland but improving faster"),
    # P1 healthy BMI: 84.07 > 81.37 better; 0.13 > -4.07 faster
    (84.070315, 0.129338, 81.367694, -4.066641, HIGH, GREEN, "Better than Scotland and improving faster"),
    # employment rate: 70.8 < 73.7 worse; -1.85 < 2.55 slower
    (70.8, -1.848429, 73.7, 2.551020, HIGH, RED, "Worse than Scotland and improving more slowly"),
    # fuel poverty: 22.02 < 24.03 better; -41.20 < -9.01 fell more = faster
    (22.018535, -41.198281, 24.027040, -9.006894, LOW, GREEN, "Better than Scotland and improving faster"),
    # fragility: 110.74 > 108.17 worse; 10.74 > 8.17 rose more = slower
    (110.735962, 10.735962, 108.174379, 8.174379, LOW, RED, "Worse than Scotland and improving more slowly"),
    # dwelling fires: 62.98 < 84.53 better; -24.13 > -29.32 fell less = slower
    (62.978678, -24.130570, 84.527090, -29.318536, LOW, YELLOW, "Better than Scotland but improving more slowly"),
    # median earnings: 492.03 < 506.77 worse; 29.98 > 29.67 faster
    (492.033333, 29.984149, 506.766667, 29.674173, HIGH, YELLOW, "Worse than Scotland but improving faster"),
])  # fmt: skip
def test_rating_fife_against_scotland(area: float, area_rate: float, scot: float, scot_rate: float,
                                      polarity: str, colour: str, words: str) -> None:
    assert cpop_rating(area, area_rate, scot, scot_rate, polarity) == colour
    assert cpop_rating_words(area, area_rate, scot, scot_rate, polarity) == words


def test_rating_equal_levels_black_even_without_rates() -> None:
    # Stirling's employment rate equals Scotland's (73.7): CPOP asks the level first -> black.
    assert cpop_rating(73.7, 1.0, 73.7, 2.0, HIGH) == BLACK
    assert cpop_rating(73.7, None, 73.7, 2.0, HIGH) == BLACK
    assert cpop_rating_words(73.7, None, 73.7, 2.0, HIGH) == "Same level as Scotland"


def test_rating_equal_levels_despite_binary_noise() -> None:
    # Inverclyde's well-being 2021/22 in CPOP's CPP workbook is 7.3500000000000005, Scotland's
    # 7.35; CPOP's app reads its CSV, which prints both as 7.35, and draws black. So do we.
    assert cpop_rating(7.3500000000000005, 1.0, 7.35, 2.0, HIGH) == BLACK
    assert cpop_rating(10.0, 5.0 + 1e-15, 8.0, 5.0, HIGH) == YELLOW  # the same rate, to 15 digits
    assert cpop_rating(7.3500001, 1.0, 7.35, 2.0, HIGH) == YELLOW  # a real difference stays one


def test_rating_equal_rates_yellow() -> None:
    assert cpop_rating(10.0, 5.0, 8.0, 5.0, HIGH) == YELLOW
    assert cpop_rating_words(10.0, 5.0, 8.0, 5.0, HIGH) == "Better than Scotland, improving at the same rate"


def test_rating_missing_inputs_give_no_dot() -> None:
    assert cpop_rating(None, 1.0, 5.0, 2.0, HIGH) == NO_RATING  # Orkney well-being: latest blank
    assert cpop_rating(77.0, None, 79.0, 2.0, HIGH) == NO_RATING  # Inverclyde P1 BMI: no rate
    assert cpop_rating(5.0, 1.0, float("nan"), 2.0, LOW) == NO_RATING
    assert cpop_rating_words(77.0, None, 79.0, 2.0, HIGH, comparator="Fife").startswith("No rating")


def test_rating_vectorised_and_comparator_name() -> None:
    out = cpop_rating([2.0, 1.0], [3.0, 3.0], [1.5, 1.5], [2.0, 2.0], [HIGH, LOW])
    # first: high is good, 2.0 > 1.5 better, 3 > 2 faster -> green;
    # second: low is good, 1.0 < 1.5 better, but 3 > 2 rose more = slower -> yellow.
    assert list(out) == [GREEN, YELLOW]
    assert cpop_rating_words(2.0, 3.0, 1.5, 2.0, HIGH, comparator="Fife") == "Better than Fife and improving faster"


def test_rating_rejects_bad_polarity() -> None:
    with pytest.raises(ValueError, match="polarity"):
        cpop_rating(1.0, 1.0, 2.0, 2.0, "high")


# ---------------------------------------------------------------- frame version


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator_id", "area_type", "area_code", "period_label", "period_year",
                                       "value", "value_type", "polarity"])


def test_frame_hand_worked() -> None:
    # cp (low is good). Scotland: 20 (imputed) -> 24, rate (24/20 - 1) x 100 = 20.
    #   A: 10 (imputed) -> 11.5, rate 15; 11.5 < 24 better; 15 < 20 faster -> green.
    #   B: 30 -> 36, rate 20; 36 > 24 worse; equal rate -> yellow.
    #   C: 0 -> 5, zero baseline: no rate; levels differ -> no dot.
    # emp (high is good) has no Scotland series: rate (77/70 - 1) x 100 = 10, no dot.
    rows = [
        ("cp", "council", "A", "2014/15", 2014, 10.0, "imputed", LOW),
        ("cp", "council", "A", "2016/17", 2016, 11.5, "raw", LOW),
        ("cp", "council", "A", "2015/16", 2015, 11.0, "raw", LOW),
        ("cp", "council", "A", "2017/18", 2017, 12.0, "projected", LOW),
        ("cp", "scotland", "S92000003", "2014/15", 2014, 20.0, "imputed", LOW),
        ("cp", "scotland", "S92000003", "2015/16", 2015, 22.0, "raw", LOW),
        ("cp", "scotland", "S92000003", "2016/17", 2016, 24.0, "raw", LOW),
        ("cp", "scotland", "S92000003", "2017/18", 2017, 25.0, "projected", LOW),
        ("cp", "council", "B", "2014/15", 2014, 30.0, "raw", LOW),
        ("cp", "council", "B", "2016/17", 2016, 36.0, "raw", LOW),
        ("cp", "council", "C", "2014/15", 2014, 0.0, "raw", LOW),
        ("cp", "council", "C", "2016/17", 2016, 5.0, "raw", LOW),
        ("emp", "council", "A", "2014", 2014, 70.0, "raw", HIGH),
        ("emp", "council", "A", "2016", 2016, 77.0, "raw", HIGH),
    ]
    out = cpop_improvement_frame(_frame(rows))
    assert list(out.columns) == CPOP_COLUMNS
    assert list(zip(out.indicator_id, out.area_code, strict=True)) == [
        ("cp", "A"), ("cp", "S92000003"), ("cp", "B"), ("cp", "C"), ("emp", "A")]
    a, s, b, c, e = (out.iloc[i] for i in range(5))
    assert (a.cpop_baseline_period, a.cpop_baseline_value_type, a.cpop_baseline_value) == ("2014/15", "imputed", 10.0)
    assert (a.cpop_latest_period, a.cpop_latest_value_type, a.cpop_latest_value) == ("2016/17", "raw", 11.5)
    assert a.cpop_improvement_rate == pytest.approx(15.0)
    assert s.cpop_improvement_rate == pytest.approx(20.0)
    assert (a.cpop_scotland_latest_value, a.cpop_scotland_improvement_rate) == (24.0, pytest.approx(20.0))
    assert (a.cpop_level_vs_scotland, a.cpop_pace_vs_scotland, a.cpop_rating) == ("better", "faster", GREEN)
    assert a.cpop_rating_words == "Better than Scotland and improving faster"
    assert (b.cpop_level_vs_scotland, b.cpop_pace_vs_scotland, b.cpop_rating) == ("worse", "same", YELLOW)
    assert b.cpop_rating_words == "Worse than Scotland, improving at the same rate"
    assert math.isnan(c.cpop_improvement_rate)
    assert (c.cpop_level_vs_scotland, c.cpop_rating) == ("better", NO_RATING)
    assert pd.isna(c.cpop_pace_vs_scotland)
    assert (s.cpop_rating, s.cpop_rating_words) == (NO_RATING, "Scotland: the comparator")
    assert e.cpop_improvement_rate == pytest.approx(10.0)
    assert math.isnan(e.cpop_scotland_latest_value)
    assert e.cpop_rating == NO_RATING


def test_frame_series_with_only_projections_has_a_row_without_rate() -> None:
    out = cpop_improvement_frame(_frame([("x", "council", "A", "2030", 2030, 1.0, "projected", HIGH)]))
    assert len(out) == 1 and math.isnan(out.cpop_improvement_rate.iloc[0])
    assert out.cpop_latest_period.isna().all() and out.cpop_rating.iloc[0] == NO_RATING


def test_frame_empty_and_bad_input() -> None:
    assert list(cpop_improvement_frame(_frame([])).columns) == CPOP_COLUMNS
    with pytest.raises(ValueError, match="value_type"):
        cpop_improvement_frame(_frame([("x", "council", "A", "2020", 2020, 1.0, "guess", HIGH)]))
    with pytest.raises(ValueError, match="repeats period"):
        cpop_improvement_frame(_frame([("x", "council", "A", "2020", 2020, 1.0, "raw", HIGH),
                                       ("x", "council", "A", "2020", 2020, 2.0, "imputed", HIGH)]))
    with pytest.raises(ValueError, match="more than one Scotland"):
        cpop_improvement_frame(_frame([("x", "scotland", "S1", "2020", 2020, 1.0, "raw", HIGH),
                                       ("x", "scotland", "S2", "2020", 2020, 2.0, "raw", HIGH)]))
    with pytest.raises(ValueError, match="lacks column"):
        cpop_improvement_frame(_frame([]).drop(columns="value_type").assign(v=[]))
    with pytest.raises(ValueError, match="polarity"):
        cpop_improvement_frame(_frame([("x", "council", "A", "2020", 2020, 1.0, "raw", "up")]))


# ---------------------------------------------------------------- properties

_points = st.lists(
    st.tuples(st.floats(0.5, 1e4, allow_nan=False),
              st.sampled_from(["raw", "imputed", "projected", "Raw data", "Imputed", "Projected"])),
    min_size=0, max_size=10)


@settings(max_examples=80, deadline=None)
@given(_points, st.randoms(use_true_random=False), st.floats(0.01, 100))
def test_property_rate_is_order_free_scale_free_and_matches_frame(points: list, rnd, k: float) -> None:  # noqa: ANN001
    periods = list(range(2000, 2000 + len(points)))
    values = [v for v, _ in points]
    types = [t for _, t in points]
    rate = cpop_improvement_rate(values, types, periods)
    kept = [v for v, t in points if t.lower() != "projected"]
    if not kept:
        assert rate is None
        return
    assert rate == pytest.approx((kept[-1] / kept[0] - 1) * 100)
    order = list(range(len(points)))
    rnd.shuffle(order)
    shuffled = cpop_improvement_rate([values[i] for i in order], [types[i] for i in order],
                                     [periods[i] for i in order])
    assert shuffled == pytest.approx(rate)
    assert cpop_improvement_rate([v * k for v in values], types, periods) == pytest.approx(rate, abs=1e-9)
    frame = _frame([("i", "council", "A", str(p), p, v, t, HIGH) for p, v, t in zip(periods, values, types,
                                                                                  strict=True)])
    assert cpop_improvement_frame(frame).cpop_improvement_rate.iloc[0] == pytest.approx(rate)


_level = st.one_of(st.none(), st.sampled_from([1.0, 2.0, 3.0]))
_swap = {GREEN: RED, RED: GREEN, YELLOW: YELLOW, BLACK: BLACK, NO_RATING: NO_RATING}


@settings(max_examples=200, deadline=None)
@given(_level, _level, _level, _level, st.sampled_from([HIGH, LOW]))
def test_property_rating_swaps_with_roles_and_polarity(al, ar, cl, cr, pol: str) -> None:  # noqa: ANN001
    # Swapping area and comparator, or turning the polarity, swaps green and red and keeps
    # yellow, black and no dot: the rule treats both sides alike and follows polarity.
    other = LOW if pol == HIGH else HIGH
    base = cpop_rating(al, ar, cl, cr, pol)
    assert cpop_rating(cl, cr, al, ar, pol) == _swap[base]
    assert cpop_rating(al, ar, cl, cr, other) == _swap[base]
    words = cpop_rating_words(al, ar, cl, cr, pol)
    assert (base == GREEN) == ("and improving faster" in words)
    assert (base == RED) == ("and improving more slowly" in words)
    if al is None or cl is None:
        assert base == NO_RATING
