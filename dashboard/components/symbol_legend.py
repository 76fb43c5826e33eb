"""The key to the product's symbols (dashboard.logic.symbols), shown wherever they are used."""

from __future__ import annotations

from dash import html

from dashboard.components.glossary_text import glossary_text
from dashboard.logic.symbols import LEGEND


def symbol_legend(scope: str = "legend") -> html.P:
    """'Key: ▲ improving · ▼ worsening · …' as one line a screen reader reads in order; its statistical
    words ("no significant change", "gap") open their glossary definitions (``scope`` keeps the
    buttons' ids unique if a page shows the key twice)."""
    items: list = [html.Strong("Key: ")]
    for i, (symbol, words) in enumerate(LEGEND):
        if i:
            items.append(" · ")
        items.append(html.Span([html.Span(symbol, className="cpop-symbol", **{"aria-hidden": "true"}), " ",
                                *glossary_text(words, f"{scope}-{i}")], className="text-nowrap"))
    return html.P(items, className="small text-muted cpop-legend")
