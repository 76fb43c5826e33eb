"""The Improvement Service's strategic-areas workbook (Fife's localities) lands as localities."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.errors import InputError
from etl.sources import localities


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in [["AreaCode", "Name", "Council", "Strategic Area"], *rows]:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_strategic_areas_become_localities_with_codes_made_from_their_names(tmp_path: Path) -> None:
    _workbook(tmp_path / "raw" / "localities" / "2023-09" / "Fife Strategic Areas.xlsx",
              [["S02001738", "Kincardine", "Fife", "South West Fife"],
               ["S02001739", "Oakley Comrie and Blairhall", "Fife", "South West Fife"],
               ["S02001700", "Cupar", "Fife", "North East Fife"]])
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    files = localities.load(con, tmp_path / "raw")
    rows = con.execute("SELECT locality_code, locality_name, council_code, area_code, _source_row "
                       "FROM raw.localities__membership ORDER BY _source_row").fetchall()
    assert len(files) == 1
    assert rows == [("S12000047-south-west-fife", "South West Fife", "S12000047", "S02001738", 2),
                    ("S12000047-south-west-fife", "South West Fife", "S12000047", "S02001739", 3),
                    ("S12000047-north-east-fife", "North East Fife", "S12000047", "S02001700", 4)]


def test_an_unknown_council_names_the_cell(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "Fife Strategic Areas.xlsx", [["S02001738", "Kincardine", "Fief", "South West Fife"]])
    with pytest.raises(InputError) as caught:
        localities.strategic_areas(path)
    assert caught.value.row == 2 and caught.value.column == "Council" and "Fief" in str(caught.value)
