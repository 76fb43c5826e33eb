"""Inequality figures of a real build against the publishers': CPOP's Duncan index and
ScotPHO's SII, RII and PAR, and ScotPHO's published council figures with their intervals.

Where cpop's inputs or conventions differ from the publisher's, the documented relation is
asserted rather than skipped (docs/methods.md, "Where cpop's figures differ from the
publishers', and why"):

* Duncan index (``marts.inequality.duncan_index``, councils) against ``Duncan index by
  FINALSep23.csv``: CPOP sorts IZs ascending whatever the polarity (so ours = −theirs for
  low-is-good outcomes) and walks tied IZs in file order (we pool them). Where CPOP's inputs are
  the build's (the same IZ values and the same income-deprived counts) the mart reproduces
  every published index to 1e-9; elsewhere the inputs differ for stated reasons and the
  difference is bounded.
* ScotPHO's SII/RII/PAR (``scotpho_deprivation_data_simd_quintiles.parquet``) for the two
  indicators both hold from SIMD counts: ScotPHO's quintiles are population-weighted fifths of
  the SIMD edition whose counts they are; cpop's national quintiles are the Scottish
  Government's (equal numbers of data zones) of the edition nearest the year by publication.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.stats import duncan_index
from tests.fixtures.publishers import (
    SCOTLAND,
    agree_4sf,
    council_codes,
    intermediate_zone_councils,
    query,
)

pytestmark = [pytest.mark.real, pytest.mark.slow]

#: CPOP's Duncan outcome columns → (indicator, sign: ours = sign × CPOP's ascending-order index)
DUNCAN_OUTCOMES = {
    "crime": ("ss_crime_rate", -1), "CP": ("ey_child_poverty", -1), "Attain": ("ey_school_attainment", +1),
    "PD": ("ey_participation_rate", +1), "EA": ("op_emergency_admissions", -1),
    "Depop": ("econ_depopulation", -1),  # cpop reads a rising index as worsening (catalogue caveat)
    "EM": ("hi_early_mortality", -1),
}  # fmt: skip
#: The build's income-deprived counts: SIMD 2016 (2014) and SIMD 2020v2 (2017); each period takes
#: the nearer year, ties the later (etl/marts/inequality.py).
INCOME_YEAR = {y: (2014 if y <= 2015 else 2017) for y in range(2009, 2022)}


def _tie_term(outcome: np.ndarray, deprived: np.ndarray, rest: np.ndarray) -> float:
    """Σ over blocks of tied outcomes of Σ_{i<j} uᵢ × uⱼ, IZs in file order (CPOP's walk minus
    the pooled chord; tests/unit/stats/test_stats_duncan_real.py derives it)."""
    a, b = deprived / deprived.sum(), rest / rest.sum()
    term = 0.0
    for idx in pd.Series(outcome).groupby(outcome).indices.values():
        for i in range(len(idx)):
            for j in range(i + 1, len(idx)):
                term += a[idx[i]] * b[idx[j]] - b[idx[i]] * a[idx[j]]
    return term


@cache
def _duncan_comparison(real_dir: Path, con) -> pd.DataFrame:  # noqa: ANN001
    """One row per published index (year ≥ 2010 x council x outcome) with the mart's, the
    build's inputs against CPOP's, and the expected relation."""
    inputs = real_dir / "cpop" / "duncan_index_inputs"
    published = pd.read_csv(inputs / "Duncan index by FINALSep23.csv").dropna(subset=["year"])
    codes = council_codes(real_dir)
    iz_council = intermediate_zone_councils(real_dir)
    mart = query(con, "SELECT indicator_id, area_code, period_label, duncan_index FROM marts.inequality "
                      "WHERE area_type = 'council' AND basis = 'national_quintile'")
    mart = mart.set_index(["indicator_id", "area_code", "period_label"]).duncan_index
    values = query(con, "SELECT indicator_id, area_code, period_label, value FROM marts.indicator_values "
                        "WHERE area_type = 'intermediate_zone' AND value_type = 'raw'")
    values = values.set_index(["indicator_id", "period_label", "area_code"]).value.sort_index()
    income = query(con, "SELECT period_label, area_code, numerator, denominator - numerator AS rest "
                        "FROM marts.indicator_values WHERE indicator_id = 'econ_income_deprived' "
                        "AND area_type = 'intermediate_zone'").set_index(["period_label", "area_code"])
    rows = []
    for year in range(2010, 2022):
        cpop = pd.read_csv(inputs / f"{year} IGZ1.csv").dropna(subset=["la"])
        assert len(cpop) == 1279  # one row per IZ, in code order (no code column)
        cpop.index = iz_council.index
        build_income = income.loc[str(INCOME_YEAR[year])].reindex(cpop.index)
        period = f"{year}/{(year + 1) % 100:02d}"
        for _, pub in published[published.year == year].iterrows():
            council = codes[pub.la]
            zones = iz_council.index[iz_council == council]
            theirs = cpop.loc[zones]
            ours_income = build_income.loc[zones]
            same_income = bool((ours_income.numerator.to_numpy() == theirs["inc.n"].to_numpy()).all()
                               and (ours_income.rest.to_numpy() == theirs["noninc.n"].to_numpy()).all())
            for column, (indicator, sign) in DUNCAN_OUTCOMES.items():
                ours = values.get((indicator, period))
                ours = ours.reindex(zones).to_numpy(float) if ours is not None else np.full(len(zones), np.nan)
                cpop_outcome = theirs[column].to_numpy(float)
                same_outcome = bool(np.allclose(ours, cpop_outcome, rtol=1e-9, atol=0))
                recomputed = duncan_index(ours, ours_income.numerator, ours_income.rest,
                                          "high_is_good" if sign > 0 else "low_is_good")
                tie = _tie_term(np.nan_to_num(cpop_outcome, nan=np.inf), theirs["inc.n"].to_numpy(float),
                                theirs["noninc.n"].to_numpy(float))
                rows.append((year, council, column, indicator, sign, pub[column], mart.get((indicator, council, period)),
                             recomputed, same_income, same_outcome, tie, bool(np.isnan(ours).any())))
    return pd.DataFrame(rows, columns=["year", "council", "outcome", "indicator_id", "sign", "published", "mart",
                                       "recomputed", "same_income", "same_outcome", "tie", "missing_iz"])


def test_duncan_index_is_computed_as_documented(real_dir: Path, real_con) -> None:
    """The production path: every council index is duncan_index() of the shown raw IZ values and
    the income counts of the nearer SIMD year; blank exactly where an IZ has no raw value."""
    d = _duncan_comparison(real_dir, real_con)
    assert len(d) == 12 * 32 * 7
    assert (d.mart.isna() == d.missing_iz).all()
    known = d.dropna(subset=["mart"])
    assert np.allclose(known.mart, known.recomputed, rtol=1e-12, atol=1e-15)
    # CPOP also publishes indexes of imputed and projected IZ values; cpop does not (raw only),
    # and Edinburgh's child poverty 2018 and 2019 have an IZ without a value
    blank = d[d.mart.isna()].groupby("outcome").year.agg(lambda y: sorted(set(y))).to_dict()
    assert blank == {"Attain": [2010, 2011, 2012, 2021], "CP": [2010, 2011, 2012, 2013, 2018, 2019],
                     "PD": [2010, 2011, 2012, 2013, 2014, 2015]}
    assert d[(d.outcome == "CP") & d.year.isin([2018, 2019]) & d.mart.isna()].council.tolist() == ["S12000036"] * 2


def test_duncan_index_equals_cpops_where_the_inputs_are_the_same(real_dir: Path, real_con) -> None:
    d = _duncan_comparison(real_dir, real_con).dropna(subset=["mart"])
    same = d[d.same_income & d.same_outcome]
    assert len(same) == 703
    # ours = sign × (CPOP's − its file-order walk through tied IZs), to 1e-9
    expected = same.sign * (same.published - same.tie)
    assert np.allclose(same.mart, expected, rtol=0, atol=1e-9)
    assert agree_4sf(same.mart, expected).all()
    untied = same[same.tie.abs() < 1e-12]
    assert len(untied) > 400 and agree_4sf(untied.mart, untied.sign * untied.published).all()


def test_duncan_index_differences_have_their_documented_causes(real_dir: Path, real_con) -> None:
    d = _duncan_comparison(real_dir, real_con).dropna(subset=["mart"])
    # 1. income-deprived counts: CPOP uses SIMD 2016's for 2014-2017 and SIMD 2020v2's for
    #    2018-2021 (earlier counts before 2014); the build uses the nearer of 2014 and 2017
    assert sorted(set(d[~d.same_income].year)) == [2010, 2011, 2012, 2016, 2017]
    assert d[d.year.isin([2013, 2014, 2015, *range(2018, 2022)])].same_income.all()
    # 2. IZ values: CPOP rounded some inputs (child poverty to 1 dp before 2020, crime to 1 dp,
    #    admissions and mortality to whole numbers) and took admissions from the Aug-22 release
    gap = (d.mart - d.sign * d.published).abs()
    income_only, outcome_only = ~d.same_income & d.same_outcome, d.same_income & ~d.same_outcome
    both = ~d.same_income & ~d.same_outcome
    assert gap[income_only].max() < 0.07 and gap[outcome_only].max() < 0.045 and gap[both].max() < 0.24
    print(f"Duncan: {len(d)} published values with a mart value; same inputs "
          f"{(d.same_income & d.same_outcome).sum()}, income only {income_only.sum()} "
          f"(max {gap[income_only].max():.3f}), outcome only {outcome_only.sum()} "
          f"(max {gap[outcome_only].max():.3f}), both {both.sum()} (max {gap[both].max():.3f})")


# ------------------------------------------------------------------------------------------
# ScotPHO
# ------------------------------------------------------------------------------------------
SCOTPHO_SIMD = {20701: "econ_income_deprived", 20702: "emp_employment_deprived"}
#: Na h-Eileanan Siar, Orkney, Shetland: few data zones, some national fifths empty
ISLANDS = {"S12000013", "S12000023", "S12000027"}
BASIS = {"sc_quin": "national_quintile", "ca_quin": "local_quintile"}


@cache
def _scotpho(real_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(real_dir / "scotpho" / "scotpho_deprivation_data_simd_quintiles.parquet")


@cache
def _sii_comparison(real_dir: Path, con) -> pd.DataFrame:  # noqa: ANN001
    sp = _scotpho(real_dir)
    sp = sp[sp.ind_id.isin(SCOTPHO_SIMD) & (sp.quintile == "Total") & sp.year.isin([2014, 2017])
            & sp.quint_type.isin(BASIS) & sp.areatype.isin(["Scotland", "Council area"])]
    sp = sp.assign(indicator_id=sp.ind_id.map(SCOTPHO_SIMD), basis=sp.quint_type.map(BASIS),
                   period_label=sp.year.astype(str), area_code=sp.code.replace({"S00000001": SCOTLAND}))
    mart = query(con, "SELECT indicator_id, area_code, period_label, basis, simd_edition, sii, sii_lower, sii_upper, "
                      "rii, par_pct FROM marts.inequality WHERE indicator_id IN ('econ_income_deprived', "
                      "'emp_employment_deprived')")
    return sp.merge(mart, on=["indicator_id", "area_code", "period_label", "basis"], how="left",
                    suffixes=("_sp", ""), validate="one_to_one")


def test_scotpho_sii_rii_par_through_the_build(real_dir: Path, real_con) -> None:
    d = _sii_comparison(real_dir, real_con)
    # Scotland, 32 councils x (Scotland and local quintiles) x 2 indicators x 2 years
    assert len(d) == 2 * 2 * (1 + 2 * 32) and d.sii.notna().all()
    # PAR needs the least deprived group: blank for a council with no data zone in Scotland's
    # least deprived fifth (Na h-Eileanan Siar, Shetland; ScotPHO publishes none either)
    no_par = d[d.par_pct.isna()]
    assert set(no_par.area_code) == {"S12000013", "S12000027"} and no_par.par.isna().all() and len(no_par) == 8
    # ScotPHO publishes no Scotland-basis SII for the three island councils (no data zone in
    # some national fifths); cpop fits the groups a council has
    none = d[d.sii_sp.isna()]
    assert set(none.area_code) == ISLANDS
    assert set(none.basis) == {"national_quintile"} and len(none) == 12 and (none.sii > 0).all()
    d = d[d.sii_sp.notna()]
    # sign: both indicators are low-is-good ("L"), so positive = worse in deprived areas = higher
    # there, ScotPHO's convention too: same sign, no flip (high-is-good ones flip: unit test)
    assert set(d.interpret) == {"L"} and (np.sign(d.sii) == np.sign(d.sii_sp)).all()
    assert (np.sign(d.rii) == np.sign(d.rii_sp)).all()
    # 2014: the same edition (SIMD 2016) and the same counts; quintiles differ in kind for the
    # national basis (cpop: the Scottish Government's; ScotPHO: population-weighted fifths)
    scotland = d[(d.area_code == SCOTLAND) & (d.period_label == "2014")].set_index("indicator_id")
    assert scotland.sii.round(1).to_dict() == {"econ_income_deprived": 30.3, "emp_employment_deprived": 25.3}
    assert scotland.sii_sp.to_dict() == {"econ_income_deprived": 30.3, "emp_employment_deprived": 25.1}
    assert (abs(scotland.par_pct - scotland.par) < 0.4).all() and (abs(scotland.rii - scotland.rii_sp) < 0.05).all()
    # local quintiles: the same definition (population-weighted fifths of the council's data zones)
    local = d[(d.basis == "local_quintile") & (d.period_label == "2014")]
    assert (abs(local.sii - local.sii_sp) < 0.35).all()
    national = d[(d.basis == "national_quintile") & (d.period_label == "2014")]
    assert (abs(national.sii - national.sii_sp) < 0.45).all()
    # 2017: cpop groups SIMD 2020v2's counts by SIMD 2016 (the edition nearest 2017 by its
    # name); ScotPHO by SIMD 2020v2: larger, documented differences
    later = d[d.period_label == "2017"]
    assert set(later.simd_edition) == {"2016"} and set(d[d.period_label == "2014"].simd_edition) == {"2016"}
    assert (abs(later.sii - later.sii_sp) < 1.8).all()
    print("ScotPHO SII |cpop − ScotPHO| max by year and basis:",
          d.assign(gap=abs(d.sii - d.sii_sp)).groupby(["period_label", "basis"]).gap.max().round(3).to_dict())


def test_local_quintile_groups_match_scotphos_counts(real_dir: Path, real_con) -> None:
    """2014 local quintiles hold ScotPHO's numerators in every council but the three island
    ones (where a data zone or two at a boundary fall in the next fifth). ScotPHO's
    denominators are its own population estimates, not the ones SIMD 2016 published."""
    sp = _scotpho(real_dir)
    sp = sp[sp.ind_id.isin(SCOTPHO_SIMD) & (sp.year == 2014) & (sp.quint_type == "ca_quin") & (sp.quintile != "Total")]
    sp = sp.assign(indicator_id=sp.ind_id.map(SCOTPHO_SIMD), group_number=sp.quintile.str[0].astype(int))
    groups = query(real_con, "SELECT indicator_id, area_code, group_number, numerator, denominator "
                             "FROM marts.inequality_groups WHERE basis = 'local_quintile' AND period_label = '2014'")
    both = sp.merge(groups, left_on=["indicator_id", "code", "group_number"],
                    right_on=["indicator_id", "area_code", "group_number"], suffixes=("_sp", ""), validate="one_to_one")
    assert len(both) == 2 * 32 * 5
    same = both.numerator == both.numerator_sp
    assert same[~both.code.isin(ISLANDS)].all() and not same[both.code.isin(ISLANDS)].all()


def test_scotpho_council_extract_values_and_intervals_as_published(real_dir: Path, real_con) -> None:
    extract = pd.read_csv(real_dir / "scotpho" / "scotpho_ca_latest_extract_2024-10.csv")
    mappings = query(real_con, "SELECT indicator_id, measurement FROM meta.indicator_mappings WHERE dataset = 'scotpho-ca'")
    assert len(mappings) == 9
    rows = extract.merge(mappings, left_on="indicator", right_on="measurement")
    kept = query(real_con, "SELECT * FROM marts.indicator_releases WHERE dataset = 'scotpho-ca'")
    both = rows.merge(kept, on=["indicator_id", "area_code"], how="outer", indicator=True, validate="one_to_one",
                      suffixes=("_sp", ""))
    assert (both._merge == "both").all() and len(both) == 9 * 32 and both.is_shown.all()
    assert agree_4sf(both.value, both.measure).all()
    assert agree_4sf(both.ci_lower, both.lower_confidence_interval).all()
    assert agree_4sf(both.ci_upper, both.upper_confidence_interval).all()
    labels = dict(zip(both.period, both.period_label, strict=False))
    assert labels == {
        "2022 calendar year": "2022", "2021/22 financial year": "2021/22", "2022/23 financial year": "2022/23",
        "2019 to 2021 calendar years; 3-year aggregates": "2019-2021",
        "2020 to 2022 calendar years; 3-year aggregates": "2020-2022", "2020 to 2022 (3 year aggregate)": "2020-2022",
    }


def test_scotpho_deprivation_totals_as_published(real_dir: Path, real_con) -> None:
    """The deprivation file's 'Total' rows (Scotland basis) for the four indicators cpop shows."""
    sp = _scotpho(real_dir)
    ids = {20701: "econ_income_deprived", 20702: "emp_employment_deprived", 20203: "hi_alcohol_admissions",
           20307: "ss_road_traffic_casualties"}
    sp = sp[sp.ind_id.isin(ids) & (sp.quintile == "Total") & (sp.quint_type == "sc_quin")]
    sp = sp.assign(indicator_id=sp.ind_id.map(ids), area_code=sp.code.replace({"S00000001": SCOTLAND}))
    kept = query(real_con, "SELECT * FROM marts.indicator_releases WHERE dataset = 'scotpho-deprivation'")
    both = sp.merge(kept, left_on=["indicator_id", "area_code", "trend_axis"],
                    right_on=["indicator_id", "area_code", "period_label"], how="outer", indicator=True,
                    validate="one_to_one", suffixes=("_sp", ""))
    assert (both._merge == "both").all(), both._merge.value_counts()
    assert agree_4sf(both.value, both.measure).all()
    assert agree_4sf(both.ci_lower, both.lowci).all() and agree_4sf(both.ci_upper, both.upci).all()
    print(f"ScotPHO deprivation totals compared: {len(both)}")
