"""Latest values of every indicator for an area, one card per SOA priority.

Why: a board reads the profile priority by priority; each row puts the area's latest
value, its 95 % CI and the council and Scotland values for the same period side by side,
and states plainly whether the area differs from Scotland.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import html

from dashboard.logic.symbols import comparison_symbol
from dashboard.tables.latest_values import Comparison, LatestRow

BADGE_COLOURS: dict[Comparison, str] = {
    "better": "primary",
    "worse": "danger",
    "similar": "secondary",
    "not compared": "light",
}


def comparison_badge(comparison: Comparison) -> dbc.Badge:
    """A text badge (colour is a second cue, never the only one)."""
    text = f"{comparison_symbol(comparison)} {comparison}" if comparison != "not compared" else comparison
    return dbc.Badge(text, color=BADGE_COLOURS[comparison],
                     text_color="dark" if comparison == "not compared" else None,
                     className="cpop-badge")


TREND_BADGES = {
    "improving": ("▲ improving", "success"),
    "worsening": ("▼ worsening", "danger"),
    "no significant change": ("● no significant change", "secondary"),
    "cannot be calculated": ("– cannot be calculated", "light"),
}


def trend_badge(verdict: str) -> dbc.Badge:
    """The statistical trend verdict as a badge with a symbol and words (never colour alone)."""
    text, colour = TREND_BADGES.get(verdict, (verdict, "light"))
    return dbc.Badge(text, color=colour, text_color="dark" if colour == "light" else None, className="cpop-badge")


CI_DASH = " – "


def ci_cell(ci: str, **attrs: str) -> html.Td:
    """A confidence interval cell that wraps after the dash, never inside a number.

    Why: the profile tables have fixed column widths; a rate's CI such as
    "29,450.5 – 31,500.9" does not fit on one line and a no-wrap cell clipped its upper limit.
    """
    lower, dash, upper = ci.partition(CI_DASH)
    if not dash:
        return html.Td(ci, **attrs)
    return html.Td([html.Span(lower + CI_DASH.rstrip(), className="text-nowrap"), " ",
                    html.Span(upper, className="text-nowrap")], **attrs)


def _row(row: LatestRow) -> html.Tr:
    value_class = "cpop-value cpop-suppressed" if row.is_suppressed else "cpop-value"
    return html.Tr(
        [
            html.Th([row.title, html.Div(row.polarity_text, className="small text-muted")],
                    scope="row"),
            html.Td(row.period),
            html.Td(row.value, className=value_class),
            ci_cell(row.ci),
            html.Td(row.council),
            html.Td(row.scotland),
            html.Td(comparison_badge(row.vs_scotland)),
            html.Td(trend_badge(row.trend)),
        ],
        **{"data-indicator": row.indicator_id},
    )


def priority_card(label: str, rows: Sequence[LatestRow], council_name: str | None) -> dbc.Card:
    """One card: the priority's heading and a table of its indicators."""
    header = html.Thead(html.Tr([
        html.Th("Indicator", scope="col"), html.Th("Latest period", scope="col"),
        html.Th("Value", scope="col"), html.Th("95% CI", scope="col"),
        html.Th(council_name or "Council", scope="col"), html.Th("Scotland", scope="col"),
        html.Th("vs Scotland", scope="col"), html.Th("Trend (last 5 periods)", scope="col"),
    ]))
    table = dbc.Table([header, html.Tbody([_row(r) for r in rows])],
                      size="sm", hover=True, responsive=True, className="mb-0 cpop-latest")
    return dbc.Card([dbc.CardHeader(html.H3(label, className="h6 mb-0")),
                     dbc.CardBody(table, className="p-2")], className="mb-3")


def latest_values_view(
    groups: Sequence[tuple[str, Sequence[LatestRow]]], council_name: str | None
) -> html.Div:
    """All priority cards, or a short message when the area has no indicator values."""
    if not groups:
        return html.Div(dbc.Alert("No indicator values for this area.", color="info"))
    return html.Div([priority_card(label, rows, council_name) for label, rows in groups])
