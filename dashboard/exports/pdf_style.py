"""Page geometry, paragraph styles, verdict colours and the numbered canvas shared by the PDFs
(the profile and the board report), so both read alike when a board gets them together."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Paragraph, TableStyle

from dashboard.exports.fmt import verdict_text
from dashboard.safe_cells import clean_text

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
FRAME_W = PAGE_W - 2 * MARGIN
# colour-blind-safe pair (ColorBrewer PRGn/RdBu ends); the verdict is always a word as well
VERDICT_COLOURS = {
    "better": "#1B7837", "improving": "#1B7837", "narrowing": "#1B7837",
    "worse": "#B2182B", "worsening": "#B2182B", "widening": "#B2182B",
}

_base = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("cpop-title", parent=_base["Title"], fontSize=24, leading=29, spaceAfter=6),
    "subtitle": ParagraphStyle("cpop-sub", parent=_base["Normal"], fontSize=12, leading=16,
                               alignment=TA_CENTER, textColor=colors.HexColor("#333333")),
    "h1": ParagraphStyle("cpop-h1", parent=_base["Heading1"], fontSize=16, leading=20, spaceBefore=4,
                         spaceAfter=6, textColor=colors.HexColor("#0B3C5D")),
    "h2": ParagraphStyle("cpop-h2", parent=_base["Heading2"], fontSize=11.5, leading=14, spaceBefore=8,
                         spaceAfter=3),
    "body": ParagraphStyle("cpop-body", parent=_base["Normal"], fontSize=9, leading=12),
    "small": ParagraphStyle("cpop-small", parent=_base["Normal"], fontSize=7.5, leading=9.5,
                            textColor=colors.HexColor("#444444")),
    "cell": ParagraphStyle("cpop-cell", parent=_base["Normal"], fontSize=8, leading=10),
    "tiny": ParagraphStyle("cpop-tiny", parent=_base["Normal"], fontSize=7, leading=8.2),
}


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of already-escaped mini-HTML in one of STYLES."""
    return Paragraph(text, STYLES[style])


def esc(text: Any) -> str:
    """Text escaped for a ReportLab paragraph (None -> '')."""
    return escape(clean_text("" if text is None else str(text)))


def verdict_markup(verdict: str) -> str:
    """A verdict as bold coloured words (plain words when it has no colour)."""
    colour = VERDICT_COLOURS.get(verdict)
    text = esc(verdict_text(verdict))
    return f'<font color="{colour}"><b>{text}</b></font>' if colour else text


def cell_verdict(verdict: str) -> Paragraph:
    """A verdict in a small table cell."""
    return para(verdict_markup(verdict), "tiny")


def grid_style() -> TableStyle:
    return TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])


class NumberedCanvas(pdfcanvas.Canvas):
    """Adds "Page n of N" and a footer to every page (two-pass: pages are kept until save)."""

    footer = ""
    footer_chars = 120

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            # the canvas's own page width, so a landscape document (the board report) numbers its pages too
            self.drawRightString(self._pagesize[0] - MARGIN, 10 * mm, f"Page {self._pageNumber} of {total}")
            self.drawString(MARGIN, 10 * mm, self.footer[:self.footer_chars])
            super().showPage()
        super().save()
