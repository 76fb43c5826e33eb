"""SIMD indicator data, NRS population shapes and ScotPHO files read from ../shared/real.

Figures are checked against the publishers' own: cell values as published, totals NRS and SG
publish, ScotPHO's council sums of the SIMD counts, and its published intervals.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.build import run_sql_file
from etl.catalogue import load_catalogue
from etl.settings import REAL_CATALOGUE
from etl.sources import nrs_sape, scotpho, simd_indicators
from etl.sources.published import check_table, dimension_columns
from tests.fixtures.real_data import real_data_missing

pytestmark = pytest.mark.real


def _read(reader_read, path: Path) -> pd.DataFrame:  # noqa: ANN001
    [table] = reader_read(path)
    check_table(table, path)
    return table.frame


@pytest.fixture(scope="module")
def real() -> Path:
    real = Path(__file__).resolve().parents[2].parent / "shared" / "real"
    if not real.is_dir():
        real_data_missing(real, "real data folder")
    return real


#: The real files each reader reads, by a short name.
FILES = {
    "simd2020": (simd_indicators.read, "simd/simd2020v2_dz2011_indicators.csv"),
    "simd2016": (simd_indicators.read, "simd/SIMD16 indicator data.xlsx"),
    "scotpho_ca": (scotpho.read, "scotpho/scotpho_ca_latest_extract_2024-10.csv"),
    "deprivation": (scotpho.read, "scotpho/scotpho_deprivation_data_simd_quintiles.parquet"),
}


@pytest.fixture(scope="module")
def frames(real: Path) -> dict[str, pd.DataFrame]:
    """Every real file read once (about ten seconds) and checked against the contract."""
    return {name: _read(read, real / path) for name, (read, path) in FILES.items()}


@pytest.fixture(scope="module")
def lookup(real: Path) -> pd.DataFrame:
    return pd.read_csv(real / "geography" / "simd2020v2_dz_lookup_data.csv", dtype=str)


def _series(frame: pd.DataFrame, measurement: str, units: str, **dims: str) -> pd.DataFrame:
    mask = (frame.Measurement == measurement) & (frame.Units == units)
    for column, value in dims.items():
        mask &= frame[column] == value
    return frame[mask]


def _total(frame: pd.DataFrame, measurement: str, units: str) -> float:
    return float(pd.to_numeric(_series(frame, measurement, units).Value, errors="coerce").sum())


# --------------------------------------------------------------------------------------------
# SIMD indicators
# --------------------------------------------------------------------------------------------
def test_simd2020_rows_totals_and_cells(real: Path, frames: dict[str, pd.DataFrame]) -> None:
    simd2020 = frames["simd2020"]
    people = _series(simd2020, "Total population", "People")
    assert len(people) == 6976 and people.FeatureCode.is_unique and set(people.DateCode) == {"2017"}
    assert _total(simd2020, "Total population", "People") == 5_424_800
    assert _total(simd2020, "Income deprived", "Population base") == 5_424_800
    assert _total(simd2020, "Working-age population", "People") == 3_494_791
    published = pd.read_csv(real / "simd" / "simd2020v2_dz2011_indicators.csv", dtype=str, keep_default_na=False)
    first = published.iloc[0]
    for column, (measurement, units) in {"Income_count": ("Income deprived", "People"),
                                          "crime_count": ("SIMD crimes", "Crimes"),
                                          "Attainment": ("Attainment of school leavers", "Score"),
                                          "EMERG": ("Emergency stays in hospital", "Standardised ratio")}.items():
        cell = _series(simd2020, measurement, units)
        assert cell[cell.FeatureCode == first.dz11_code].Value.item() == first[column], column
    crimes = _series(simd2020, "SIMD crimes", "Crimes")
    assert (crimes.Value == "*").sum() == 500 and set(crimes.DateCode) == {"2017/18"}
    # crime rates are the counts over the 2017 population, per 10,000: the base the reader gives
    both = crimes.merge(_series(simd2020, "SIMD crimes", "Population base"), on="FeatureCode")
    both = both[(both.Value_x != "*") & (both.Value_y != "0")]
    rate = _series(simd2020, "SIMD crimes", "Crimes per 10,000 people").set_index("FeatureCode").Value
    np.testing.assert_allclose(both.Value_x.astype(float) / both.Value_y.astype(float) * 10_000,
                               rate[both.FeatureCode].astype(float), rtol=1e-9)


def test_simd2020_household_base(frames: dict[str, pd.DataFrame]) -> None:
    simd2020 = frames["simd2020"]
    base = _series(simd2020, "People in overcrowded households", "Population base")
    assert (base.Value == "").sum() == 0
    counts = _series(simd2020, "People in overcrowded households", "People").set_index("FeatureCode").Value
    shares = _series(simd2020, "People in overcrowded households", "Proportion").set_index("FeatureCode").Value
    heating = _series(simd2020, "People in households without central heating", "People").set_index("FeatureCode").Value
    people = _series(simd2020, "Total population", "People").set_index("FeatureCode").Value
    # both housing counts 0 (5 data zones): the base cannot be derived; the total population stands in
    both_zero = (counts.astype(float) == 0) & (heating.astype(float) == 0)
    assert both_zero.sum() == 5
    by_code = base.set_index("FeatureCode").Value
    assert (by_code[both_zero[both_zero].index] == people[both_zero[both_zero].index]).all()
    known = by_code[~both_zero.reindex(by_code.index)].astype(float)
    np.testing.assert_allclose(counts[known.index].astype(float) / known, shares[known.index].astype(float),
                               atol=5e-9)


def test_simd2016_second_period_for_the_same_series(frames: dict[str, pd.DataFrame]) -> None:
    simd2020 = frames["simd2020"]
    simd2016 = frames["simd2016"]
    assert len(_series(simd2016, "Income deprived", "People")) == 6976
    assert _total(simd2016, "Total population", "People") == 5_347_600
    assert set(_series(simd2016, "Income deprived", "People").DateCode) == {"2014"}
    assert set(_series(simd2016, "SIMD crimes", "Crimes").DateCode) == {"2014/15"}
    # the census series is the same observation in both editions
    census = ("Working-age people with no qualifications", "Standardised ratio")
    old = _series(simd2016, *census).set_index("FeatureCode").Value.astype(float)
    new = _series(simd2020, *census).set_index("FeatureCode").Value.astype(float)
    np.testing.assert_allclose(old[new.index], new, rtol=1e-8)
    assert set(_series(simd2016, *census).DateCode) == {"2011"}


def test_income_deprived_sums_are_scotpho_published_council_figures(
        lookup: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> None:
    simd2020 = frames["simd2020"]
    simd2016 = frames["simd2016"]
    deprivation = frames["deprivation"]
    council = lookup.set_index("DZ").LAcode
    for frame, year in ((simd2020, "2017"), (simd2016, "2014")):
        for measurement, scotpho_name in (("Income deprived", "Population income deprived"),
                                          ("Employment deprived", "Working age population employment deprived")):
            counts = _series(frame, measurement, "People")
            ours = counts.Value.astype(float).groupby(council[counts.FeatureCode].to_numpy()).sum()
            theirs = _series(deprivation, scotpho_name, "Numerator", **{"SIMD quintile": "Total",
                                                                        "Quintile basis": "Council area"})
            theirs = theirs[theirs.DateCode == year].set_index("FeatureCode").Value.astype(float)
            assert len(theirs) == 32
            np.testing.assert_array_equal(ours[theirs.index], theirs)


# --------------------------------------------------------------------------------------------
# NRS population shapes
# --------------------------------------------------------------------------------------------
def test_iz_totals_match_data_zones(real: Path, tmp_path: Path, lookup: pd.DataFrame) -> None:
    release = tmp_path / "nrs_sape" / "2022-06"
    release.mkdir(parents=True)
    for name in ("sape2020_dz2011_sex_single_year_age.csv", "sape2021_dz2011_total.csv", "sape2021_iz2011_total.csv"):
        (release / name).symlink_to(real / "population" / name)
    con = duckdb.connect()
    for schema in ("raw", "staging"):
        con.execute(f"CREATE SCHEMA {schema}")
    nrs_sape.load(con, tmp_path)
    run_sql_file(con, "staging", "nrs__population")
    run_sql_file(con, "staging", "nrs__population_iz")
    iz = con.execute("SELECT intermediate_zone_code, population FROM staging.nrs__population_iz "
                     "WHERE year = 2021 AND sex = 'All' AND age_from IS NULL").df().set_index("intermediate_zone_code")
    assert len(iz) == 1279 and iz.population.sum() == 5_479_900
    dz = con.execute("SELECT datazone_code, total_population FROM staging.nrs__population "
                     "WHERE year = 2021").df()
    assert dz.total_population.sum() == 5_479_900
    # NRS's intermediate zone totals are exactly the sums of their data zones in 2021
    sums = dz.groupby(lookup.set_index("DZ").IZcode[dz.datazone_code].to_numpy()).total_population.sum()
    np.testing.assert_array_equal(sums[iz.index], iz.population)


# --------------------------------------------------------------------------------------------
# ScotPHO
# --------------------------------------------------------------------------------------------
def test_scotpho_ca_values_and_intervals_as_published(real: Path, frames: dict[str, pd.DataFrame]) -> None:
    scotpho_ca = frames["scotpho_ca"]
    measures = scotpho_ca[scotpho_ca.Units != scotpho.NUMERATOR]
    assert len(measures) == 7258 and measures.FeatureCode.nunique() == 32
    assert measures.Measurement.nunique() == 230
    source = pd.read_csv(real / "scotpho" / "scotpho_ca_latest_extract_2024-10.csv", dtype=str,
                         keep_default_na=False)
    na_blank = source.replace("NA", "")
    np.testing.assert_array_equal(measures.Value, na_blank.measure)
    np.testing.assert_array_equal(measures.LowerCI, na_blank.lower_confidence_interval)
    np.testing.assert_array_equal(measures.UpperCI, na_blank.upper_confidence_interval)
    spot = _series(scotpho_ca, "Alcohol problem drinking, males", "Percentage")
    spot = spot[spot.FeatureCode == "S12000008"].iloc[0]
    assert (spot.DateCode, spot.Value, spot.LowerCI, spot.UpperCI) == ("2014-2017", "25.3", "19.8", "31.6")


def test_scotpho_deprivation_rows_codes_and_inequality(real: Path, frames: dict[str, pd.DataFrame]) -> None:
    deprivation = frames["deprivation"]
    source = pd.read_parquet(real / "scotpho" / "scotpho_deprivation_data_simd_quintiles.parquet")
    assert (deprivation.Units == scotpho.DENOMINATOR).sum() == len(source) == 181_309
    codes = set(deprivation.FeatureCode)
    assert "S92000003" in codes and "S00000001" not in codes
    assert sum(c.startswith("S12") for c in codes) == 32 and sum(c.startswith("S08") for c in codes) == 14
    row = source[(source.code == "S00000001") & (source.indicator == "Road traffic accident casualties")
                 & (source.quintile == "Total") & (source.def_period.str.startswith("2016 to 2018"))].iloc[0]
    sii = _series(deprivation, "Road traffic accident casualties", "Slope index of inequality",
                  FeatureCode="S92000003", DateCode="2016-2018", **{"Quintile basis": "Scotland"}).iloc[0]
    assert (float(sii.Value), float(sii.LowerCI), float(sii.UpperCI)) == (row.sii, row.lowci_sii, row.upci_sii)
    par = _series(deprivation, "Road traffic accident casualties", "Population attributable risk, %",
                  FeatureCode="S92000003", DateCode="2016-2018").Value.item()
    assert float(par) == row.par


def test_scotpho_deprivation_reads(real: Path) -> None:
    [table] = scotpho.read(real / "scotpho" / "scotpho_deprivation_data_simd_quintiles.parquet")
    check_table(table, real / "scotpho" / "scotpho_deprivation_data_simd_quintiles.parquet")
    assert len(table.frame) > 0


# --------------------------------------------------------------------------------------------
# the catalogue's mappings name rows the readers make
# --------------------------------------------------------------------------------------------
def test_catalogue_mappings_match_real_rows(frames: dict[str, pd.DataFrame]) -> None:
    simd2020 = frames["simd2020"]
    simd2016 = frames["simd2016"]
    scotpho_ca = frames["scotpho_ca"]
    deprivation = frames["deprivation"]
    tables = {simd_indicators.DATASET: pd.concat([simd2020, simd2016]), scotpho.CA_DATASET: scotpho_ca,
              scotpho.DEPRIVATION_DATASET: deprivation}
    checked = 0
    for indicator in load_catalogue(REAL_CATALOGUE):
        data = indicator.data
        for side in (data.numerator, data.denominator, data.value, *data.published):
            if side is None or side.dataset not in tables:
                continue
            frame = tables[side.dataset]
            dims = dimension_columns(frame)
            assert set(dims) <= set(side.dimensions), (indicator.id, "unpinned dimension")
            rows = _series(frame, side.measurement, side.units, **side.dimensions)
            assert len(rows) > 0, (indicator.id, side.measurement, side.units)
            assert (rows.Value != "").any(), (indicator.id, "only blank values")
            checked += 1
    assert checked >= 15
