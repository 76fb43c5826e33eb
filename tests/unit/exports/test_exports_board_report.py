"""The board report renderers on a hand-made report: words in every cell, suppressed never a number."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard.components.html_table import ATTRIBUTE as TABLE_ATTRIBUTE
from dashboard.components.rag_matrix import matrix_table
from dashboard.exports.board_report import (
    BoardReport,
    board_report_pdf,
    board_report_xlsx,
    exception_rows,
    filename,
    matrix_rows,
)
from dashboard.logic.rag import MATRIX_KEY, exception_items, matrix
from tests.fixtures.dash_callbacks import shown_table

HIDDEN = 4242.4242  # a baseline that must not appear: with no change to show, it is never printed


def _report(with_exceptions: bool = True, frame: pd.DataFrame | None = None) -> BoardReport:
    frame = frame if frame is not None else pd.DataFrame([
        {"indicator_id": "cp", "short_title": "Child poverty", "area_code": "S02000001", "area_name": "Abbey",
         "latest_period_label": "2024/25", "latest_value": 21.0, "trend_verdict": "worsening", "vs_scotland": "worse"},
        {"indicator_id": "cp", "short_title": "Child poverty", "area_code": "S02000002", "area_name": "Burnside",
         "latest_period_label": "2024/25", "latest_value": None, "trend_verdict": "cannot be calculated",
         "vs_scotland": "not comparable"},
    ])
    exceptions = pd.DataFrame([{
        "indicator_id": "cp", "short_title": "Child poverty", "soa_priority_label": "Early years", "unit_label": "%",
        "latest_value": None, "latest_period_label": "2024/25", "change_abs": None, "baseline_value": HIDDEN,
        "baseline_period_label": "2014/15", "trend_verdict": "worsening", "vs_scotland": "not comparable",
        "scotland_value": 22.2, "vs_council": None, "council_value": None, "gap_verdict": None,
        "target_status": "off track", "target_value": 18.0, "target_year": 2030, "projected_value": 25.6,
        "trajectory_value_latest": 18.2, "probability_of_meeting": 0.1}])
    note = type("Note", (), {"text": "Pilot from April.", "saved_at": "2026-12-01T09:30:00+00:00"})()
    areas, rows = matrix(frame)
    return BoardReport(
        council_code="S12000001", council_name="Glen Test", area_type="locality", area_code="S99000001",
        area_name="Glen Test North", child_type="intermediate_zone", child_label="Intermediate zones",
        title="Glen Test North (locality in Glen Test): intermediate zones",
        build={"build_id": "b123", "schema_version": "1.2.0", "demo": True}, built_on="1 December 2026",
        data_as_of="1 November 2025",
        exceptions=exception_items(exceptions, {"cp": note}, "Glen Test") if with_exceptions else (),
        matrix_areas=tuple(areas), matrix_rows=tuple((t, tuple(c)) for t, c in rows), matrix_frame=frame)


def test_pdf_states_provenance_exceptions_commentary_and_matrix_in_words() -> None:
    report = _report()
    assert filename(report, "pdf") == "cpop-board-report-locality-s99000001-intermediate_zone.pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(board_report_pdf(report))).pages).split())
    for expected in ("Board report: Glen Test North", "Locality in Glen Test", "b123 built 1 December 2026",
                     "1 November 2025", "DEMO DATA", "suppressed (2024/25)", "target off track",
                     "target 18.0% by 2030 off track", "Pilot from April.", "saved 1 Dec 2026", "Abbey", "Burnside",
                     "worsening 21.0", "n/a suppressed", "Page 1 of"):
        assert expected in text, expected
    assert "4,242" not in text and "4242" not in text


def test_workbook_has_numbers_as_numbers_and_words_in_the_matrix() -> None:
    report = _report()
    [row] = exception_rows(report)
    assert row["Latest value"] == "suppressed" and row["Target"] == 18.0 and row["Target year"] == 2030
    assert row["Officer commentary"] == "Pilot from April." and row["Compared with council"] is None
    assert matrix_rows(report) == [{"Indicator": "Child poverty", "Abbey": "worsening (21.0)",
                                    "Burnside": "n/a (suppressed)"}]
    wb = load_workbook(io.BytesIO(board_report_xlsx(report)))
    grid = wb["RAG matrix"]
    assert [c.value for c in grid[4]] == ["Indicator", "Abbey", "Burnside"]
    assert [c.value for c in grid[5]] == ["Child poverty", "worsening (21.0)", "n/a (suppressed)"]
    assert grid["B5"].fill.fgColor.rgb.endswith("F6D2D2")  # colour repeats the words, never replaces them
    cells = [c.value for r in wb["Exception report"].iter_rows() for c in r]
    assert HIDDEN not in cells and "suppressed" in cells


def test_nothing_to_report_says_so() -> None:
    report = _report(with_exceptions=False)
    text = " ".join(PdfReader(io.BytesIO(board_report_pdf(report))).pages[0].extract_text().split())
    assert "Nothing is worsening" in text
    ws = load_workbook(io.BytesIO(board_report_xlsx(report)))["Exception report"]
    assert any("Nothing is worsening" in str(c.value) for r in ws.iter_rows() for c in r)


def test_a_targeted_cell_shows_the_same_status_on_the_page_the_pdf_and_the_workbook() -> None:
    """The council's own column (first) says 'target at risk' beside its trend, amber, with the target, on
    all three surfaces; a community without a target keeps its trend colour."""
    frame = pd.DataFrame([
        {"indicator_id": "cp", "short_title": "Child poverty", "unit_label": "%", "area_type": "locality",
         "area_code": "S99000001", "area_name": "Glen Test North", "is_scope": True, "latest_period_label": "2024/25",
         "latest_value": 21.0, "trend_verdict": "worsening", "vs_scotland": "worse", "target_value": 18.0,
         "target_year": 2030, "target_status": "at risk"},
        {"indicator_id": "cp", "short_title": "Child poverty", "unit_label": "%", "area_type": "intermediate_zone",
         "area_code": "S02000001", "area_name": "Abbey", "is_scope": False, "latest_period_label": "2024/25",
         "latest_value": 19.0, "trend_verdict": "improving", "vs_scotland": "similar", "target_value": None,
         "target_year": None, "target_status": None},
    ])
    report = _report(with_exceptions=False, frame=frame)
    words, note = "worsening · target at risk", "21.0%; target 18.0% by 2030"
    page = shown_table(getattr(matrix_table(frame), TABLE_ATTRIBUTE))  # the table the page builds
    assert '<th scope="col">Glen Test North (whole locality)</th><th scope="col">Abbey</th>' in page
    assert 'class="table table-sm table-bordered cpop-rag cpop-rag-scope"' in page  # ruled off from the communities
    assert "cpop-rag-scope" not in getattr(matrix_table(frame[~frame.is_scope]), TABLE_ATTRIBUTE)
    assert (f'<span class="badge text-bg-warning text-dark cpop-badge">▼ {words}</span>'
            f'<div class="small">{note}</div>') in page
    assert '<span class="badge text-bg-success cpop-badge">▲ improving</span><div class="small">19.0%</div>' in page
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(board_report_pdf(report))).pages).split())
    assert f"{words} 21.0% target 18.0% by 2030 improving 19.0%" in pdf
    assert " ".join(MATRIX_KEY.split()[:6]) in pdf
    grid = load_workbook(io.BytesIO(board_report_xlsx(report)))["RAG matrix"]
    assert [c.value for c in grid[4]] == ["Indicator", "Glen Test North (whole locality)", "Abbey"]
    assert [c.value for c in grid[5]] == ["Child poverty", f"{words} ({note})", "improving (19.0%)"]
    assert grid["B5"].fill.fgColor.rgb.endswith("FCE8B2") and grid["C5"].fill.fgColor.rgb.endswith("D9EFD9")
    assert grid["A2"].value == MATRIX_KEY


def test_the_scope_column_starts_every_block_of_the_pdf_matrix() -> None:
    """Nine communities need two blocks of columns: the whole area's column opens both (it is printed once
    per block, the communities once each)."""
    rows = [{"indicator_id": "cp", "short_title": "Child poverty", "unit_label": "%", "area_type": "locality",
             "area_code": "S99000001", "area_name": "Glen Test North", "is_scope": True, "latest_value": 21.0,
             "trend_verdict": "worsening", "target_value": 18.0, "target_year": 2030, "target_status": "off track"}]
    rows += [{"indicator_id": "cp", "short_title": "Child poverty", "unit_label": "%", "area_type": "intermediate_zone",
              "area_code": f"S0200000{i}", "area_name": f"Zone {i}", "is_scope": False, "latest_value": 10.0 + i,
              "trend_verdict": "improving", "target_value": None, "target_year": None, "target_status": None}
             for i in range(1, 10)]
    report = _report(with_exceptions=False, frame=pd.DataFrame(rows))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(board_report_pdf(report))).pages).split())
    assert text.count("Glen Test North (whole locality)") == 2 and text.count("target off track") == 2
    assert all(text.count(f"Zone {i}") == 1 for i in range(1, 10))
    assert text.index("Zone 7") < text.index("Glen Test North (whole locality)", text.index("Zone 7")) < text.index(
        "Zone 8")
