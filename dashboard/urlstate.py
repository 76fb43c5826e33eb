"""The page state that lives in the URL query string, so every view is a shareable link.

Why: an officer should be able to paste a link into a board paper and have a colleague
see the same area and indicator (CONVENTIONS 10). Dash pages hands the parsed query
string to ``layout(**url_args)``; this module writes it back.
"""

from __future__ import annotations

from urllib.parse import urlencode

HOME_KEYS = ("area_type", "area", "indicator")


def build_search(**values: str | None) -> str:
    """``'?area_type=ward&area=S13002883'`` from the non-empty values, in a fixed order.

    Unknown keys are rejected so a typo cannot silently drop state.
    """
    unknown = set(values) - set(HOME_KEYS)
    if unknown:
        raise ValueError(f"unknown URL state keys: {sorted(unknown)}")
    pairs = [(key, values[key]) for key in HOME_KEYS if values.get(key)]
    return f"?{urlencode(pairs)}" if pairs else ""


def clean_arg(value: object) -> str | None:
    """A single non-empty string from a query argument (repeated keys keep the first)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None
