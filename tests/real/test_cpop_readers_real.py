"""CPOP readers on the Improvement Service's real files in ../shared/real/cpop (skipped when absent).

Each file is read once per module. Spot values are compared with the cells as openpyxl reads
them, and with the figures quoted in PROVENANCE.md.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl.catalogue import load_catalogue
from etl.errors import InputError
from etl.settings import REAL_CATALOGUE
from etl.sources.cpop import read_cpop_file
from etl.sources.published import check_table
from tests.fixtures.real_data import real_data_missing

pytestmark = pytest.mark.real
CPOP = Path(__file__).resolve().parents[2].parent / "shared" / "real" / "cpop"
FILES = {
    "cpp": "Final CPP Data - Sep 2023.xlsx",
    "cpp_csv": "CPPcleandata.csv",
    "igz_aug22": "IGZ Data - Aug 22.xlsx",
    "igz_sep23": "IGZ Data - Sep 23.xlsx",
    "dz": "DZ Data - Aug 22.xlsx",
    "phs": "CPOP Data - for PHS.xlsx",
    "u16": "dummy_cpop_api_pulls/under_16_population.csv",
    "wa": "dummy_cpop_api_pulls/working_age_population_cpp.csv",
    "attainment": "dummy_cpop_api_pulls/educational_attainment_iz.csv",
}
#: file → (dataset, rows, areas)
EXPECTED = {
    "cpp": ("cpop-cpp", 8811, 33), "cpp_csv": ("cpop-cpp-app", 8811, 33),
    "igz_aug22": ("cpop-igz", 1279 * 15 * 8, 1279), "igz_sep23": ("cpop-igz", 1279 * 15 * 8, 1279),
    "dz": ("cpop-dz", 6976 * (7 + 7 + 8 + 14 + 5), 6976), "phs": ("cpop-phs", 268578, 6976 + 1279),
    "u16": ("cpop-population-cpp", 693, 33), "wa": ("cpop-population-cpp", 693, 33),
    "attainment": ("cpop-attainment-iz", 8953, 1279),
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    if not CPOP.is_dir():
        real_data_missing(CPOP, "real data folder")
    out = {}
    for key, name in FILES.items():
        read = read_cpop_file(CPOP / name)
        for table in read:
            check_table(table, CPOP / name)
        assert [t.dataset for t in read] == [EXPECTED[key][0]], key
        out[key] = read[0].frame
    return out


def _cell(name: str, sheet: str, row: int, column: int) -> object:
    book = openpyxl.load_workbook(CPOP / name, read_only=True, data_only=True)
    try:
        return next(book[sheet].iter_rows(min_row=row, max_row=row, values_only=True))[column - 1]
    finally:
        book.close()


def _one(frame: pd.DataFrame, **where: str) -> pd.Series:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, where
    return rows.iloc[0]


@pytest.mark.parametrize("key", list(FILES))
def test_every_layout_reads_with_its_rows_and_areas(tables: dict[str, pd.DataFrame], key: str) -> None:
    _dataset, rows, areas = EXPECTED[key]
    frame = tables[key]
    assert len(frame) == rows and frame.FeatureCode.nunique() == areas
    assert frame.duplicated(["FeatureCode", "DateCode", "Measurement", "Units"]).sum() == 0
    assert (frame._source_row >= 2).all() and frame._source_column.str.len().gt(0).all()


def test_datasets_and_area_counts(tables: dict[str, pd.DataFrame]) -> None:
    cpp = tables["cpp"]
    assert sorted(cpp.FeatureCode.str[:3].value_counts().to_dict().items()) == [("S12", 32 * 267), ("S92", 267)]
    assert cpp.Measurement.nunique() == 20
    for key in ("igz_aug22", "igz_sep23"):
        per = tables[key].groupby(["Measurement", "DateCode"]).FeatureCode.nunique()
        assert per.nunique() == 1 and per.iloc[0] == 1279
    per = tables["dz"].groupby(["Measurement", "DateCode"]).FeatureCode.nunique()
    assert set(per) == {6976}


def test_spot_values_equal_the_published_cells(tables: dict[str, pd.DataFrame]) -> None:
    igz = tables["igz_aug22"]
    row = _one(igz, FeatureCode="S02001236", DateCode="2019/20", Measurement="Child Poverty")
    cell = _cell(FILES["igz_aug22"], row._source_sheet, row._source_row, 12)
    assert row._source_column == "Child Poverty_Raw data_2019/20" and row.ValueType == "raw"
    assert float(row.Value) == cell and row.Value == repr(cell)
    assert float(row.Value) == pytest.approx(74 / 772 * 100, abs=1e-12)
    phs = tables["phs"]
    count = _one(phs, FeatureCode="S02001236", DateCode="2019/20", Units="Children in low-income families")
    people = _one(phs, FeatureCode="S02001236", DateCode="2019/20",
                  Units="Population aged 0-15 (mid-year at the start of the year)")
    assert (count.Value, people.Value) == ("74", "772")
    assert _cell(FILES["phs"], count._source_sheet, count._source_row, 8) == 74
    oowb = _one(phs, FeatureCode="S02001236", DateCode="2013/14",
                Units="Out-of-work benefit claimants aged 16-64 (mean of the year's quarterly counts)")
    assert oowb.Value == "168"
    cpp = tables["cpp"]
    row = _one(cpp, FeatureCode="S12000033", DateCode="2010/11", Measurement="Healthy Birthweight")
    assert row.Value == repr(_cell(FILES["cpp"], row._source_sheet, row._source_row, 2)) == "90.08333333333333"
    assert _one(tables["attainment"], FeatureCode="S02001236", DateCode="2013/14").Value == "5.71"


def test_withheld_data_zone_cells_are_the_dwp_withheld_counts(tables: dict[str, pd.DataFrame]) -> None:
    phs = tables["phs"]
    dz_counts = phs[phs.FeatureCode.str.startswith("S01") & (phs.Units == "Children in low-income families")]
    dz_people = phs[phs.FeatureCode.str.startswith("S01")
                    & (phs.Units == "Population aged 0-15 (mid-year at the start of the year)")]
    withheld = set(dz_counts[dz_counts.Value == ".."][["FeatureCode", "DateCode"]].itertuples(index=False))
    no_children = set(dz_people[dz_people.Value == "0"][["FeatureCode", "DateCode"]].itertuples(index=False))
    assert len(withheld) == 3453 and len(no_children - withheld) == 3  # S01010206: 5 or 6 children of 0
    assert min(int(v) for v in dz_counts.Value if v != "..") == 5  # so withheld_range is [0, 4]
    dz = tables["dz"]
    child = dz[dz.Measurement == "Child Poverty"]
    blank = set(child[child.Value == ""][["FeatureCode", "DateCode"]].itertuples(index=False))
    assert blank == withheld | no_children  # a blank percentage is a withheld count or a zero population
    assert len(blank) == 3456


def test_counts_and_populations_reproduce_the_published_percentages(tables: dict[str, pd.DataFrame]) -> None:
    """The pairing by period is CPOP's own: count ÷ population x 100 is the Aug-2022 IZ figure."""
    phs, igz = tables["phs"], tables["igz_aug22"]
    for measurement, count_units, people_units in [
        ("Child Poverty", "Children in low-income families", "Population aged 0-15 (mid-year at the start of the year)"),
        ("Out of Work Benefits", "Out-of-work benefit claimants aged 16-64 (mean of the year's quarterly counts)",
         "Population aged 16-64 (mid-year at the start of the year)"),
    ]:
        iz = phs[phs.FeatureCode.str.startswith("S02")].set_index(["FeatureCode", "DateCode"])
        rate = (iz[iz.Units == count_units].Value.astype(float) / iz[iz.Units == people_units].Value.astype(float) * 100)
        published = igz[igz.Measurement == measurement].set_index(["FeatureCode", "DateCode"]).Value
        joined = pd.concat([rate.rename("built"), published.rename("published")], axis=1, join="inner").dropna()
        joined = joined[joined.published != ""]
        assert len(joined) >= 1279 * 7
        assert ((joined.built - joined.published.astype(float)).abs() < 1e-9).all(), measurement


def test_cpp_csv_and_workbook_agree_except_child_poverty(tables: dict[str, pd.DataFrame]) -> None:
    """The CSV is its own dataset; its child poverty labels are moved back a year by the reader
    (``etl.sources.cpop.csvs.APP_LABEL_SHIFT``), its other 19 indicators are the workbook's."""
    key = ["FeatureCode", "DateCode", "Measurement", "Units"]
    both = tables["cpp"].merge(tables["cpp_csv"], on=key, how="outer", suffixes=("_book", "_csv"),
                               validate="one_to_one", indicator=True)
    child = both.Measurement == "Child Poverty"
    rest = both[~child]
    assert (rest._merge == "both").all() and len(rest) == 8811 - 495
    assert (rest.ValueType_book == rest.ValueType_csv).all()
    book, csv = pd.to_numeric(rest.Value_book, errors="coerce"), pd.to_numeric(rest.Value_csv, errors="coerce")
    assert (((book - csv).abs() <= 1e-9) | (book.isna() & csv.isna())).all()
    # child poverty: the CSV now runs 2009/10-2023/24 and the workbook 2010/11-2024/25
    assert set(both[child & (both._merge == "right_only")].DateCode) == {"2009/10"}
    assert set(both[child & (both._merge == "left_only")].DateCode) == {"2024/25"}
    # the same year's count over another year's population: within 3 % of the workbook's
    raw = both[child & both.DateCode.between("2014/15", "2020/21")]
    assert len(raw) == 33 * 7
    assert (abs(raw.Value_csv.astype(float) / raw.Value_book.astype(float) - 1) < 0.03).all()


def test_releases_differ_where_the_publisher_changed_the_measure(tables: dict[str, pd.DataFrame]) -> None:
    aug, sep = tables["igz_aug22"], tables["igz_sep23"]
    assert set(aug[aug.Measurement == "Crime Rate"].Units) == {"Per 10,000 population"}
    assert set(sep[sep.Measurement == "Crime Rate"].Units) == {"Per 10,000 working-age population"}
    assert set(aug[aug.Measurement == "Depopulation"].Units) == {"Index (base period not in the file)"}
    assert set(sep[sep.Measurement == "Depopulation"].Units) == {"Index (2010/11 = 100)"}
    # the Aug-22 crime figures are per 10,000 people, not per 100,000 as the sheet says: times the
    # 2017 populations they add up to about the 244,504 crimes Scotland recorded in 2017/18
    phs = tables["phs"]
    people = phs[phs.Units == "Population, all ages (mid-year at the start of the year)"]
    lookup = pd.read_csv(CPOP.parent / "geography" / "simd2020v2_dz_lookup_data.csv", dtype=str)
    iz_people = people.merge(lookup[["DZ", "IZcode"]], left_on="FeatureCode", right_on="DZ").groupby("IZcode").Value.apply(
        lambda v: v.astype(float).sum())
    rate = aug[(aug.Measurement == "Crime Rate") & (aug.DateCode == "2017/18")].set_index("FeatureCode").Value.astype(float)
    assert (rate * iz_people).sum() / 10_000 == pytest.approx(244_504, rel=0.02)


def test_maps_workbook_is_refused(tables: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(InputError, match="no years"):
        read_cpop_file(CPOP / "datazone data for maps.xlsx")


def test_catalogue_names_rows_the_readers_produce(tables: dict[str, pd.DataFrame]) -> None:
    produced = {(dataset, m, u) for key, (dataset, _rows, _areas) in EXPECTED.items()
                for m, u in tables[key][["Measurement", "Units"]].drop_duplicates().itertuples(index=False)}
    cpop = [i for i in load_catalogue(REAL_CATALOGUE) if i.publisher.startswith("Improvement Service (CPOP)")]
    assert len(cpop) == 20
    for indicator in cpop:
        sides = [*indicator.data.published, indicator.data.numerator, indicator.data.denominator]
        for side in (s for s in sides if s is not None):
            assert (side.dataset, side.measurement, side.units) in produced, (indicator.id, side)
