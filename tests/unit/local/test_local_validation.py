"""Local datasets: reading, guessing the columns, and the quarantine (rows in = accepted + quarantined)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl.demo.postcodes import demo_postcode
from etl.errors import InputError
from etl.local.areas import KnownAreas
from etl.local.guess import guess_columns
from etl.local.metadata import LocalMetadata
from etl.local.periods import out_of_range, to_datecode
from etl.local.service import check_upload
from etl.local.table import read_upload
from tests.fixtures.local import (
    attendance_meta,
    council_attendance_xlsx,
    ctr_meta,
    ctr_postcodes_csv,
)

DATAZONES = [f"S010200{i:02d}" for i in range(1, 41)]
LIVE = [demo_postcode(i) for i in range(30)]
DELETED = ["ZZ99 9AZ", "ZZ99 9BY"]


@pytest.fixture
def areas() -> KnownAreas:
    """Forty data zones; each live postcode in one of the first ten; two terminated postcodes."""
    return KnownAreas(codes={"datazone": set(DATAZONES), "council": {"S12000901"}},
                      postcodes={pc: DATAZONES[i % 10] for i, pc in enumerate(LIVE)},
                      deleted_postcodes=set(DELETED), demo=True)


def _check(path: Path, meta: dict, areas: KnownAreas, tmp_settings, **kw):  # noqa: ANN001, ANN202
    return check_upload(path, LocalMetadata.model_validate(meta), tmp_settings, areas=areas, **kw)


def test_periods_are_read_as_officers_write_them() -> None:
    assert to_datecode("2019") == "2019"
    assert to_datecode("2019/20") == "2019/2020"
    assert to_datecode("FY 2019-20") == "2019/2020"
    assert to_datecode("1999/00") == "1999/2000"
    assert to_datecode("2017-2019") == "2017-2019"
    assert to_datecode("last year") is None
    assert to_datecode("2020/19") is None
    assert out_of_range("2027", date(2026, 12, 3)) is not None
    assert out_of_range("1999/2000", date(2026, 12, 3)) is not None
    assert out_of_range("2026", date(2026, 12, 3)) is None


def test_wide_workbook_guess(tmp_path: Path) -> None:
    fixture = council_attendance_xlsx(tmp_path / "attendance.xlsx", DATAZONES)
    table = read_upload(fixture.path)
    guess = guess_columns(table)
    assert (table.sheet, table.sheets) == ("Attendance", ["Attendance", "Notes"])
    assert guess.geography_column == "Data Zone" and guess.geography_level == "datazone"
    assert guess.layout == "wide"
    assert guess.period_columns == {"2019/20": "2019/2020", "2020/21": "2020/2021", "2021/22": "2021/2022",
                                    "2022/23": "2022/2023"}


def test_long_postcode_guess(tmp_path: Path) -> None:
    fixture = ctr_postcodes_csv(tmp_path / "ctr.csv", LIVE, DELETED)
    guess = guess_columns(read_upload(fixture.path))
    assert (guess.geography_column, guess.geography_level, guess.layout) == ("Postcode", "postcode", "long")
    assert (guess.period_column, guess.value_column) == ("Financial year", "Households receiving CTR")


def test_a_chosen_sheet_and_a_missing_one(tmp_path: Path) -> None:
    fixture = council_attendance_xlsx(tmp_path / "attendance.xlsx", DATAZONES)
    with pytest.raises(InputError, match="no column looks like area codes"):
        guess_columns(read_upload(fixture.path, "Notes"))
    with pytest.raises(InputError, match="no sheet 'Data'.*Attendance, Notes"):
        read_upload(fixture.path, "Data")


def test_a_named_column_that_does_not_exist(tmp_path: Path) -> None:
    fixture = ctr_postcodes_csv(tmp_path / "ctr.csv", LIVE, DELETED)
    with pytest.raises(InputError, match="no column 'Year'") as caught:
        guess_columns(read_upload(fixture.path), period_column="Year")
    assert caught.value.column == "Year" and caught.value.row == 1


@pytest.mark.parametrize("kind", ["attendance", "ctr"])
def test_rows_in_equal_accepted_plus_quarantined(kind: str, tmp_path: Path, areas: KnownAreas, tmp_settings) -> None:
    """Every fixture: the counts are the ones placed by construction, and no record is lost."""
    if kind == "attendance":
        fixture, meta = council_attendance_xlsx(tmp_path / "a.xlsx", DATAZONES), attendance_meta()
    else:
        fixture, meta = ctr_postcodes_csv(tmp_path / "c.csv", LIVE, DELETED), ctr_meta()
    checked = _check(fixture.path, meta, areas, tmp_settings)
    report = checked.validation.report
    assert report.rows_read == fixture.records
    assert report.rows_read == report.accepted + report.quarantined
    assert report.quarantined == len(checked.validation.quarantine)
    assert report.accepted == fixture.accepted
    assert report.reasons == dict(sorted(fixture.expected.items()))
    assert (checked.validation.quarantine["detail"] != "").all()


def test_quarantine_names_row_and_column(tmp_path: Path, areas: KnownAreas, tmp_settings) -> None:
    fixture = council_attendance_xlsx(tmp_path / "a.xlsx", DATAZONES)
    q = _check(fixture.path, attendance_meta(), areas, tmp_settings).validation.quarantine.set_index("reason")
    assert (q.loc["non_numeric", "row"], q.loc["non_numeric", "column"]) == (2, "2019/20")
    assert (q.loc["negative", "row"], q.loc["negative", "column"]) == (3, "2020/21")
    assert (q.loc["not_whole", "row"], q.loc["not_whole", "column"]) == (4, "2021/22")
    unknown = q.loc["unknown_code"]
    assert set(unknown["row"]) == {len(DATAZONES) + 1}  # header, 39 data zones, then it and set(unknown["column"]) == {"Data Zone"}


def test_postcodes_are_counted_into_their_data_zones(tmp_path: Path, areas: KnownAreas, tmp_settings) -> None:
    fixture = ctr_postcodes_csv(tmp_path / "c.csv", LIVE, DELETED)
    tidy = _check(fixture.path, ctr_meta(), areas, tmp_settings).validation.tidy
    assert set(tidy["FeatureCode"]) == set(DATAZONES[:10])
    import pandas as pd

    raw = pd.read_csv(fixture.path, dtype=str)
    raw["pc"] = raw["Postcode"].str.replace(" ", "").str.upper()
    first = raw[(raw["Financial year"] == "2021/22")].drop_duplicates("pc")  # the repeated row is quarantined
    in_dz = {pc.replace(" ", "") for i, pc in enumerate(LIVE) if i % 10 == 0}
    expected = first[first["pc"].isin(in_dz)]["Households receiving CTR"].astype(int).sum()
    row = tidy[(tidy["FeatureCode"] == DATAZONES[0]) & (tidy["DateCode"] == "2021/2022")]
    assert row["numerator"].item() == expected


def test_wide_file_with_a_denominator_column_is_refused(tmp_path: Path, areas: KnownAreas, tmp_settings) -> None:
    fixture = council_attendance_xlsx(tmp_path / "a.xlsx", DATAZONES)
    meta = attendance_meta(denominator={"kind": "column", "column": "Data zone name", "definition": "x x x"})
    with pytest.raises(InputError, match="one column per year"):
        _check(fixture.path, meta, areas, tmp_settings)


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "data.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match="cannot be read"):
        read_upload(path)
    cut = tmp_path / "cut.csv"
    cut.write_text("Data Zone,2019\nS01020001,1\nS01020002", encoding="utf-8")
    with pytest.raises(InputError, match="value for '2019' is missing|cut short"):
        read_upload(cut)


def test_a_ward_file_is_refused_with_the_reason(tmp_path: Path, areas: KnownAreas, tmp_settings) -> None:
    path = tmp_path / "wards.csv"
    path.write_text("Ward,Year,Count\nS13009001,2022,10\nS13009002,2022,12\n", encoding="utf-8")
    with pytest.raises(InputError, match="ward-level file cannot be added yet") as caught:
        _check(path, attendance_meta(), areas, tmp_settings)
    assert caught.value.column == "Ward"
