"""The statistics.gov.scot series: layout, periods, special cases and trend stories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.demo import DATASET_STORIES

CAL = [str(y) for y in range(2011, 2025)]
FIN = [f"{y}/{y + 1}" for y in range(2011, 2025)]
SCHOOL = [f"{y}/{y + 1}" for y in range(2011, 2024)]
BANDS = [f"{a}-{a + 4}" for a in range(0, 75, 5)]

# stem -> (feature level, periods, measurement, units, dimension, denominator ages, per)
LAYOUT: dict[str, tuple] = {
    "income-deprivation": ("dz", CAL, "Count", ["People"], None, (0, 90), 100),
    "median-earnings": ("council", CAL, "Median", ["GBP per week"], None, None, None),
    "out-of-work-benefits": ("dz", FIN, "Count", ["People"], None, (16, 64), 100),
    "employment-deprivation": ("dz", CAL, "Count", ["People"], None, (16, 64), 100),
    "child-poverty": ("dz", FIN, "Count", ["Children"], None, (0, 15), 100),
    "birthweight": (
        "dz",
        CAL,
        "Count",
        ["Births"],
        ("Birthweight", ["Healthy", "All"]),
        None,
        None,
    ),
    "recorded-crime": ("dz", FIN, "Count", ["Crimes"], None, (0, 90), 1e4),
    "dwelling-fires": (
        "dz",
        [f for f in FIN if f != "2016/2017"],
        "Count",
        ["Fires"],
        None,
        (0, 90),
        1e5,
    ),
    "deaths-under-75": ("dz", CAL, "Count", ["Deaths"], ("Age", BANDS), (0, 74), 1e5),
    "unplanned-attendances": ("dz", FIN, "Count", ["Attendances"], None, (0, 90), 1e5),
    "emergency-admissions": ("dz", FIN, "Count", ["Admissions"], ("Age", ["65+"]), (65, 90), 1e5),
    "unplanned-bed-days": ("dz", FIN, "Count", ["Bed days"], ("Age", ["65+"]), (65, 90), 1e3),
    "school-leaver-attainment": (
        "iz",
        SCHOOL,
        "Count",
        ["Tariff points", "School leavers"],
        None,
        None,
        None,
    ),
    "positive-destinations": (
        "iz",
        SCHOOL,
        "Count",
        ["School leavers"],
        ("Destination", ["Positive", "All"]),
        None,
        None,
    ),
}


@pytest.fixture(scope="module")
def denominators(sape: dict[int, pd.DataFrame]) -> Callable[[tuple[int, int]], pd.DataFrame]:
    """Population [year x data zone] for an age range, from the SAPE files."""
    cache: dict[tuple[int, int], pd.DataFrame] = {}

    def get(ages: tuple[int, int]) -> pd.DataFrame:
        if ages not in cache:
            lo, hi = ages
            rows = {}
            for year, df in sape.items():
                a = df[df.sex == "All"].set_index("dz11_code")
                rows[year] = a.iloc[:, 2 + lo : 2 + hi + 1].sum(axis=1)
            cache[ages] = pd.DataFrame(rows).T
        return cache[ages]

    return get


def test_every_dataset_has_a_story() -> None:
    assert set(DATASET_STORIES) == set(LAYOUT)
    for story in DATASET_STORIES.values():
        assert story["trend"] in {"improving", "worsening", "flat"}
        assert story["gap"] in {"narrowing", "widening", "stable", "not applicable"}


@pytest.mark.parametrize("stem", list(LAYOUT))
def test_layout(
    stem: str, series: Callable[..., pd.DataFrame], lookup: pd.DataFrame, raw: Path
) -> None:
    level, periods, measurement, units, dim, _, _ = LAYOUT[stem]
    path = raw / "statistics_gov_scot" / "2025-09" / f"{stem}.csv"
    header = ["FeatureCode", "DateCode", "Measurement", "Units", "Value"]
    assert path.read_text().splitlines()[0].split(",") == header + ([dim[0]] if dim else [])
    df = series(stem)
    assert sorted(df.DateCode.unique()) == periods
    assert set(df.Measurement) == {measurement} and set(df.Units) == set(units)
    features = {
        "dz": set(lookup.DZ),
        "iz": set(lookup.IZcode),
        "council": set(lookup.LAcode) | {"S92000003"},
    }[level]
    assert set(df.FeatureCode) == features
    n_dim = len(dim[1]) if dim else 1
    assert len(df) == len(features) * len(periods) * len(units) * n_dim  # zeros kept
    if dim:
        assert sorted(df[dim[0]].unique()) == sorted(dim[1])
    assert pd.api.types.is_numeric_dtype(df.Value) and (df.Value >= 0).all()
    if measurement == "Count":
        assert pd.api.types.is_integer_dtype(df.Value)


def test_dwelling_fires_small_counts_and_missing_year(series: Callable[..., pd.DataFrame]) -> None:
    df = series("dwelling-fires")
    assert "2016/2017" not in set(df.DateCode)
    assert (df.Value < 5).mean() > 0.5 and (df.Value == 0).any()


def test_birthweight_small_and_consistent(series: Callable[..., pd.DataFrame]) -> None:
    df = series("birthweight").pivot_table(
        index=["FeatureCode", "DateCode"], columns="Birthweight", values="Value"
    )
    assert (df.Healthy <= df.All).all() and (df.All < 5).any()
    assert 0.85 <= df.Healthy.sum() / df.All.sum() <= 0.92


def test_child_poverty_revised_between_releases(series: Callable[..., pd.DataFrame]) -> None:
    new, old = series("child-poverty"), series("child-poverty", "2024-09")
    assert max(old.DateCode) == "2022/2023" and max(new.DateCode) == "2024/2025"
    both = new.merge(old, on=["FeatureCode", "DateCode"], suffixes=("_new", "_old"))
    assert len(both) == len(old)
    changed = both[both.Value_new != both.Value_old]
    assert len(changed) > 0 and set(changed.DateCode) == {"2021/2022"}


def test_median_earnings_range(series: Callable[..., pd.DataFrame]) -> None:
    df = series("median-earnings")
    assert df.Value.between(380, 850).all()
    scot = df[df.FeatureCode == "S92000003"].sort_values("DateCode").Value
    assert scot.iloc[-1] > scot.iloc[0]


def _quintile_rates(df: pd.DataFrame, den: pd.DataFrame, q: pd.Series, per: float) -> pd.DataFrame:
    """Rates by [year, SIMD quintile] (ratio of sums) and overall in column 0."""
    num = df.groupby([df.DateCode.str[:4].astype(int), "FeatureCode"]).Value.sum().unstack()
    d = den.loc[num.index, num.columns]
    out = {
        k: num.loc[:, q[num.columns] == k].sum(axis=1)
        / d.loc[:, q[d.columns] == k].sum(axis=1)
        * per
        for k in (1, 5)
    }
    out[0] = num.sum(axis=1) / d.sum(axis=1) * per
    return pd.DataFrame(out)


def test_child_poverty_follows_deprivation(
    series: Callable[..., pd.DataFrame], denominators, lookup: pd.DataFrame
) -> None:
    q = lookup.set_index("DZ")["SIMD2020v2_Quintile"]
    r = _quintile_rates(series("child-poverty"), denominators((0, 15)), q, 100)
    assert (r[1] > 2 * r[5]).all()


@pytest.mark.parametrize(
    "stem", [s for s, v in LAYOUT.items() if v[0] == "dz" and v[5] is not None]
)
def test_trend_and_gap_stories(
    stem: str, series: Callable[..., pd.DataFrame], denominators, lookup: pd.DataFrame
) -> None:
    _, _, _, _, _, ages, per = LAYOUT[stem]
    q = lookup.set_index("DZ")["SIMD2020v2_Quintile"]
    r = _quintile_rates(series(stem), denominators(ages), q, per)
    first, last = r.iloc[:3].mean(), r.iloc[-3:].mean()
    story = DATASET_STORIES[stem]
    assert (first[1] > first[5]) and (last[1] > last[5])  # worse where more deprived
    worse = last[0] > first[0]  # every DZ-level rate here has polarity "lower is better"
    assert worse == (story["trend"] == "worsening"), (stem, first[0], last[0])
    abs_wider = (last[1] - last[5]) > (first[1] - first[5])
    rel_wider = (last[1] / last[5]) > (first[1] / first[5])
    expected = story["gap"] == "widening"
    assert abs_wider == expected and rel_wider == expected, (stem, first.tolist(), last.tolist())


def test_school_stories(series: Callable[..., pd.DataFrame], lookup: pd.DataFrame) -> None:
    iz_rank = lookup.groupby("IZcode")["SIMD2020v2_Rank"].mean()
    iz_q = pd.Series(np.ceil(iz_rank.rank(pct=True) * 5).astype(int), index=iz_rank.index)
    att = series("school-leaver-attainment")
    att = att.pivot_table(index=["FeatureCode", "DateCode"], columns="Units", values="Value")
    att = att.reset_index().assign(q=lambda d: d.FeatureCode.map(iz_q))
    g = att.groupby(["DateCode", "q"])[["Tariff points", "School leavers"]].sum()
    tariff = (g["Tariff points"] / g["School leavers"]).unstack()
    assert (tariff[5] > tariff[1]).all()
    assert tariff.iloc[-1].mean() > tariff.iloc[0].mean()
    assert tariff.iloc[-1][5] - tariff.iloc[-1][1] < tariff.iloc[0][5] - tariff.iloc[0][1]
    leavers = att["School leavers"]
    assert leavers.between(5, 120).all() and 20 <= leavers.mean() <= 80

    dest = series("positive-destinations").pivot_table(
        index=["FeatureCode", "DateCode"], columns="Destination", values="Value"
    )
    assert (dest.Positive <= dest.All).all()
    share = dest.Positive.groupby("DateCode").sum() / dest.All.groupby("DateCode").sum()
    assert share.iloc[-1] > share.iloc[0] and share.between(0.85, 0.97).all()
