"""The web exception report as tables: what needs attention and what is going well.

Why: the board's PDF report already puts each exception in a table row with units, the change,
why it is there and the target; a wall of sentences on screen made the web version harder to
read than the paper. Both tables come from one query (``Queries.area_status``), the same rows
the board report prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.components.glossary_text import glossary_text
from dashboard.components.local_badge import local_badge
from dashboard.formatting import format_value
from dashboard.logic.rag import ExceptionItem, change_since, going_well_reasons
from dashboard.logic.records import row_tuples


def attention_table(items: Sequence[ExceptionItem], local: Mapping[str, str] | None = None) -> html.Div:
    """One row per indicator needing attention (each row keeps its ``data-indicator``); ``local`` maps a
    local dataset's id to its label (``Queries.local_labels``), shown as a badge under its title."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in
                               ("Indicator", "Latest", "Change", "Why it needs attention", "Target", "Commentary")]))
    rows = []
    for item in items:
        commentary: list[Any] = [item.commentary] if item.commentary else ["–"]
        if item.commentary and item.commentary_saved:
            commentary.append(html.Div(f"saved {item.commentary_saved}", className="text-muted"))
        rows.append(html.Tr([
            html.Th([item.short_title, local_badge((local or {}).get(item.indicator_id, ""), block=True),
                     html.Div(item.priority_label, className="small text-muted fw-normal")], scope="row"),
            _td("Latest", [item.latest, html.Div(item.latest_period_label, className="small text-muted")]),
            _td("Change", item.change or "–"),
            _td("Why it needs attention", html.Ul([html.Li(glossary_text(r, f"attention-{item.indicator_id}-{i}"))
                                                   for i, r in enumerate(item.why)] or [html.Li("–")],
                                                  className="mb-0 ps-3")),
            _td("Target", glossary_text(item.target, f"target-{item.indicator_id}") if item.target
                else "no target set"),
            _td("Commentary", commentary, "fst-italic" if item.commentary else None),
        ], **{"data-indicator": item.indicator_id}))
    return _scrolling(dbc.Table([head, html.Tbody(rows)], bordered=False, hover=True, size="sm",
                                className="cpop-exceptions align-top"), "What needs attention")


def going_well_table(frame: pd.DataFrame, local: Mapping[str, str] | None = None) -> html.Div:
    """One row per indicator going well: latest, change and why (a local dataset with its badge)."""
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Indicator", "Latest", "Change", "Why it is going well")]))
    rows = []
    for r in row_tuples(frame):
        unit = str(r.unit_label or "")
        latest = format_value(None if pd.isna(r.latest_value) else r.latest_value, unit,
                              suppressed=pd.isna(r.latest_value))
        change = change_since(r) or "–"
        rows.append(html.Tr([
            html.Th([r.short_title, local_badge((local or {}).get(str(r.indicator_id), ""), block=True),
                     html.Div(r.soa_priority_label or "", className="small text-muted fw-normal")], scope="row"),
            _td("Latest", [latest, html.Div(r.latest_period_label or "", className="small text-muted")]),
            _td("Change", change),
            _td("Why it is going well", html.Ul([html.Li(glossary_text(w, f"well-{r.indicator_id}-{i}"))
                                                 for i, w in enumerate(going_well_reasons(r))], className="mb-0 ps-3")),
        ], **{"data-indicator": str(r.indicator_id)}))
    return _scrolling(dbc.Table([head, html.Tbody(rows)], bordered=False, hover=True, size="sm",
                                className="cpop-going-well align-top"), "What is going well")


def _td(column: str, children: Any, class_name: str | None = None) -> html.Td:
    """A cell with its column's heading as ``data-label``: on a phone each row becomes a card of
    'heading: value' lines (app.css), read without scrolling sideways."""
    return html.Td(html.Div(children), className=class_name, **{"data-label": column})


def _scrolling(table: dbc.Table, label: str) -> html.Div:
    """The table in a region that can take keyboard focus (so a keyboard user can scroll it too: axe's
    scrollable-region-focusable), should a long word still make it wider than the screen."""
    return html.Div(table, className="table-responsive", tabIndex="0", role="region", **{"aria-label": label})
