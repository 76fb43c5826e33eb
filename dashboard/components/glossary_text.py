"""Text with its statistical terms turned into buttons that open the glossary's definition.

Why: the definition should be one keypress away where the term is read (a caption, a section
header), not on a methods page. A real ``<button>`` opens the definition on click, Enter or
Space, so it works from the keyboard and for screen readers (a hover-only span would not);
it closes on Escape or a click elsewhere. The first occurrence of each term in a text gets a
button; later ones stay plain, so a caption does not become a row of buttons.

The button is the only Dash component: it carries the term and its definition, and
``assets/glossary_popover.js`` draws Bootstrap's popover from them when it is opened. As a
``dbc.Popover`` each term was five components, and Dash's renderer does work for every component
on a page whenever any one is drawn: the Dashboard's 43 terms cost ~0.2-0.3 s of its first render.
"""

from __future__ import annotations

import re
from typing import Any

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


def term_button(label: str, slug: str, scope: str) -> html.Button:
    """The term as a link-styled button carrying its definition's heading and text."""
    entry = BY_SLUG[slug]
    return html.Button(label, id=ids.glossary_term(scope, slug), type="button", className="cpop-term",
                       title=f"Definition: {entry.term}", **{
                           "data-glossary": slug, "data-glossary-term": entry.term,
                           "data-glossary-definition": entry.definition, "aria-expanded": "false"})
