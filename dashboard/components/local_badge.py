"""The "Local data: <organisation> (<restriction>)" badge shown beside a local indicator's title.

Why: an officer's own partner data sits beside the national measures on every page; the reader
must see at once that it is local, who supplied it and who may see it. The badge is words (not
colour alone), dark text on a light ground with a border (AA contrast), and nothing at all for a
national indicator, so pages can place it unconditionally. The words come from
``dashboard.logic.local_label`` (the same as in the exports).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc


def local_badge(label: str, *, block: bool = False) -> dbc.Badge | None:
    """The badge for ``label`` (``Queries.local_labels()[indicator_id]``), or None when it is '' (national).

    ``block`` puts it on a line of its own (under a heading) rather than after the title's text.
    """
    if not label:
        return None
    spacing = "d-inline-block mt-1" if block else "ms-1"
    return dbc.Badge(label, color="light", text_color="dark",
                     className=f"border border-dark fw-normal text-wrap text-start cpop-local-badge {spacing}")
