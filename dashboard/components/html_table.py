"""Large tables as ONE component: a ``div`` carrying the table as JSON, built by the browser.

Why: Dash renders each html.Td/dbc.Badge as its own React component; a RAG matrix of 12
indicators × 150 communities (~5,000 components) kept Chromium busy for 30 s. These tables were
then one escaped HTML string rendered by dcc.Markdown, which still parsed it with markdown-to-jsx
and loaded the 325 KB Markdown bundle on pages that need no Markdown: ~130 ms of the RAG
dashboard's first render and ~55 ms of a council's Area profile. Now the table travels as JSON in
the div's ``data-html-table`` attribute and ``assets/data_tables.js`` builds it (with
``textContent`` only, so no text is ever read as HTML) as soon as the div appears or changes; it
keeps real table semantics (caption, th with scope) for screen readers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from dash import html

Cell = str | tuple[str, str] | tuple[str, str, str]  # text | (badge text, badge colour) | (+ small note)
ATTRIBUTE = "data-html-table"
CLASS_NAME = "cpop-html-table"


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
