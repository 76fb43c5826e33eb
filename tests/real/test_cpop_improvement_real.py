"""CPOP's published improvement rates and its "CPP over time" dots, reproduced from its values.

Inputs (Sep-2023 CPOP release, ../shared/real/cpop, skipped when absent):

* ``CPPcleandata.csv``: the values (CPP x indicator x year, Type Raw data / Imputed /
  Projected). Our rates are computed from these values only.
* ``Imp_rate_CPP.csv``: CPOP's published ``Improvement_Rate`` (one per CPP x indicator,
  repeated on every non-projected row) and ``High is Positive``: what we compare with.

660 series = 33 CPPs (32 councils + Scotland) x 20 indicators. 658 published rates are
reproduced (to 4 significant figures, and in fact to 1e-12); the other 2 are blank in CPOP and
blank in ours, each for a stated reason. CPOP publishes no file of its dots (the app colours
them when drawing the page), so the ratings are checked against the rule applied to CPOP's
*published* rates in CPOP's own nested form, against hand-checked Fife values and totals.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.stats.cpop import cpop_improvement_frame

pytestmark = pytest.mark.real

#: CPOP's list of indicators where a high value is bad (its preprocessing script); all others
#: are "High is Positive" (Depopulation included, as CPOP has it).
HIGH_IS_NEGATIVE = {"Dwelling Fires", "Unplanned Hospital Attendances", "Fuel Poverty", "Fragility",
                    "Carbon Emissions", "Child Poverty", "Out of Work Benefits", "Crime Rate",
                    "Emergency Admissions", "Early Mortality"}


def _polarity(indicator: str) -> str:
    return "low_is_good" if indicator in HIGH_IS_NEGATIVE else "high_is_good"


@pytest.fixture
def cpop(real_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(our rows, one per CPP x indicator; CPOP's Imp_rate_CPP.csv as published)."""
    return _load(real_dir)


@cache
def _load(real_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    values = pd.read_csv(real_dir / "cpop" / "CPPcleandata.csv")
    frame = pd.DataFrame({
        "indicator_id": values["Indicator"],
        "area_type": np.where(values["CPP"] == "Scotland", "scotland", "council"),
        "area_code": values["CPP"],
        "period_label": values["Year"],
        "period_year": values["Year"].str[:4].astype(int),
        "value": values["value"],
        "value_type": values["Type"],
        "polarity": values["Indicator"].map(_polarity),
    })  # fmt: skip
    ours = cpop_improvement_frame(frame)
    published = pd.read_csv(real_dir / "cpop" / "Imp_rate_CPP.csv")
    return ours, published


def _series(published: pd.DataFrame) -> pd.DataFrame:
    """CPOP's rows per CPP x indicator: published rate, polarity, and the last row's value."""
    last = published.groupby(["CPP", "Indicator"], sort=False).tail(1)
    return last.rename(columns={"CPP": "area_code", "Indicator": "indicator_id"})[
        ["area_code", "indicator_id", "Year", "value", "Improvement_Rate", "High is Positive"]]


def test_polarity_is_cpops(cpop: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, published = cpop
    flags = published.drop_duplicates("Indicator").set_index("Indicator")["High is Positive"]
    assert len(flags) == 20
    assert {i for i, f in flags.items() if f == "No"} == HIGH_IS_NEGATIVE


def test_every_published_rate_is_reproduced(cpop: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    ours, published = cpop
    pub = published.groupby(["CPP", "Indicator"]).Improvement_Rate.agg(["first", "nunique", "size"])
    assert (pub["nunique"] <= 1).all()  # one published rate per series, repeated on its rows
    both = ours.merge(pub.reset_index().rename(columns={"CPP": "area_code", "Indicator": "indicator_id"}),
                      on=["indicator_id", "area_code"], how="outer", validate="one_to_one")
    assert len(both) == 660 and both["first"].notna().sum() == 658
    assert (both.area_type == "scotland").sum() == 20

    blank = both[both["first"].isna()]
    # The two series CPOP publishes without a rate; ours are blank too, for the same reason:
    # Inverclyde P1 BMI has no 2010/11 value (the baseline), Orkney well-being no 2021/22
    # value (the latest). CPOP does not step to the next or previous value, nor do we.
    assert sorted(zip(blank.area_code, blank.indicator_id, strict=True)) == [
        ("Inverclyde", "Primary 1 Body Mass Index"), ("Orkney Islands", "Well-being")]
    assert blank.cpop_improvement_rate.isna().all()
    inv = blank[blank.area_code == "Inverclyde"].iloc[0]
    ork = blank[blank.area_code == "Orkney Islands"].iloc[0]
    assert (inv.cpop_baseline_period, math.isnan(inv.cpop_baseline_value)) == ("2010/11", True)
    assert (ork.cpop_latest_period, math.isnan(ork.cpop_latest_value)) == ("2021/22", True)

    rated = both[both["first"].notna()]
    four_sf = [f"{a:.4g}" == f"{b:.4g}" for a, b in zip(rated.cpop_improvement_rate, rated["first"], strict=True)]
    assert sum(four_sf) == 658
    np.testing.assert_allclose(rated.cpop_improvement_rate, rated["first"], rtol=1e-12)


def test_fife_child_poverty_ends(cpop: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    ours, _ = cpop
    row = ours[(ours.area_code == "Fife") & (ours.indicator_id == "Child Poverty")].iloc[0]
    # (17.495289 / 12.735663 − 1) × 100 = 37.37242: baseline the imputed 2010/11 value.
    assert (row.cpop_baseline_period, row.cpop_baseline_value_type) == ("2010/11", "imputed")
    assert row.cpop_baseline_value == pytest.approx(12.735663, abs=1e-6)
    assert (row.cpop_latest_period, row.cpop_latest_value_type) == ("2021/22", "raw")
    assert row.cpop_latest_value == pytest.approx(17.495289, abs=1e-6)
    assert row.cpop_improvement_rate == pytest.approx(37.37242, abs=1e-5)


def test_baseline_first_value_latest_last_non_projected(cpop: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    ours, published = cpop
    # Every series starts in 2010/11 (imputed for 7 indicators) and ends in 2021/22.
    assert set(ours.cpop_baseline_period) == {"2010/11"} and set(ours.cpop_latest_period) == {"2021/22"}
    imputed_start = set(ours[ours.cpop_baseline_value_type == "imputed"].indicator_id)
    assert imputed_start == {"Attainment", "Child Poverty", "Crime Rate", "Fuel Poverty", "Out of Work Benefits",
                             "Participation Rate", "Well-being"}
    # CPOP's latest is the last non-projected value even when it is imputed: attainment's and
    # fuel poverty's 2021/22 values (raw data end in 2020/21 and 2019/20). The "latest raw
    # value" reading would miss all 66 of those published rates.
    imputed_end = ours[ours.cpop_latest_value_type == "imputed"]
    assert set(imputed_end.indicator_id) == {"Attainment", "Fuel Poverty"} and len(imputed_end) == 66
    values = published[(published.Type == "Raw data") & published.value.notna()]
    last_raw = values.groupby(["CPP", "Indicator"]).tail(1).set_index(["CPP", "Indicator"]).value
    check = imputed_end.set_index(["area_code", "indicator_id"])
    naive = (last_raw.reindex(check.index) / check.cpop_baseline_value - 1) * 100
    assert not np.isclose(naive, check.cpop_improvement_rate, rtol=1e-4).any()


def _cpop_dot(area: pd.Series, scot: pd.Series) -> str | None:
    """CPOP's nested questions, in its own order, on its published rows (independent of ours)."""
    if pd.isna(area.value) or pd.isna(scot.value):
        return None
    if area.value == scot.value:
        return "black"
    rate, scot_rate = area.Improvement_Rate, scot.Improvement_Rate
    if pd.isna(rate) or pd.isna(scot_rate):
        return None
    high_good = area["High is Positive"] == "Yes"
    if area.value > scot.value:
        return ("green" if high_good else "red") if rate > scot_rate else "yellow"
    return ("red" if high_good else "green") if rate < scot_rate else "yellow"


def test_every_rating_follows_cpops_rule_on_published_rates(cpop: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    ours, published = cpop
    series = _series(published)
    assert set(series.Year) == {"2021/22"}  # the dot's level is the same last row as the rate's
    scot = series[series.area_code == "Scotland"].set_index("indicator_id")
    councils = series[series.area_code != "Scotland"]
    expected = {(r.area_code, r.indicator_id): _cpop_dot(r, scot.loc[r.indicator_id]) or "none"
                for _, r in councils.iterrows()}
    got = ours[ours.area_type == "council"].set_index(["area_code", "indicator_id"]).cpop_rating.to_dict()
    assert len(expected) == 640 and got == expected
    assert (ours[ours.area_type == "scotland"].cpop_rating == "none").all()


def test_rating_totals_and_hand_checked_fife(cpop: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    ours, _ = cpop
    councils = ours[ours.area_type == "council"]
    assert councils.cpop_rating.value_counts().to_dict() == {"yellow": 239, "green": 202, "red": 195,
                                                            "black": 2, "none": 2}
    special = councils[councils.cpop_rating.isin(["black", "none"])]
    assert sorted(zip(special.area_code, special.indicator_id, special.cpop_rating, strict=True)) == [
        ("Inverclyde", "Primary 1 Body Mass Index", "none"),  # no rate (blank 2010/11)
        ("Inverclyde", "Well-being", "black"),  # 2021/22 level equals Scotland's
        ("Orkney Islands", "Well-being", "none"),  # blank 2021/22 level
        ("Stirling", "Employment Rate", "black"),  # 73.7 = Scotland's 73.7
    ]
    # Index-based indicators (2010/11 = 100) tie level and rate together: never yellow.
    assert not councils[councils.indicator_id.isin(["Depopulation", "Fragility"])].cpop_rating.eq("yellow").any()
    fife = councils[councils.area_code == "Fife"].set_index("indicator_id")
    # Checked by hand from the two files (Fife vs Scotland latest value; rates):
    assert fife.loc["Child Poverty", "cpop_rating_words"] == "Worse than Scotland but improving faster"  # 17.50>16.05; 37.4<44.2
    assert fife.loc["Child Poverty", "cpop_rating"] == "yellow"
    assert fife.loc["Primary 1 Body Mass Index", "cpop_rating"] == "green"  # 84.07>81.37; 0.13>-4.07
    assert fife.loc["Employment Rate", "cpop_rating"] == "red"  # 70.8<73.7; -1.85<2.55
    assert fife.loc["Fuel Poverty", "cpop_rating"] == "green"  # 22.02<24.03; -41.2<-9.0
    assert fife.loc["Fragility", "cpop_rating"] == "red"  # 110.7>108.2; 10.7>8.2
    assert fife.cpop_rating.value_counts().to_dict() == {"yellow": 9, "red": 8, "green": 3}
