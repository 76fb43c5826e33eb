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

import pandas as pd
from dash import html

from dashboard.logic.records import row_tuples

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


def frame_table(frame: pd.DataFrame, label: str, class_name: str = "table table-sm table-striped") -> html.Div:
    """A data frame's text as an ``html_table`` (its first column the row headings, missing cells empty),
    in a region that scrolls sideways on a phone and that keyboard users can focus; ``label`` is its
    caption and the region's name.

    Why not ``dbc.Table.from_dataframe``: one Dash component per cell. Real Scotland's What changed
    page held ~2,700 of them (drawn 14 s after the server answered), and a My areas profile ~130.
    """
    text = frame.astype(object).where(frame.notna(), "").astype(str)
    rows = [(row[0], list(row[1:])) for row in row_tuples(text)]
    return html.Div(html_table([str(c) for c in frame.columns], rows, caption=label, class_name=class_name),
                    className="table-responsive", tabIndex="0", role="region", **{"aria-label": label})
