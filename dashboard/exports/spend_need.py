"""The spend-and-need view as an Excel workbook, and as a sheet added to another workbook (the
Quick profile and board report of a council with spend data).

Why: a board paper needs the figures, not a screenshot: the ranked table (numbers as numbers),
the two lists, the council lines and where each figure comes from. Every cell goes through
``safe_cells`` (area names and titles come from officers' files: never a formula).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.exports.tables import _write_table
from dashboard.logic import spend_need as words
from dashboard.safe_cells import defuse_workbook, xlsx_text


def facts(view: Any) -> list[tuple[str, str]]:
    """The view's provenance and council lines, as label/value pairs."""
    meta, result = view.meta, view.result
    return [
        ("Spend dataset", meta.title), ("Organisation", meta.organisation), ("Measure", meta.measure_label),
        ("Licence or restriction", meta.licence or "not stated"), ("Source file", meta.source_file),
        ("Council", view.council_name), ("Service", view.service), ("Year", meta.period_label(view.year)),
        ("Need measure", f"{view.indicator_title} ({view.need_period})"),
        ("Population", f"NRS small-area estimates, {view.population_year}"),
        ("Council-wide spend per head", words.money(result.council_spend_per_head, meta.units)),
        (f"Council {view.indicator_title}", words.need_text(result.council_need_value, view.unit_label)),
        *[("Note", note) for note in words.notes(view)],
    ]


def write_spend_sheet(ws: Worksheet, view: Any, demo_line: str | None = None) -> None:
    """Fill ``ws`` with the view: facts, the ranked table, then the two lists."""
    rows = [("Note", demo_line)] if demo_line else []
    rows += facts(view)
    for i, (label, value) in enumerate(rows, start=1):
        ws.cell(row=i, column=1, value=xlsx_text(label)).font = Font(bold=True)
        ws.cell(row=i, column=2, value=xlsx_text(value))
    start = len(rows) + 2
    ranked = words.ranked_rows(view)
    for row in ranked:
        if row["Need measure"] is None:
            row["Need measure"] = "withheld or not available"
    _write_table(ws, words.RANKED_COLUMNS, ranked, start_row=start)
    ws.freeze_panes = None
    line = start + len(ranked) + 2
    for key, items in words.list_items(view).items():
        ws.cell(row=line, column=1, value=words.LIST_TITLES[key]).font = Font(bold=True)
        line += 1
        for item in items or ["none"]:
            ws.cell(row=line, column=1, value=xlsx_text(item))
            line += 1
        line += 1


def spend_need_xlsx(view: Any, demo_line: str | None = None) -> bytes:
    """The view as a one-sheet workbook."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Spend and need"
    write_spend_sheet(ws, view, demo_line)
    buffer = io.BytesIO()
    defuse_workbook(wb).save(buffer)
    return buffer.getvalue()


def add_spend_sheets(wb: Workbook, views: list[Any] | tuple[Any, ...], demo_line: str | None = None) -> None:
    """One "Spend and need" sheet per view, appended to ``wb`` (the board report, a council's profile)."""
    for n, view in enumerate(views, start=1):
        write_spend_sheet(wb.create_sheet(f"Spend and need {n}" if len(views) > 1 else "Spend and need"), view,
                          demo_line)


def spend_pdf_story(views: list[Any] | tuple[Any, ...], width: float) -> list[Any]:
    """ReportLab flowables for each view: heading, the summary sentence, the chart, notes, the two
    lists and the ranked table (the board report and a council's Quick profile PDF share it)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Spacer

    from dashboard.exports.pdf_style import esc, para
    from dashboard.exports.spend_chart import spend_need_drawing

    story: list[Any] = []
    for view in views:
        story += [CondPageBreak(110 * mm), para(esc(f"Spend and need: {view.meta.title} ({view.meta.organisation})"),
                                                  "h2"),
                  para(esc(words.summary(view)), "body"), Spacer(width, 3),
                  spend_need_drawing(view, width=width, height=80 * mm),
                  *[para(esc(n), "small") for n in words.notes(view)]]
        for key, items in words.list_items(view).items():
            story.append(para(f"<b>{esc(words.LIST_TITLES[key])}</b>: " + (esc("; ".join(items)) if items else "none."),
                              "body"))
        story += [Spacer(width, 3), _ranked_table(view, width), Spacer(width, 6)]
    return story


def _ranked_table(view: Any, width: float) -> Any:
    """The ranked table as a PDF table: money and need as text, a withheld need value in words."""
    from reportlab.platypus import Table

    from dashboard.exports.pdf_style import esc, grid_style, para

    def cell(column: str, value: Any) -> str:
        if column == "Spend":
            return words.money(value, view.meta.units, 0)
        if column == "Spend per head":
            return words.money(value, view.meta.units)
        if column == "Need measure":
            return words.need_text(value, view.unit_label)
        if column == "Population":
            return "–" if value is None else f"{value:,}"
        return "–" if value is None else str(value)

    header = [para(f"<b>{esc(c)}</b>", "tiny") for c in words.RANKED_COLUMNS]
    rows = [[para(esc(cell(c, row[c])), "tiny") for c in words.RANKED_COLUMNS] for row in words.ranked_rows(view)]
    shares = (0.08, 0.2, 0.11, 0.1, 0.1, 0.15, 0.07)
    widths = [width * s for s in shares] + [width * (1 - sum(shares))]
    table = Table([header, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(grid_style())
    return table


def with_spend_sheets(content: bytes, views: list[Any], demo_line: str | None = None) -> bytes:
    """``content`` (a workbook's bytes) with the views' sheets added; unchanged when there are none."""
    if not views:
        return content
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    add_spend_sheets(wb, views, demo_line)
    buffer = io.BytesIO()
    defuse_workbook(wb).save(buffer)
    return buffer.getvalue()
