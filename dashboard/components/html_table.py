"""Large tables as ONE component: an escaped HTML string rendered by dcc.Markdown.

Why: Dash renders each html.Td/dbc.Badge as its own React component; a RAG matrix of 12
indicators × 150 communities (~5,000 components) kept Chromium busy for 30 s. The same table
as one HTML string renders in milliseconds and keeps real table semantics (caption, th with
scope) for screen readers. Every piece of text is escaped here; callers pass plain strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from dash import dcc

Cell = str | tuple[str, str] | tuple[str, str, str]  # text | (badge text, badge colour) | (+ small note)


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


def html_table(columns: Sequence[str], rows: Sequence[tuple[str, Sequence[Cell]]], *, caption: str = "",
               class_name: str = "table table-sm table-bordered") -> dcc.Markdown:
    """The table as a single dcc.Markdown component (raw HTML allowed; all text escaped)."""
    return dcc.Markdown(table_html(columns, rows, caption=caption, class_name=class_name),
                        dangerously_allow_html=True, className="cpop-html-table")
