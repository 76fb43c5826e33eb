"""The key to the product's symbols (dashboard.logic.symbols), shown wherever they are used."""

from __future__ import annotations

from dash import html

from dashboard.logic.symbols import LEGEND


def symbol_legend() -> html.P:
    """'Key: ▲ improving · ▼ worsening · …' as one line a screen reader reads in order."""
    items: list = [html.Strong("Key: ")]
    for i, (symbol, words) in enumerate(LEGEND):
        if i:
            items.append(" · ")
        items.append(html.Span([html.Span(symbol, className="cpop-symbol", **{"aria-hidden": "true"}), f" {words}"]))
    return html.P(items, className="small text-muted cpop-legend")
