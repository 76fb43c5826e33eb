"""A chart with its text alternative: a one-sentence summary and "Show the data as a table".

Why: WCAG 1.1.1 asks every non-text content to have a text alternative; for a chart that is what
it shows in one sentence (read first, and the figure's accessible name) and its data as a table
(behind a native <details> toggle, so keyboard and screen-reader users open it with Enter or Space;
built in the browser when opened, from the JSON the server gives it).
"""

from __future__ import annotations

import json
from typing import Any

from dash import html

from dashboard.components.html_table import table_spec
from dashboard.logic.chart_text import chart_rows, chart_title

SHOW_TABLE = "Show the data as a table"
EMPTY = "This chart has no data points."
TABLE_CLASS = "table table-sm table-bordered small"


def table_rows(rows: list[tuple[str, str]]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Headers and rows: (series, value) when the chart names its series, else (point, value)."""
    if any(name for name, _ in rows):
        return ["Series", "Value"], [(name, [text]) for name, text in rows]
    split = [text.partition(": ") for _, text in rows]
    return ["Point", "Value"], [(label, [value]) if sep else ("", [label]) for label, sep, value in split]


def data_table(figure: Any, summary: str) -> html.Details:
    """The chart's points as a table (series, value as the chart labels it), collapsed.

    The table travels as JSON in the details' ``data-table`` attribute and is built when opened
    (``assets/data_tables.js``): most readers never open it, and built up front it cost every chart
    a dcc.Markdown render on the page's first draw."""
    rows = chart_rows(figure)
    if not rows:
        return html.Details([html.Summary(SHOW_TABLE), html.P(EMPTY, className="small mb-0")],
                            className="cpop-chart-data small mt-1")
    headers, cells = table_rows(rows)
    spec = table_spec(headers, cells, caption=chart_title(figure) or summary, class_name=TABLE_CLASS)
    return html.Details([html.Summary(SHOW_TABLE), html.Div(className="cpop-chart-table")],
                        className="cpop-chart-data small mt-1", **{"data-table": json.dumps(spec)})


def chart_with_alternative(graph: Any, figure: Any, summary: str, *, show_summary: bool = False) -> html.Div:
    """``graph`` (a dcc.Graph of ``figure``) named by ``summary``, then the data table; the summary is also
    shown as a sentence under the chart when the page does not already show it (``show_summary``)."""
    return html.Div([
        html.Div(graph, role="figure", **{"aria-label": summary}),
        *([html.P(summary, className="small mb-1 mt-1")] if show_summary else []),
        data_table(figure, summary),
    ], className="cpop-chart")
