"""Local partner data is marked "Local data: <organisation> (<restriction>)" in every export: the
Quick profile PDF, workbook and CSV and the board report PDF and workbook; national indicators carry
no marking (issue 15)."""

from __future__ import annotations

import csv
import dataclasses
import io

import pandas as pd
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard.exports import chart_file, render
from dashboard.exports.board_report import (
    board_report_pdf,
    board_report_xlsx,
    exception_rows,
    matrix_rows,
)
from dashboard.exports.charts import chart_svg
from dashboard.exports.profile import ProfileData
from dashboard.logic.local_label import local_label, local_labels
from tests.unit.exports.test_exports_board_report import _report
from tests.unit.exports.test_exports_renderers import _profile

LABEL = "Local data: Fife Council Education Services (CPP partners only)"


def _local_profile() -> ProfileData:
    data = _profile()
    return dataclasses.replace(data, indicators=tuple(dataclasses.replace(i, local_label=LABEL)
                                                      for i in data.indicators))


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _cells(xlsx: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(xlsx))
    return [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]


def test_the_label_names_organisation_and_restriction_and_is_empty_for_national() -> None:
    row = {"is_local": True, "local_organisation": "Fife Council Education Services",
           "sharing_restriction": "CPP partners only"}
    assert local_label(row) == LABEL
    assert local_label({**row, "sharing_restriction": "none"}) == "Local data: Fife Council Education Services"
    assert local_label({"is_local": False, "local_organisation": None}) == "" and local_label({}) == ""

    frame = pd.DataFrame([{"indicator_id": "local_x", **row},
                          {"indicator_id": "ey_cp", "is_local": False, "local_organisation": None,
                           "sharing_restriction": None}])
    assert local_labels(frame) == {"local_x": LABEL}


def test_profile_pdf_marks_the_local_indicator_on_the_summary_and_its_block() -> None:
    text = _pdf_text(render(_local_profile(), "pdf"))
    assert text.count(LABEL) >= 2  # page 1's table and the indicator's own heading
    assert "Local data" not in _pdf_text(render(_profile(), "pdf"))


def test_profile_workbook_and_csv_carry_a_local_data_column() -> None:
    cells = _cells(render(_local_profile(), "xlsx"))
    assert "local_data" in cells and cells.count(LABEL) >= 3  # summary, the priority sheet's rows, metadata
    rows = list(csv.DictReader(io.StringIO(render(_local_profile(), "csv").decode("utf-8-sig").split("\n", 1)[1])))
    assert rows and {r["local_data"] for r in rows} == {LABEL}
    national = list(csv.DictReader(io.StringIO(render(_profile(), "csv").decode("utf-8-sig").split("\n", 1)[1])))
    assert {r["local_data"] for r in national} == {""}
    assert LABEL not in _cells(render(_profile(), "xlsx"))


def test_chart_files_of_a_local_indicator_carry_its_label() -> None:
    local = _local_profile().indicators[0]
    assert LABEL in chart_svg(local).decode() and "Local data" not in chart_svg(_profile().indicators[0]).decode()
    assert chart_file(local, "png")[1][:4] == b"\x89PNG"


def test_board_report_marks_local_rows_in_the_pdf_and_the_workbook() -> None:
    report = dataclasses.replace(_report(), local_labels={"cp": LABEL})
    text = _pdf_text(board_report_pdf(report))
    assert text.count(LABEL) >= 2  # the exception report and the matrix
    [row] = exception_rows(report)
    assert row["Local data"] == LABEL
    assert matrix_rows(report)[0]["Indicator"] == f"Child poverty ({LABEL})"
    assert LABEL in _cells(board_report_xlsx(report))
    national = _report()
    assert "Local data" not in _pdf_text(board_report_pdf(national))
    assert exception_rows(national)[0]["Local data"] == ""
    assert matrix_rows(national)[0]["Indicator"] == "Child poverty"
