"""Large tables as ONE component: a ``div`` carrying the table as JSON, built by the browser.

Why: Dash renders each html.Td/dbc.Badge as its own React component; a RAG matrix of 12
indicators × 150 communities (~5,000 components) kept Chromium busy for 30 s. These tables were
then one escaped HTML string rendered by dcc.Markdown, which still parsed it with markdown-to-jsx
and loaded the 325 KB Markdown bundle on pages that need no Markdown: ~130 ms of the RAG
dashboard's first render and ~55 ms of a council's Area profile. Now the table travels as JSON in
the div's ``data-html-table`` attribute and ``assets/data_tables.js`` builds it (with
``textContent`` only, so no text is ever read as HTML) as soon as the div appears or changes; it
keeps real table semantics (caption, th with scope) for screen readers.

``table_html`` gives the same table as an HTML string, for the exports that write HTML.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from dash import html

Cell = str | tuple[str, str] | tuple[str, str, str]  # text | (badge text, badge colour) | (+ small note)
ATTRIBUTE = "data-html-table"
CLASS_NAME = "cpop-html-table"


def _cell(cell: Cell) -> str:
    if isinstance(cell, str):
        return escape(cell)
    text, colour, *note = cell
    dark = " text-dark" if colour in ("light", "warning") else ""
    out = f'<span class="badge text-bg-{escape(colour)}{dark} cpop-badge">{escape(text)}</span>'
    if note and note[0]:
        out += f'<div class="small">{escape(note[0])}</div>'
    return out


def table_html(columns: Sequence[str], rows: Sequence[tuple[str, Sequence[Cell]]], *, caption: str = "",
               class_name: str = "table table-sm table-bordered") -> str:
    """``<table>`` with a header row and one row per (row header, cells)."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    body = "".join(
        f'<tr><th scope="row">{escape(title)}</th>' + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>"
        for title, cells in rows)
    cap = f'<caption class="visually-hidden">{escape(caption)}</caption>' if caption else ""
    return f'<table class="{escape(class_name)}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def table_spec(columns: Sequence[str], rows: Sequence[tuple[str, Sequence[Cell]]], *, caption: str = "",
               class_name: str = "table table-sm table-bordered") -> dict:
    """What ``assets/data_tables.js`` builds: a cell is its text, or [badge text, colour, note]."""
    return {"caption": caption, "className": class_name, "columns": [str(c) for c in columns],
            "rows": [[str(title), [c if isinstance(c, str) else list(c) for c in cells]] for title, cells in rows]}


def html_table(columns: Sequence[str], rows: Sequence[tuple[str, Sequence[Cell]]], *, caption: str = "",
               class_name: str = "table table-sm table-bordered") -> html.Div:
    """The table as a single div, built in the browser from its JSON (all text set as text)."""
    spec = table_spec(columns, rows, caption=caption, class_name=class_name)
    return html.Div(className=CLASS_NAME, **{ATTRIBUTE: json.dumps(spec, ensure_ascii=False)})
