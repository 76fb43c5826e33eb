"""The Duncan index reproduces the published CPOP figures ("Duncan index by FINALSep23.csv").

Convention found in the data: the publisher sorts IZs ASCENDING by the outcome value
(whatever its polarity; ties kept in file order) and computes Σ aₖbₖ₊₁ − Σ aₖ₊₁bₖ with
a = income-deprived, b = non-income-deprived cumulative shares. Every one of the 2,912
published values (13 years x 32 councils x 7 outcomes) is reproduced to 1e-13 that way.
Our ``duncan_index`` orders worst-first by polarity, so it equals the published value for
high-is-good outcomes and its negative for low-is-good ones, except where IZs tie on the
outcome (about half the council-years have some tie). We pool tied IZs into one step; the
publisher walks them in file order. The difference is exactly computable: walking steps
u₁ … u_m (uᵢ = (aᵢ/A, bᵢ/B)) from point P instead of the chord P → P + Σuᵢ adds
Σ_{i<j} (u_i × u_j) with (x × y) = x_a·y_b − x_b·y_a, so

    published = pooled + Σ_tie blocks Σ_{i<j} (u_i × u_j)       (ascending, file order)

and the tests check every published value against that, to 1e-9.

Missing outcomes: two published values (Edinburgh CP 2018 and 2019) include an IZ whose
outcome is missing; the publisher's R ``order()`` put it last (as the best IZ). Our
function returns nan rather than guess; the test checks both facts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.stats import duncan_index
from tests.fixtures.real_data import real_data_missing

REAL = Path(__file__).resolve().parents[3] / ".." / "shared" / "real"
INPUTS = REAL / "cpop" / "duncan_index_inputs"
POLARITY = {
    "Attain": "high_is_good",  # school attainment
    "PD": "high_is_good",  # positive destinations
    "crime": "low_is_good",
    "CP": "low_is_good",  # child poverty
    "EM": "low_is_good",
    "EA": "low_is_good",
}

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    path = INPUTS / "Duncan index by FINALSep23.csv"
    if not path.exists():
        real_data_missing(path)
    return pd.read_csv(path).dropna(subset=["year"])


def _inputs(year: int) -> pd.DataFrame:
    return pd.read_csv(INPUTS / f"{year} IGZ1.csv").dropna(subset=["la"])


def _tie_order_term(rows: pd.DataFrame, outcome: str) -> float:
    """Σ over tie blocks of Σ_{i<j} uᵢ × uⱼ, IZs in file order (0 when no ties)."""
    a = rows["inc.n"].to_numpy() / rows["inc.n"].sum()
    b = rows["noninc.n"].to_numpy() / rows["noninc.n"].sum()
    term = 0.0
    for _, idx in rows.reset_index(drop=True).groupby(outcome).indices.items():
        for i in range(len(idx)):
            for j in range(i + 1, len(idx)):
                term += a[idx[i]] * b[idx[j]] - b[idx[i]] * a[idx[j]]
    return term


def _expected(pub: float, rows: pd.DataFrame, outcome: str) -> float:
    pooled_ascending = pub - _tie_order_term(rows, outcome)
    return pooled_ascending if POLARITY[outcome] == "high_is_good" else -pooled_ascending


@pytest.mark.parametrize(
    ("year", "la", "outcome", "published_value"),
    [
        # values as printed in the published file (rounded here to 6 dp)
        (2009, "Aberdeen City", "Attain", 0.374458),
        (2009, "Aberdeen City", "crime", -0.338179),
        (2016, "Glasgow City", "CP", -0.212108),
        (2016, "Glasgow City", "PD", 0.222420),
        (2021, "Eilean Siar", "EM", -0.072399),
        (2021, "Aberdeen City", "EA", -0.328812),
    ],
)
def test_reproduces_published_duncan(published, year, la, outcome, published_value) -> None:
    rows = _inputs(year).query("la == @la")
    pub = published.query("year == @year and la == @la")[outcome].item()
    assert pub == pytest.approx(published_value, abs=1e-6)
    ours = duncan_index(rows[outcome], rows["inc.n"], rows["noninc.n"], POLARITY[outcome])
    assert ours == pytest.approx(_expected(pub, rows, outcome), abs=1e-9)
    if not rows[outcome].duplicated().any():  # no ties: plain sign rule
        assert ours == pytest.approx(pub if POLARITY[outcome] == "high_is_good" else -pub)


def test_all_published_values(published) -> None:
    checked = tied = 0
    for year in range(2009, 2022):
        data = _inputs(year)
        for la, rows in data.groupby("la"):
            pub_row = published.query("year == @year and la == @la")
            for outcome, pol in POLARITY.items():
                pub = pub_row[outcome].item()
                if rows[outcome].isna().any():
                    assert np.isnan(
                        duncan_index(rows[outcome], rows["inc.n"], rows["noninc.n"], pol)
                    )
                    # R's order() puts NA last in the ascending walk: +inf does the same.
                    rows = rows.assign(**{outcome: rows[outcome].fillna(np.inf)})
                ours = duncan_index(rows[outcome], rows["inc.n"], rows["noninc.n"], pol)
                expected = _expected(pub, rows, outcome)
                assert ours == pytest.approx(expected, abs=1e-9), (year, la, outcome)
                checked += 1
                tied += bool(rows[outcome].duplicated().any())
    assert checked == 13 * 32 * len(POLARITY)
    assert tied > 0  # the tie correction was exercised
