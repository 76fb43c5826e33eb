"""Render where a value comes from and what kind of value it is: the value cell with its labels,
CPOP's rating, the "why they differ" note and the fictional-demo banner.

Why: every page shows published, computed and estimated values, imputed and projected ones, and
CPOP's own rating beside cpop's verdict; one set of components keeps them looking the same
everywhere (the words come from ``dashboard.logic.provenance``).
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.logic.provenance import (
    DEMO_BANNER_TEXT,
    DEMO_BANNER_TITLE,
    WHY_THEY_DIFFER,
    CpopRating,
)
from dashboard.tables.latest_values import LatestRow

#: value label -> Bootstrap colour of its badge (the words carry the meaning)
LABEL_COLOURS = {"projected by the publisher": "warning", "imputed by the publisher": "info",
                 "estimated": "secondary", "revised": "light", "modelled estimate": "info"}
#: CPOP's rating colour -> Bootstrap colour (a symbol and a word say it too)
CPOP_COLOURS = {"green": "success", "yellow": "warning", "red": "danger", "black": "dark", "none": "light"}


def value_badge(label: str) -> dbc.Badge:
    """A small badge for a value label ('projected by the publisher', 'estimated', 'revised')."""
    colour = LABEL_COLOURS.get(label, "light")
    return dbc.Badge(label, color=colour, text_color="dark" if colour in ("warning", "info", "light") else None,
                     className="cpop-badge cpop-value-label me-1")


def value_cell(row: LatestRow) -> list[Any]:
    """The value, its labels as badges, the warehouse's note on it and the publisher's projection."""
    out: list[Any] = [html.Span(row.value, className="cpop-value cpop-suppressed" if row.is_suppressed
                                else "cpop-value")]
    if row.labels:
        out.append(html.Div([value_badge(label) for label in row.labels]))
    if row.note:
        out.append(html.Div(row.note, className="small text-muted cpop-note"))
    if row.projection:
        out.append(html.Div(row.projection, className="small text-muted"))
    return out


def cpop_badge(rating: CpopRating) -> dbc.Badge:
    """'▲ green' … '– no rating': a symbol and the word, the colour repeating them."""
    colour = CPOP_COLOURS.get(rating.rating, "light")
    return dbc.Badge(f"{rating.symbol} {rating.rating_word}", color=colour,
                     text_color="dark" if colour in ("warning", "light") else None, className="cpop-badge")


def cpop_cell(rating: CpopRating | None) -> Any:
    """CPOP's rating, its words and its improvement rate (the raw change of the value), or a dash."""
    if rating is None:
        return html.Span("–", className="text-muted")
    if not rating.has_rating:
        return html.Div([cpop_badge(rating), html.Div(rating.words, className="small text-muted")])
    return html.Div([cpop_badge(rating), html.Div(rating.words, className="small"),
                     html.Div(f"improvement rate {rating.rate_text()}", className="small text-muted")],
                    title=WHY_THEY_DIFFER)


def why_they_differ() -> str:
    """The 'why CPOP's rating and cpop's verdict differ' text (a tooltip and a note)."""
    return WHY_THEY_DIFFER


def demo_banner(build_info: dict[str, Any] | None) -> Any:
    """The banner every page carries when the warehouse is the fictional demo (None on real data)."""
    if not build_info or not build_info.get("demo"):
        return None
    return html.Div(html.Div([html.Strong(DEMO_BANNER_TITLE), " ", DEMO_BANNER_TEXT], className="container-lg"),
                    id=ids.DEMO_BANNER, role="note", className="alert alert-warning rounded-0 py-2 small "
                    "cpop-demo-banner", **{"data-demo": "true"})
