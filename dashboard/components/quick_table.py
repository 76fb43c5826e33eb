"""The Quick Profile table: one card per SOA priority, one row per indicator.

Why: the whole profile on one page, every verdict in words with a symbol (never colour
alone), a sparkline with alt text, the deprivation-gap verdict and the data's as-of date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.indicator_card import ci_cell, trend_badge
from dashboard.logic.quick_profile import COMPARATORS, QuickRow, sparkline_alt, sparkline_src

VERDICT_BADGES = {
    "better": ("▲ better", "primary"),
    "similar": ("● similar", "secondary"),
    "worse": ("▼ worse", "danger"),
}


def verdict_badge(verdict: str) -> html.Span | dbc.Badge:
    """'▲ better' / '● similar' / '▼ worse' badges; anything else as plain muted text."""
    if verdict in VERDICT_BADGES:
        text, colour = VERDICT_BADGES[verdict]
        return dbc.Badge(text, color=colour, className="cpop-badge")
    return html.Span(verdict, className="small text-muted")


def _row(q: QuickRow, comparators: Sequence[str], labels: Sequence[str]) -> html.Tr:
    """One indicator; each cell carries its column's heading as ``data-label`` (shown beside the
    cell when a phone-width screen stacks the row, see app.css)."""
    r = q.latest
    value_class = "cpop-value cpop-suppressed" if r.is_suppressed else "cpop-value"
    modelled = [html.Div("modelled estimate", className="small text-muted")] if r.value_type == "modelled" else []
    label = iter(labels)

    def cell(children: Any, **kwargs: Any) -> html.Td:
        return html.Td(children, **{"data-label": next(label)}, **kwargs)

    return html.Tr([
        html.Th([r.title, html.Div(r.polarity_text, className="small text-muted")], scope="row"),
        cell(r.period),
        cell([html.Span(r.value, className=value_class), *modelled]),
        ci_cell(r.ci, **{"data-label": next(label)}),
        *[cell(verdict_badge(q.verdicts.get(c, "–"))) for c in comparators],
        cell([html.Img(src=sparkline_src(q.series), alt=sparkline_alt(r.title, q.series, q.periods),
                       width=96, height=28, className="d-block"), trend_badge(r.trend)]),
        cell(q.gap, className="small"),
        cell(r.as_of, className="small text-muted"),
    ], **{"data-indicator": r.indicator_id})


def _heading(text: str) -> list[str | html.Div]:
    """'vs Auchenfudge' as 'vs' over the name, so a long name wraps whole in a narrow column."""
    first, _, rest = text.partition(" ")
    return [first, html.Div(rest, className="small fw-normal")] if first == "vs" and len(rest) > 9 else [text]


def quick_card(label: str, rows: Sequence[QuickRow], headings: Mapping[str, str],
               gap_heading: str = "Deprivation gap") -> dbc.Card:
    """One priority's table; the comparator columns are those in ``headings`` (see comparator_names)."""
    comparators = [c for c in COMPARATORS if c in headings]
    labels = ["Latest period", "Value", "95% CI", *[headings[c] for c in comparators], "Trend (last 5 periods)",
              gap_heading, "Data as of"]
    widths = ["cpop-col-period", "", "", *["cpop-col-comparator"] * len(comparators), "cpop-col-trend",
              "cpop-col-gap", ""]  # fixed layout: named columns get room for their words (app.css)
    header = html.Thead(html.Tr([html.Th("Indicator", scope="col"),
                                 *[html.Th(_heading(text), scope="col", className=width or None)
                                   for text, width in zip(labels, widths, strict=True)]]))
    table = html.Div(dbc.Table([header, html.Tbody([_row(r, comparators, labels) for r in rows])], size="sm",
                               hover=True, className="mb-0 cpop-latest"),
                     className="table-responsive", tabIndex="0", role="region", **{"aria-label": f"{label} indicators"})
    return dbc.Card([dbc.CardHeader(html.H3(label, className="h6 mb-0")), dbc.CardBody(table, className="p-2")],
                    className="mb-3")


def quick_view(groups: Sequence[tuple[str, Sequence[QuickRow]]], headings: Mapping[str, str],
               notes: Sequence[str] = (), gap_heading: str = "Deprivation gap") -> html.Div:
    """All priority cards (or a message), with notes on missing statistics marts first."""
    if not groups:
        return html.Div(dbc.Alert("No indicator values for this area.", color="info"))
    alerts = [dbc.Alert(n, color="light", className="small py-1") for n in notes]
    return html.Div([*alerts, *[quick_card(label, rows, headings, gap_heading) for label, rows in groups]])
