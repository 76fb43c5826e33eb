"""The SAPE files: exact layout, consistent sexes and ages, believable totals and ages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.demo.population import AGE_LABELS, YEARS


def test_one_file_per_year(sape: dict[int, pd.DataFrame]) -> None:
    assert sorted(sape) == list(YEARS) == list(range(2011, 2025))


def test_header_is_exact(raw: Path, real_dir: Path) -> None:
    ours = raw / "nrs_sape" / "2025-06" / "sape2020_dz2011_sex_single_year_age.csv"
    real = real_dir / "population" / "sape2020_dz2011_sex_single_year_age.csv"
    first = ours.read_text().splitlines()[:2]
    assert first[0] == real.read_text().splitlines()[0]
    assert first[1].startswith('"S01020001",') and ',"All",' in first[1]


def test_columns_and_consistency(sape: dict[int, pd.DataFrame], lookup: pd.DataFrame) -> None:
    ages = list(AGE_LABELS)
    for year, df in sape.items():
        assert list(df.columns) == ["dz11_code", "total_population", "sex", *ages]
        assert (
            df.groupby("dz11_code")["sex"].apply(list) == [["All", "Female", "Male"]] * len(lookup)
        ).all(), year
        assert (df[ages].sum(axis=1) == df["total_population"]).all()
        parts = {s: g.set_index("dz11_code")[ages] for s, g in df.groupby("sex")}
        assert (parts["All"] == parts["Female"] + parts["Male"]).all().all()
        assert set(df.dz11_code) == set(lookup.DZ)


def test_totals_between_500_and_1000(sape: dict[int, pd.DataFrame]) -> None:
    for df in sape.values():
        tot = df.loc[df.sex == "All", "total_population"]
        assert tot.between(500, 1000).all()


def test_small_drift_and_ageing(sape: dict[int, pd.DataFrame], lookup: pd.DataFrame) -> None:
    ages = list(AGE_LABELS)
    old = ages[65:]
    a = sape[2011][sape[2011].sex == "All"].set_index("dz11_code")
    b = sape[2012][sape[2012].sex == "All"].set_index("dz11_code")
    change = (b.total_population / a.total_population - 1).abs()
    assert change.quantile(0.95) < 0.05
    z = sape[2024][sape[2024].sex == "All"].set_index("dz11_code")
    assert z[old].sum().sum() / z[ages].sum().sum() > a[old].sum().sum() / a[ages].sum().sum()
    q = lookup.set_index("DZ")["SIMD2020v2_Quintile"]
    kids = a[ages[:16]].sum(axis=1) / a.total_population
    assert kids[q == 1].mean() > kids[q == 5].mean()  # deprived areas are younger


def test_simd_population_is_2017(sape: dict[int, pd.DataFrame], lookup: pd.DataFrame) -> None:
    df = sape[2017]
    tot = df[df.sex == "All"].set_index("dz11_code")["total_population"]
    assert (lookup.set_index("DZ")["Population"] == tot).all()
    assert (lookup.Working_Age_Population < lookup.Population).all()
