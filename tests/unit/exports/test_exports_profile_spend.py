"""A council's Quick profile PDF carries the spend-and-need view (chart, the two lists, the ranked
table) when spend data exists, and nothing of it without (issue 15)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, String

from dashboard.exports import render
from dashboard.exports.spend_chart import spend_need_drawing
from tests.unit.exports.test_exports_renderers import _profile
from tests.unit.spend.test_spend_view_outputs import _view


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _strings(drawing: Drawing) -> list[str]:
    return [shape.text for shape in drawing.contents if isinstance(shape, String)]


def test_profile_pdf_has_the_spend_view_when_there_is_spend_data() -> None:
    text = _text(render(_profile(), "pdf", [_view()]))
    assert "Spend alongside need" in text and "Spend and need: Youth work (Eastshire Council)" in text
    assert "Higher need, lower spend: Bravo: £1.00 per head, Income deprivation 15.0%" in text  # the two lists
    assert "Lower need, higher spend" in text
    assert "Rank (spend per head)" in text and "£6.00" in text  # the ranked table: Charlie, £9,000 / 1,500
    assert "withheld or not available" in text  # Delta's need is withheld: words, never a number
    assert "Council: £3.20 per head" in text  # the chart's council line


def test_profile_pdf_has_no_spend_view_without_spend_data() -> None:
    text = _text(render(_profile(), "pdf"))
    assert "Spend alongside need" not in text and "Spend and need" not in text and "per head" not in text


def test_the_chart_names_its_quarters_and_draws_only_placed_areas() -> None:
    words = _strings(spend_need_drawing(_view()))
    assert {"Higher need, lower spend", "Higher need, higher spend", "Lower need, higher spend",
            "Lower need, lower spend"} <= set(words)
    assert {"=Charlie", "Alpha", "Bravo"} <= set(words) and "Delta" not in words  # Delta not placed
    assert "(axis reversed: higher is better)" in " ".join(_strings(spend_need_drawing(_view("high_is_good"))))
