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


# --------------------------------------------------------------------------------------------
# The same published figures through the code the build runs (issue 17): the SQL interval
# macros of marts/computed_values.sql and etl.marts.inequality.inequality_frame (sii_grouped,
# the vectorised PAR and gaps), not the Python reference functions above.
# --------------------------------------------------------------------------------------------
def test_group_intervals_by_the_build_sql_match_scotpho(scotland) -> None:
    # ScotPHO's published lowci/upci for each quintile: Wilson for percentages, Byar for crude
    # rates per 1,000 (every count ≥ 10 here), recomputed from its numerators and denominators by
    # the warehouse's own SQL macros at z95(); both are rounded to 1 dp (±0.05, plus float noise)
    import duckdb

    from etl.build import SQL_DIR

    con = duckdb.connect()
    con.execute((SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
    rows = scotland.dropna(subset=["numerator", "denominator", "lowci", "upci"])
    con.register("q", rows[rows.type_definition.isin(["Percentage", "Crude rate per 1,000 population"])])
    out = con.execute("""
        SELECT type_definition, lowci, upci,
            CASE WHEN type_definition = 'Percentage' THEN wilson_lower(numerator, denominator, z95()) * 100
                 ELSE byar_lower_count(numerator, z95()) / denominator * 1000 END AS lower,
            CASE WHEN type_definition = 'Percentage' THEN wilson_upper(numerator, denominator, z95()) * 100
                 ELSE byar_upper_count(numerator, z95()) / denominator * 1000 END AS upper
        FROM q WHERE numerator >= 10""").df()
    assert (out.type_definition == "Percentage").sum() > 300 and (out.type_definition != "Percentage").sum() >= 30
    assert (out.lower - out.lowci).abs().max() <= 0.051
    assert (out.upper - out.upci).abs().max() <= 0.051


def test_marts_inequality_frame_matches_scotpho(scotland) -> None:
    # every complete Scotland row through the marts' own function: SII and its interval, RII,
    # PAR and the absolute and relative ranges. ScotPHO sign "positive = higher in deprived
    # areas" = ours for low-is-good indicators, minus ours (ratio: its inverse) for high-is-good
    from etl.marts.inequality import inequality_frame

    rows = []
    for ind, year, q, _total in _groups(scotland):
        polarity = "high_is_good" if q.interpret.iloc[0] == "H" else "low_is_good"
        key = {"indicator_id": str(ind), "area_type": "scotland", "area_code": "S92000003",
               "period_label": str(year), "basis": "national_quintile", "period_year": int(year), "polarity": polarity}
        for number, (_, x) in enumerate(q.iterrows(), start=1):
            rows.append({**key, "group_number": number, "value": x.measure, "denominator": x.denominator,
                         "numerator": x.numerator, "ci_lower": x.lowci, "ci_upper": x.upci})
        t = scotland[(scotland.ind_id == ind) & (scotland.year == year) & (scotland.quintile == "Total")].iloc[0]
        rows.append({**key, "group_number": 0, "value": t.measure, "denominator": t.denominator,
                     "numerator": t.numerator, "ci_lower": t.lowci, "ci_upper": t.upci})
    ours = inequality_frame(pd.DataFrame(rows))
    published = scotland[scotland.quintile == "Total"].assign(indicator_id=lambda x: x.ind_id.astype(str),
                                                              period_year=lambda x: x.year.astype(int))
    m = ours.merge(published, on=["indicator_id", "period_year"], suffixes=("", "_scotpho"))
    assert len(m) > 250
    sign = m.interpret.map({"H": -1.0, "L": 1.0})
    assert ((sign * m.sii - m.sii_scotpho).abs() <= 0.2).all()
    lower = pd.concat([sign * m.sii_lower, sign * m.sii_upper], axis=1).min(axis=1)
    upper = pd.concat([sign * m.sii_lower, sign * m.sii_upper], axis=1).max(axis=1)
    assert ((lower - m.lowci_sii).abs() <= 0.35).all() and ((upper - m.upci_sii).abs() <= 0.35).all()
    assert ((sign * m.rii - m.rii_scotpho).abs() <= 0.07).all()
    assert ((m.par_pct - m.par).abs() <= 0.5).all()
    # ranges: ScotPHO's from unrounded rates, ours from the published (1 dp) ones
    assert ((sign * m.absolute_gap - m.abs_range).abs() <= 0.11).all()
    raw_ratio = m.relative_gap ** sign
    slack = 0.05 + raw_ratio * (0.05 / m.most_deprived_value + 0.05 / m.least_deprived_value)
    assert ((raw_ratio - m.rel_range).abs() <= slack).all()
