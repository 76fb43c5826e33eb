"""CPOP readers on small hand-made workbooks and CSVs, one per layout, with the errors they raise."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl.errors import InputError
from etl.sources.cpop import READER, read_cpop_file
from etl.sources.published import check_table


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _read(path: Path) -> dict[str, pd.DataFrame]:
    tables = read_cpop_file(path)
    for table in tables:
        check_table(table, path)
    return {t.dataset: t.frame for t in tables}


def _value(frame: pd.DataFrame, code: str, period: str, units: str | None = None) -> pd.Series:
    rows = frame[(frame.FeatureCode == code) & (frame.DateCode == period)]
    if units is not None:
        rows = rows[rows.Units == units]
    assert len(rows) == 1, rows
    return rows.iloc[0]


CPP_SHEETS = {
    "Front page - notes on data": [["Raw Data file for Shiny App"], ["Indicators which contain rolled data ..."]],
    "Chi Pov - CPP": [
        [None, "Child Poverty_Imputed_2013/14", "Child Poverty_Raw data_2014/15", "Child Poverty_Projected_2022/23", None],
        ["Aberdeen City", 9.471779415336808, 9.832592283130912, 17.157468738552765, None],
        ["Edinburgh, City of", 8.0, 8.5, 9, None],
        ["Scotland", 13.4, 14.055020575363786, 21.8, None],
        [None, None, None, None, None],
    ],
    "Depopulation": [
        [" ", "Depopulation_Raw data_2010/11", "Depopulation_Raw data_2011/12"],
        ["Aberdeen City", 100, 98.8],
        ["Edinburgh, City of", 100, 101.5],
        ["Scotland", 99.99999999999996, 99.5],
    ],
    "P1BMI - Rolled": [
        [None, "Primary 1 Body Mass Index_Raw data_2010/11"],
        ["Inverclyde", None],
        ["Scotland", 84.8],
    ],
}


def test_cpp_workbook_gives_council_codes_types_periods_and_exact_values(tmp_path: Path) -> None:
    frame = _read(_workbook(tmp_path / "cpp.xlsx", CPP_SHEETS))["cpop-cpp"]
    aberdeen = _value(frame[frame.Measurement == "Child Poverty"], "S12000033", "2014/15")
    assert aberdeen.Value == "9.832592283130912" and float(aberdeen.Value) == 9.832592283130912
    assert (aberdeen.ValueType, aberdeen.Units) == ("raw", "Percent")
    assert (aberdeen._source_sheet, aberdeen._source_row, aberdeen._source_column) == (
        "Chi Pov - CPP", 2, "Child Poverty_Raw data_2014/15")
    child = frame[frame.Measurement == "Child Poverty"]
    assert set(child.FeatureCode) == {"S12000033", "S12000036", "S92000003"}
    assert dict(zip(child.DateCode, child.ValueType, strict=False)) == {
        "2013/14": "imputed", "2014/15": "raw", "2022/23": "projected"}
    assert _value(child, "S12000036", "2022/23").Value == "9"  # an integer cell stays an integer
    # an index names its base period: the first in which every area is 100
    assert set(frame[frame.Measurement == "Depopulation"].Units) == {"Index (2010/11 = 100)"}
    # an empty cell inside the table is a row with no figure; trailing rows and columns are not rows
    assert _value(frame, "S12000018", "2010/11").Value == ""
    assert len(frame) == 3 * 3 + 3 * 2 + 2


def test_cpp_app_csv_gives_the_workbook_rows_with_child_poverty_labels_reconciled(tmp_path: Path) -> None:
    workbook = _read(_workbook(tmp_path / "cpp.xlsx", CPP_SHEETS))["cpop-cpp"]
    lines = ["CPP,Indicator,Type,Year,value,IndicatorFullName,FG"]
    for _, row in workbook.iterrows():
        name = {"S12000033": "Aberdeen City", "S12000036": "Edinburgh, City of", "S12000018": "Inverclyde",
                "S92000003": "Scotland"}[row.FeatureCode]
        kind = {"raw": "Raw data", "imputed": "Imputed", "projected": "Projected"}[row.ValueType]
        lines.append(f'"{name}",{row.Measurement},{kind},{row.DateCode},{row.Value or "NA"},{row.Measurement},1')
    (tmp_path / "CPPcleandata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    csv_frame = _read(tmp_path / "CPPcleandata.csv")["cpop-cpp-app"]
    key = ["FeatureCode", "DateCode", "Measurement", "Units", "Value", "ValueType"]
    # the app CSV labels child poverty a year later than the workbook: its labels are moved back
    # a year (etl/sources/cpop/csvs.py, APP_LABEL_SHIFT), so a CSV written with the workbook's
    # labels comes out one year earlier for child poverty and unchanged for everything else
    poverty = workbook.Measurement == "Child Poverty"
    expected = workbook.copy()
    expected.loc[poverty, "DateCode"] = [f"{int(d[:4]) - 1}/{int(d[:4]) % 100:02d}" for d in workbook.DateCode[poverty]]
    pd.testing.assert_frame_equal(csv_frame[key].sort_values(key).reset_index(drop=True),
                                  expected[key].sort_values(key).reset_index(drop=True))
    assert csv_frame._source_row.min() == 2 and set(csv_frame._source_column) == {"value"}


def test_igz_and_dz_workbooks(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "igz.xlsx", {
        "Labels": [["InterZone", "InterZone_Name", "CPP", "Typology_Group", "Typology_Name"],
                   ["S02001236", "Culter", "Aberdeen City", 1, "x"]],
        "Chi Pov - IGZ ": [["InterZone", "Child Poverty_Raw data_2019/20", "Child Poverty_Raw data_2020/21"],
                           ["S02001236", 9.58549222797927, ""], ["S02001237", 4.9, 3.8]],
        "Total crimes per 100,000 - IGZ": [["InterZone", "Crime Rate_Raw data_2019/20"], ["S02001236", 309.6]],
        "Educational Attainment": [["InterZone", "Attainment_Raw_2020/21"], ["S02001236", 5.8]],
        "Depopulation - IGZ": [["InterZone", "Depopulation_Raw data_2009/10"], ["S02001236", 103.3]],
    })
    frame = _read(path)["cpop-igz"]
    assert _value(frame, "S02001236", "2019/20", "Percent").Value == "9.58549222797927"
    assert _value(frame, "S02001236", "2020/21", "Percent").Value == ""  # blank cell: no figure
    # the sheet says "per 100,000" but the figures are per 10,000 people (measures.py)
    assert _value(frame, "S02001236", "2019/20", "Per 10,000 population").Measurement == "Crime Rate"
    assert _value(frame, "S02001236", "2020/21", "Score").ValueType == "raw"  # 'Raw' as well as 'Raw data'
    assert _value(frame, "S02001236", "2009/10").Units == "Index (base period not in the file)"

    path = _workbook(tmp_path / "dz.xlsx", {
        "Labels": [["DZ", "CPP", "SIMD Rank: Scotland", "SIMD Rank: CPP"], ["S01006506", "Aberdeen City", 5272, 158]],
        "Chi Pov - DZ": [["DZ", "Child Poverty_Raw data_2014/15"], ["S01006506", 3.27], ["S01006507", ""]],
        "Educational attainment": [["DZ", "Attainment_Raw data_2013/14", None], ["S01006506", "#N/A", None]],
        "Crime": [["DZ", "Crime_Raw data_2017/18"], ["S01006506", 192.05]],
    })
    frame = _read(path)["cpop-dz"]
    assert len(frame) == 4
    assert _value(frame, "S01006507", "2014/15").Value == ""
    assert _value(frame, "S01006506", "2013/14").Value == ""  # an Excel error is no figure, never 0
    assert _value(frame, "S01006506", "2017/18").Units == "SIMD crimes per 10,000 working-age population"


def _phs_sheets() -> dict[str, list[list[object]]]:
    return {
        "Child Poverty - DZ": [
            ["Children in low-income households", None, None, None, None, None, "Population 0-15"],
            ["S-code", "Council", "2018/19", "2019/20", None, "S-code", "Council", 2018, 2019],
            ["S01006506", "Aberdeen City", 13, "..", None, "S01006506", "Aberdeen City", 145, 144],
            ["S01006507", "Aberdeen City", 25, 22, None, "S01006507", "Aberdeen City", 122, 118],
            [None, None, "#N/A", "#N/A", None, None, None, "#N/A", "#N/A"],
        ],
        "OOWB - IGZ": [
            [None, None, "Total claiming OOWB (average for financial year)", None, None, None, None,
             "Working age population"],
            ["Average", "LA Name", "2013/14", None, None, None, "CPP", 2013],
            ["S02001236", "Aberdeen City", 168, None, None, "S02001236", "Aberdeen City", 3172],
        ],
        "Crime - DZ": [
            ["Data_Zone", "Intermediate_Zone", "Council_area", "crime_count", "Total population 2017",
             "WA population 2017"],
            ["S01006506", "Culter", "Aberdeen City", 11.1391881733901, 894, 580],
            ["S01006511", "Culter", "Aberdeen City", "*", 759, 453],
        ],
    }


def test_counts_workbook_pairs_each_count_with_its_population_by_period(tmp_path: Path) -> None:
    frame = _read(_workbook(tmp_path / "phs.xlsx", _phs_sheets()))["cpop-phs"]
    children, population = "Children in low-income families", "Population aged 0-15 (mid-year at the start of the year)"
    assert _value(frame, "S01006506", "2018/19", children).Value == "13"
    assert _value(frame, "S01006506", "2018/19", population).Value == "145"  # mid-2018 → 2018/19
    withheld = _value(frame, "S01006506", "2019/20", children)
    assert withheld.Value == ".." and withheld._source_row == 3
    assert withheld._source_column == "Children in low-income households: 2019/20"
    assert set(frame[frame.Measurement == "Child Poverty"].FeatureCode) == {"S01006506", "S01006507"}
    claimants = _value(frame, "S02001236", "2013/14",
                       "Out-of-work benefit claimants aged 16-64 (mean of the year's quarterly counts)")
    assert claimants.Value == "168"
    assert _value(frame, "S02001236", "2013/14", "Population aged 16-64 (mid-year at the start of the year)").Value == "3172"
    crime = frame[frame.Measurement == "Crime"]
    assert set(crime.DateCode) == {"2017/18"}
    assert _value(crime, "S01006511", "2017/18", "SIMD 2020 crimes (count)").Value == "*"
    assert _value(crime, "S01006506", "2017/18", "SIMD 2020 crimes (count)").Value == "11.1391881733901"


def test_counts_workbook_refuses_blocks_that_name_different_areas(tmp_path: Path) -> None:
    sheets = _phs_sheets()
    sheets["Child Poverty - DZ"][3][5] = "S01006508"
    with pytest.raises(InputError) as caught:
        read_cpop_file(_workbook(tmp_path / "phs.xlsx", sheets))
    assert caught.value.row == 4 and "different areas" in caught.value.reason
    assert "Child Poverty - DZ" in caught.value.column


def test_statistics_gov_scot_pulls(tmp_path: Path) -> None:
    (tmp_path / "under_16_population.csv").write_text(
        '"CPP","Year","child_population"\n"Eilean Siar",2004,3961\n"Scotland",2004,912345\n', encoding="utf-8")
    frame = _read(tmp_path / "under_16_population.csv")["cpop-population-cpp"]
    assert _value(frame, "S12000013", "2004").Value == "3961"
    assert set(frame.Units) == {"People aged 0-15"}
    (tmp_path / "educational_attainment_iz.csv").write_text(
        '"value","Year","IZCode","IZName","CPP","Indicator","Type"\n'
        '5.71,"2011/12-2013/14","S02001236","Culter","Aberdeen City","Attainment","Raw"\n', encoding="utf-8")
    frame = _read(tmp_path / "educational_attainment_iz.csv")["cpop-attainment-iz"]
    row = _value(frame, "S02001236", "2013/14")  # rolled: the label of the last year
    assert (row.Value, row.Units, row.ValueType) == ("5.71", "Score", "raw")


def test_unknown_council_names_file_sheet_row_and_column(tmp_path: Path) -> None:
    sheets = {"Chi Pov - CPP": [[None, "Child Poverty_Raw data_2014/15"], ["Aberdeen City", 9.8],
                                ["Atlantis", 5.0]]}
    with pytest.raises(InputError) as caught:
        read_cpop_file(_workbook(tmp_path / "cpp.xlsx", sheets))
    error = caught.value
    assert error.file.endswith("cpp.xlsx") and error.row == 3 and "Atlantis" in error.reason
    assert "Chi Pov - CPP" in error.column
    (tmp_path / "CPPcleandata.csv").write_text("CPP,Indicator,Type,Year,value\nAtlantis,Child Poverty,Raw data,2014/15,5\n",
                                               encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_cpop_file(tmp_path / "CPPcleandata.csv")
    assert (caught.value.row, caught.value.column) == (2, "CPP")


@pytest.mark.parametrize(("heading", "reason"), [
    ("Child Poverty_Raw data_2014-15", "not a CPOP year label"),
    ("Child Poverty_Final_2014/15", "not a CPOP value type"),
    ("Happiness_Raw data_2014/15", "units of"),
])
def test_bad_headings_name_the_cell(tmp_path: Path, heading: str, reason: str) -> None:
    path = _workbook(tmp_path / "cpp.xlsx", {"Sheet": [[None, heading], ["Fife", 1.0]]})
    with pytest.raises(InputError) as caught:
        read_cpop_file(path)
    assert reason in caught.value.reason and caught.value.row == 1 and heading in caught.value.column


def test_figures_without_an_area_or_a_heading_are_errors(tmp_path: Path) -> None:
    no_area = {"Sheet": [[None, "Child Poverty_Raw data_2014/15"], ["Fife", 1.0], [None, 2.0]]}
    with pytest.raises(InputError, match="no area"):
        read_cpop_file(_workbook(tmp_path / "a.xlsx", no_area))
    no_heading = {"Sheet": [[None, "Child Poverty_Raw data_2014/15", None], ["Fife", 1.0, 2.0]]}
    with pytest.raises(InputError, match="no heading"):
        read_cpop_file(_workbook(tmp_path / "b.xlsx", no_heading))
    text = {"Sheet": [[None, "Child Poverty_Raw data_2014/15"], ["Fife", "n/a"]]}
    with pytest.raises(InputError, match="not a number"):
        read_cpop_file(_workbook(tmp_path / "c.xlsx", text))
    twice = {"Sheet": [[None, "Child Poverty_Raw data_2014/15"], ["Fife", 1.0], ["Fife", 1.0]]}
    with pytest.raises(InputError, match="given twice"):
        read_cpop_file(_workbook(tmp_path / "d.xlsx", twice))


def test_unrecognised_files_are_errors_naming_the_accepted_layouts(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "Family Groups.xlsx", {"Sheet1": [["Council", "deprivationFG_2012"], ["Fife", 3]]})
    with pytest.raises(InputError) as caught:
        read_cpop_file(path)
    assert "not a CPOP layout" in caught.value.reason and "one sheet per indicator" in caught.value.hint
    (tmp_path / "Metadata.csv").write_text("Indicator,Definition\nCrime Rate,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a CPOP layout"):
        read_cpop_file(tmp_path / "Metadata.csv")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a CPOP layout"):
        read_cpop_file(tmp_path / "notes.txt")


def test_a_stray_sheet_in_an_indicator_workbook_is_named(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "igz.xlsx", {
        "Chi Pov - IGZ": [["InterZone", "Child Poverty_Raw data_2019/20"], ["S02001236", 9.5]],
        "Notes": [["Changes since last year"]]})
    with pytest.raises(InputError) as caught:
        read_cpop_file(path)
    assert "sheet 'Notes'" in caught.value.reason


def test_maps_workbook_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "datazone data for maps.xlsx", {"Sheet1": [
        ["Datazone", "CPP", "IGZ", "% of children in poverty", "Average highest attainment"],
        ["S01006506", "Aberdeen City", "Culter", 6.7, 5.6]]})
    with pytest.raises(InputError, match="no years"):
        read_cpop_file(path)


def test_reader_is_the_cpop_source() -> None:
    assert READER.source == "cpop" and set(READER.suffixes) == {".xlsx", ".csv"}
    assert READER.read is read_cpop_file


def test_tables_survive_the_snapshot_and_land(tmp_path: Path) -> None:
    import duckdb

    from etl.sources.files import RawFile
    from etl.sources.published import land_tables, read_snapshot_tables, write_snapshot_tables

    path = _workbook(tmp_path / "phs.xlsx", _phs_sheets())
    tables = read_cpop_file(path)
    write_snapshot_tables(tables, tmp_path / "phs.snapshot.parquet")
    again = read_snapshot_tables(tmp_path / "phs.snapshot.parquet")
    assert [t.dataset for t in again] == ["cpop-phs"]
    pd.testing.assert_frame_equal(again[0].frame.astype(str), tables[0].frame.astype(str), check_dtype=False)
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    assert land_tables(con, tables, RawFile("cpop", "2022-08", path)) == len(tables[0].frame)
    assert con.execute("SELECT count(*) FROM raw.published__observations WHERE \"Value\" = '..'").fetchone() == (1,)
