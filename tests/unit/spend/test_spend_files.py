"""Reading and checking spend files: every refused row named, none lost."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.errors import InputError
from etl.spend.read import read_spend_file
from etl.spend.store import SpendStore, dataset_id_for
from etl.spend.validate import check_rows, guess_level, parse_amount, parse_year

AREAS = pd.DataFrame([
    ("locality", "S99009001", "Riverside", "S12000901", "Eastshire"),
    ("locality", "S99009002", "Hilltop", "S12000901", "Eastshire"),
    ("locality", "S99009003", "Riverside", "S12000902", "Westshire"),
    ("intermediate_zone", "S02000001", "Old Town", "S12000901", "Eastshire"),
    ("datazone", "S01000001", "Old Town 01", "S12000901", "Eastshire"),
    ("datazone", "S01000002", "Old Town 02", "S12000901", "Eastshire"),
], columns=["area_type", "area_code", "area_name", "council_code", "council_name"])


def _write(tmp_path: Path, text: str, name: str = "spend.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_years_and_amounts() -> None:
    assert parse_year("2023") == (2023, "2023")
    assert parse_year("2023/24") == (2023, "2023/24")
    assert parse_year("2023-2024") == (2023, "2023/24")
    assert parse_year("2023/25") is None and parse_year("FY") is None and parse_year("23") is None
    assert parse_amount("£1,234.50") == 1234.5
    assert parse_amount("-2,500") == -2500
    assert parse_amount("tbc") is None and parse_amount("") is None


def test_level_is_guessed_from_codes() -> None:
    assert guess_level(pd.Series(["S01000001", "S01000002", "x"])) == "datazone"
    assert guess_level(pd.Series(["S02000001"])) == "intermediate_zone"
    assert guess_level(pd.Series(["Riverside", "Hilltop"])) == "locality"


def test_every_row_is_accepted_or_quarantined_with_its_reason(tmp_path: Path) -> None:
    path = _write(tmp_path, "Council,Locality,Service,Year,Amount\n"
                  "Eastshire,Riverside,Youth work,2023/24,\"1,000\"\n"   # row 2 accepted (Eastshire's Riverside)
                  "Westshire,Riverside,Youth work,2023/24,500\n"         # row 3 accepted (another council's)
                  "Eastshire,Nowhere,Youth work,2023/24,10\n"           # row 4 unknown locality
                  "Eastshire,Hilltop,Youth work,next year,10\n"         # row 5 not a year
                  "Eastshire,Hilltop,Youth work,2023,-1\n"              # row 6 negative
                  "Eastshire,Hilltop,,2023,1\n"                         # row 7 no service
                  "\n"                                                  # row 8 blank: no row
                  "Eastshire,riverside ,youth work,2023,7\n"            # row 9 duplicate of row 2
                  "Northshire,Hilltop,Youth work,2023,1\n"              # row 10 unknown council
                  ",S02000001,Youth work,2023,1\n")                      # row 11 an IZ in a locality file
    rows, roles = read_spend_file(path)
    checked = check_rows(rows, roles, AREAS)
    assert checked.level == "locality"
    assert checked.rows_read == len(checked.accepted) + len(checked.quarantined) == 9
    assert list(checked.accepted.area_code) == ["S99009001", "S99009003"]
    assert list(checked.accepted.amount) == [1000.0, 500.0]
    assert list(checked.accepted.period_label) == ["2023/24", "2023/24"]
    reasons = {int(r["_source_row"]): (r["column"], r["reason"]) for r in checked.quarantined.to_dict("records")}
    assert reasons[4] == ("Locality", "unknown locality 'Nowhere'")
    assert reasons[5][0] == "Year" and "not a year" in reasons[5][1]
    assert reasons[6][0] == "Amount" and "negative" in reasons[6][1]
    assert reasons[7][0] == "Service"
    assert reasons[9] == ("Locality", "duplicate of row 2 (same area, year and service)")
    assert reasons[10] == ("Council", "unknown council 'Northshire'")
    assert reasons[11] == ("Locality", "'S02000001' is an intermediate zone code, but this file is by locality")


def test_a_locality_name_in_two_councils_needs_the_council(tmp_path: Path) -> None:
    rows, roles = read_spend_file(_write(tmp_path, "locality,year,amount\nRiverside,2023,5\nHilltop,2023,6\n"))
    checked = check_rows(rows, roles, AREAS)
    assert list(checked.accepted.area_name) == ["Hilltop"]
    assert "several councils" in checked.quarantined.reason.iloc[0]
    assert len(check_rows(rows, roles, AREAS, council="S12000902").accepted) == 1  # Hilltop is not Westshire's


def test_datazone_codes(tmp_path: Path) -> None:
    rows, roles = read_spend_file(_write(tmp_path, "Data zone,Year,Staff hours\nS01000001,2022,10\nS01000009,2022,3\n"))
    checked = check_rows(rows, roles, AREAS)
    assert checked.level == "datazone" and list(checked.accepted.area_code) == ["S01000001"]
    assert checked.quarantined.reason.iloc[0] == "unknown data zone 'S01000009' (expected an S01 code)"


def test_missing_column_names_the_file_and_headings(tmp_path: Path) -> None:
    path = _write(tmp_path, "locality,when,amount\nHilltop,2023,5\n")
    with pytest.raises(InputError) as caught:
        read_spend_file(path)
    assert caught.value.row == 1 and "no year column" in caught.value.reason and str(path) in str(caught.value)


def test_short_row_is_refused_with_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_spend_file(_write(tmp_path, "locality,year,amount\nHilltop,2023\n"))
    assert caught.value.row == 2 and caught.value.column == "amount"


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="neither a .csv nor an .xlsx"):
        read_spend_file(_write(tmp_path, "x", "spend.txt"))
    with pytest.raises(InputError, match="Excel workbook"):
        read_spend_file(_write(tmp_path, "not a zip", "spend.xlsx"))


def test_store_keeps_raw_tidy_quarantine_and_metadata(tmp_path: Path) -> None:
    path = _write(tmp_path, "locality,council,year,amount\nHilltop,Eastshire,2023,5\n=HYPERLINK(1),Eastshire,2023,1\n")
    store = SpendStore(tmp_path / "user")
    meta, _ = store.add(path, AREAS, title="Youth work", organisation="Eastshire Council", licence="OGL v3")
    assert meta.dataset_id == "youth-work" and meta.units == "£" and meta.measure_label == "Expenditure (£)"
    assert (meta.rows_read, meta.rows_accepted, meta.rows_quarantined) == (2, 1, 1)
    folder = tmp_path / "user" / "spend" / "youth-work"
    assert (folder / "raw-spend.csv").read_text() == path.read_text()
    assert list(store.rows("youth-work").amount) == [5.0]
    assert store.quarantine("youth-work").locality.iloc[0] == "'=HYPERLINK(1)"  # formula-safe
    assert store.quarantine_csv("youth-work").decode().splitlines()[0] == "row,column,reason,locality,council,year,amount"
    assert [m.dataset_id for m in store.list()] == ["youth-work"]
    again, _ = store.add(path, AREAS, title="Youth work", organisation="Eastshire Council", measure_kind="grants")
    assert again.dataset_id == "youth-work-2"
    store.remove("youth-work")
    assert [m.dataset_id for m in store.list()] == ["youth-work-2"]
    (tmp_path / "user" / "spend" / "youth-work-2" / "metadata.json").write_text("{broken", encoding="utf-8")
    assert store.list() == []  # a damaged dataset is left out (and logged), the page still opens
    with pytest.raises(KeyError):
        store.get("../etc")


def test_nothing_is_kept_when_no_row_is_usable(tmp_path: Path) -> None:
    store = SpendStore(tmp_path / "user")
    with pytest.raises(InputError, match="no row could be used; the first refused is row 2"):
        store.add(_write(tmp_path, "locality,year,amount\nNowhere,2023,5\n"), AREAS, title="x", organisation="y")
    assert store.list() == []


def test_xlsx_is_read_like_csv(tmp_path: Path) -> None:
    path = tmp_path / "spend.xlsx"
    pd.DataFrame({"Council": ["Eastshire"], "Locality": ["Hilltop"], "Year": ["2023"], "Amount": ["12.5"]}).to_excel(
        path, index=False)
    rows, roles = read_spend_file(path)
    checked = check_rows(rows, roles, AREAS)
    assert list(checked.accepted.amount) == [12.5] and int(checked.accepted["_source_row"].iloc[0]) == 2


def test_dataset_ids() -> None:
    assert dataset_id_for("Youth work: 2023/24!", set()) == "youth-work-2023-24"
    assert dataset_id_for("£££", {"spend"}) == "spend-2"


def test_the_realistic_fixture_as_a_workbook_is_read_whole(tmp_path: Path) -> None:
    from tests.fixtures.spend.files import SERVICES, YEARS, write_spend_xlsx

    localities = pd.DataFrame({"area_name": ["Riverside", "Hilltop"], "council_name": ["Eastshire", "Eastshire"],
                               "population": [1200, 800], "deprived_share": [0.25, 0.1]})
    rows, roles = read_spend_file(write_spend_xlsx(tmp_path / "spend.xlsx", localities))
    checked = check_rows(rows, roles, AREAS)
    assert len(checked.accepted) == 2 * len(SERVICES) * len(YEARS) and checked.quarantined.empty
    assert set(checked.accepted.area_code) == {"S99009001", "S99009002"}  # Eastshire's Riverside, not Westshire's
    assert set(checked.accepted.period_label) == set(YEARS)
