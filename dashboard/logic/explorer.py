"""Data Explorer: search the catalogue by keyword and theme."""

from __future__ import annotations

import pandas as pd

SEARCH_FIELDS = ("title", "short_title", "definition", "source", "numerator_definition",
                 "denominator_definition", "soa_priority_label", "caveats")


def search_indicators(catalogue: pd.DataFrame, text: str | None, priorities: list[str] | None) -> pd.DataFrame:
    """Indicators whose text contains every word of ``text`` (any case), in the chosen themes."""
    out = catalogue
    if priorities:
        out = out[out.soa_priority.isin(priorities)]
    for word in (text or "").lower().split():
        haystack = out[list(SEARCH_FIELDS)].fillna("").astype(str).agg(" ".join, axis=1).str.lower()
        out = out[haystack.str.contains(word, regex=False)]
    return out
