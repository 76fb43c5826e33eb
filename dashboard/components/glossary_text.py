"""Text with its statistical terms turned into buttons that open the glossary's definition.

Why: the definition should be one keypress away where the term is read (a caption, a section
header), not on a methods page. A real ``<button>`` opens a ``dbc.Popover`` on click, Enter or
Space, so it works from the keyboard and for screen readers (a hover-only span would not);
the popover closes on Escape or a click elsewhere ("legacy" trigger). The first occurrence of
each term in a text gets a button; later ones stay plain, so a caption does not become a row of
buttons.
"""

from __future__ import annotations

import re
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.glossary import BY_SLUG, find_terms


def scope_for(text: str) -> str:
    """A short id-safe name for a caption or header (its words, trimmed)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "text"


def glossary_text(text: str, scope: str) -> list[Any]:
    """``text`` as Dash children: strings, with each term's first occurrence a glossary button.

    ``scope`` makes the buttons' ids unique on the page (a section's key and "title"/"caption").
    """
    out: list[Any] = []
    seen: set[str] = set()
    position = 0
    for start, end, slug in find_terms(text):
        if slug in seen:
            continue
        seen.add(slug)
        if start > position:
            out.append(text[position:start])
        out.append(term_button(text[start:end], slug, scope))
        position = end
    if position < len(text):
        out.append(text[position:])
    return out


def term_button(label: str, slug: str, scope: str) -> html.Span:
    """The term as a link-styled button and its popover (heading and definition)."""
    entry = BY_SLUG[slug]
    target = ids.glossary_term(scope, slug)
    return html.Span([
        html.Button(label, id=target, type="button", className="cpop-term",
                    title=f"Definition: {entry.term}", **{"data-glossary": slug}),
        dbc.Popover([dbc.PopoverHeader(entry.term), dbc.PopoverBody(entry.definition)],
                    target=target, trigger="legacy", placement="auto", className="cpop-glossary"),
    ])
