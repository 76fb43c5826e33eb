"""SIMD indicator files (2020v2 CSV and the SIMD16 workbook) read on small hand-made files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.errors import InputError
from etl.sources.published import check_table
from etl.sources.simd_indicators import BASE_UNITS, DATASET, READER, REFERENCE_PERIODS, read

HEAD_2020 = ("dz11_code,Total_population,Working_age_population,Income_rate,Income_count,Employment_rate,"
             "Employment_count,CIF,Attendance,no_qualifications,Broadband,crime_count,crime_rate,"
             "overcrowded_count,nocentralheat_count,overcrowded_rate,nocentralheat_rate")
ROWS_2020 = [
    # a zone with 3 crimes scaled by its council's factor 1.0136 (SIMD grosses crimes up)
    "S01000001,894,580,0.08,71,0.08,49,65,0.852,52.7,0.105,3.0408,34.01342281879195,87,10,0.102112676,0.011737089",
    # a zone whose crime count is withheld (*) and whose overcrowding count is 0
    "S01000002,793,470,0.05,43,0.05,25,45,*,95.8,0.013,*,*,0,4,0,0.004784689",
    # a zone with nobody in it: blank rates, both housing counts 0
    "S01000003,0,0,,0,,0,,*,353.0,,*,*,0,0,0,0",
]


def _csv(folder: Path, head: str = HEAD_2020, rows: list[str] = ROWS_2020, name: str = "simd.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


def _cell(frame: pd.DataFrame, code: str, measurement: str, units: str) -> pd.Series:
    rows = frame[(frame.FeatureCode == code) & (frame.Measurement == measurement) & (frame.Units == units)]
    assert len(rows) == 1, (code, measurement, units)
    return rows.iloc[0]


def test_2020_counts_bases_and_periods(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    [table] = read(path)
    check_table(table, path)
    frame = table.frame
    assert table.dataset == DATASET and READER.source == "simd_indicators"
    income = _cell(frame, "S01000001", "Income deprived", "People")
    assert (income.Value, income.DateCode, income._source_row, income._source_column) == ("71", "2017", 2, "Income_count")
    base = _cell(frame, "S01000001", "Income deprived", BASE_UNITS)
    assert (base.Value, base.DateCode, base._source_column) == ("894", "2017", "Total_population")
    assert _cell(frame, "S01000001", "Employment deprived", BASE_UNITS).Value == "580"
    # crimes are 2017/18 but their base is the 2017 population, given the crimes' period
    crime_base = _cell(frame, "S01000001", "SIMD crimes", BASE_UNITS)
    assert (crime_base.Value, crime_base.DateCode) == ("894", "2017/18")
    assert _cell(frame, "S01000001", "SIMD crimes", "Crimes").Value == "3.0408"  # text as published
    assert _cell(frame, "S01000001", "Comparative illness factor", "Standardised ratio").DateCode == \
        REFERENCE_PERIODS["cif"].simd2020
    assert _cell(frame, "S01000001", "Total population", "People").DateCode == "2017"


def test_withheld_and_blank_cells_are_kept(tmp_path: Path) -> None:
    [table] = read(_csv(tmp_path))
    frame = table.frame
    assert _cell(frame, "S01000002", "SIMD crimes", "Crimes").Value == "*"
    assert _cell(frame, "S01000002", "School pupil attendance", "Proportion").Value == "*"
    assert _cell(frame, "S01000003", "Income deprived", "Proportion").Value == ""


def test_household_base_is_derived_from_either_housing_pair(tmp_path: Path) -> None:
    [table] = read(_csv(tmp_path))
    frame = table.frame
    # 87 / 0.102112676 = 852.0: the census population in households
    first = _cell(frame, "S01000001", "People in overcrowded households", BASE_UNITS)
    assert (first.Value, first.DateCode) == ("852", "2011")
    assert _cell(frame, "S01000001", "People in households without central heating", BASE_UNITS).Value == "852"
    # no overcrowded people: the base comes from the central heating pair, 4 / 0.004784689 = 836
    assert _cell(frame, "S01000002", "People in overcrowded households", BASE_UNITS).Value == "836"
    # both counts 0: no base can be derived; the total population stands in (0 people in this row)
    assert _cell(frame, "S01000003", "People in overcrowded households", BASE_UNITS).Value == "0"


def test_2016_workbook_layout(tmp_path: Path) -> None:
    data = pd.DataFrame({
        "Data_Zone": ["S01000001", "S01000002"], "Intermediate_Zone": ["Culter", "Culter"],
        "Council_area": ["Aberdeen City", "Aberdeen City"], "Total_population": [904, 0],
        "Working_age_population_revised": [605, 0], "Income_rate": [0.07, "#VALUE!"], "Income_count": [60, 0],
        "Noquals": [52.7586310345359, 10.5], "NEET": [0.03, 0.0], "HESA": [0.13, "*"], "SMR": [67, 80],
        "crime_count": [8.00642939150402, "*"], "crime_rate": [88.5666968086728, "*"],
    })
    path = tmp_path / "SIMD16 indicator data.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"x": ["Contents"]}).to_excel(writer, sheet_name="Contents & Notes", index=False)
        data.to_excel(writer, sheet_name="Data", index=False)
    [table] = read(path)
    check_table(table, path)
    frame = table.frame
    income = _cell(frame, "S01000001", "Income deprived", "People")
    assert (income.Value, income.DateCode, income._source_sheet, income._source_row) == ("60", "2014", "Data", 2)
    assert _cell(frame, "S01000001", "Income deprived", BASE_UNITS).Value == "904"
    assert _cell(frame, "S01000001", "SIMD crimes", "Crimes").DateCode == "2014/15"
    assert _cell(frame, "S01000001", "Standardised mortality ratio", "Standardised ratio").DateCode == "2011-2014"
    # an Excel error cell (a rate over a zero population) is blank, not a number
    assert _cell(frame, "S01000002", "Income deprived", "Proportion").Value == ""
    # the 2011 census series has the same period and measurement in both editions
    assert _cell(frame, "S01000001", "Working-age people with no qualifications", "Standardised ratio").DateCode == "2011"
    # SIMD16's NEET and HESA are not read (their periods are not established)
    assert not frame.Measurement.str.contains("16-19|17-21").any()


def test_bad_code_names_file_row_and_column(tmp_path: Path) -> None:
    rows = [ROWS_2020[0], ROWS_2020[1].replace("S01000002", "S02001236")]
    with pytest.raises(InputError) as err:
        read(_csv(tmp_path, rows=rows))
    assert err.value.row == 3 and err.value.column == "dz11_code" and "S02001236" in err.value.reason


def test_bad_value_names_file_row_and_column(tmp_path: Path) -> None:
    rows = [ROWS_2020[0], ROWS_2020[1].replace(",45,*,", ",forty-five,*,")]
    with pytest.raises(InputError) as err:
        read(_csv(tmp_path, rows=rows))
    assert (err.value.row, err.value.column) == (3, "CIF")
    assert "forty-five" in err.value.reason and "simd.csv" in str(err.value)


def test_duplicate_zone_and_unknown_layout_fail(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="appears twice"):
        read(_csv(tmp_path / "a", rows=[ROWS_2020[0], ROWS_2020[0]]))
    with pytest.raises(InputError, match="edition"):
        read(_csv(tmp_path / "b", head="dz11_code,Total_population", rows=["S01000001,894"]))
    with pytest.raises(InputError, match="data zone code"):
        read(_csv(tmp_path / "c", head=HEAD_2020.replace("dz11_code", "zone")))
