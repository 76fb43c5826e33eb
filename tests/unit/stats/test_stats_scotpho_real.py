"""SII, RII and PAR against ScotPHO's published Scotland-level SIMD-quintile figures.

ScotPHO's method (scotpho-indicator-production calculate_inequality_measures.R) is the
same regression as ours: ``lm(√p·rate ~ √p + √p·ridit + 0)`` (WLS with weights p), most
deprived first, CI from ``confint`` (t, k − 2 df). Differences we found:

* sign: ScotPHO report SII = −slope for every indicator, i.e. "positive = higher rate in
  deprived areas". Ours is "positive = worse in deprived areas", so ours equals theirs
  for low-is-good indicators and is minus theirs for high-is-good ones;
* RII: ScotPHO divide by the area's "Total" row (for standardised rates that is the
  area's own DSR, not the population-weighted mean of the quintile rates);
* published rates are rounded to 1 dp, so recomputed SIIs can differ by up to
  Σ|cᵢ|·0.05 ≈ 3 × 0.05 = 0.15 (cᵢ the regression coefficients' weights on each rate)
  plus 0.05 for rounding of the published SII: tolerance 0.2.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.stats import par, rii, sii
from tests.fixtures.real_data import real_data_missing

REAL = Path(__file__).resolve().parents[3] / ".." / "shared" / "real"
PARQUET = REAL / "scotpho" / "scotpho_deprivation_data_simd_quintiles.parquet"

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def scotland() -> pd.DataFrame:
    if not PARQUET.exists():
        real_data_missing(PARQUET)
    d = pd.read_parquet(PARQUET)
    return d[(d.quint_type == "sc_quin") & (d.code == "S00000001")]


def _groups(scotland: pd.DataFrame):
    for (ind, year), g in scotland.groupby(["ind_id", "year"]):
        total = g[g.quintile == "Total"]
        q = g[g.quintile != "Total"].sort_values("quintile")  # "1 - most deprived" first
        if len(q) != 5 or q.sii.isna().all() or q.measure.isna().any() or len(total) != 1:
            continue
        yield ind, year, q, total.measure.item()


def test_sii_rii_par_match_scotpho(scotland) -> None:
    checked = 0
    for ind, year, q, total in _groups(scotland):
        polarity = "high_is_good" if q.interpret.iloc[0] == "H" else "low_is_good"
        res = sii(q.measure, q.denominator, polarity=polarity)
        scotpho_sign = -1.0 if polarity == "high_is_good" else 1.0
        where = (ind, year)
        assert scotpho_sign * res.sii == pytest.approx(q.sii.iloc[0], abs=0.2), where
        lo, hi = sorted([scotpho_sign * res.lower, scotpho_sign * res.upper])
        assert lo == pytest.approx(q.lowci_sii.iloc[0], abs=0.35), where
        assert hi == pytest.approx(q.upci_sii.iloc[0], abs=0.35), where
        assert scotpho_sign * rii(res.sii, total) == pytest.approx(q.rii.iloc[0], abs=0.07), where
        assert par(q.measure, q.denominator).percent == pytest.approx(q.par.iloc[0], abs=0.5), where
        checked += 1
    assert checked > 250


def test_one_row_by_hand(scotland) -> None:
    # Indicator 21002, 2016 (a percentage, low is good): ScotPHO SII 30.5 (26.7 to 34.3).
    g = scotland[(scotland.ind_id == 21002) & (scotland.year == 2016)]
    q = g[g.quintile != "Total"].sort_values("quintile")
    res = sii(q.measure, q.denominator, polarity="low_is_good")
    assert res.sii == pytest.approx(30.5, abs=0.2)
    assert res.lower == pytest.approx(26.7, abs=0.35)
    assert res.upper == pytest.approx(34.3, abs=0.35)
