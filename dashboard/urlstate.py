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


def query_string(pairs: list[tuple[str, object]]) -> str:
    """'?a=1&b=x%2Cy' from (key, value) pairs in the given order; empty values are left out.

    Lists are joined with commas (one key, as the pages read them back).
    """
    clean = []
    for key, value in pairs:
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        if value is None or value == "":
            continue
        clean.append((key, str(value)))
    return f"?{urlencode(clean, safe=',')}" if clean else ""


def split_arg(value: object) -> list[str]:
    """'a,b' (or ['a,b', 'c']) -> ['a', 'b', 'c'] without empties."""
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


def area_profile_href(area_type: str, area_code: str, theme: str, indicator: str | None = None) -> str:
    """Link to the Area Profiles page for one area and theme."""
    return "/area" + query_string([("area_type", area_type), ("area", area_code), ("theme", theme),
                                   ("indicator", indicator)])


def quick_profile_href(area_type: str, area_code: str, indicator: str | None = None) -> str:
    """Link to the Quick Profile of one area."""
    return "/profile" + build_search(area_type=area_type, area=area_code, indicator=indicator)


def clean_arg(value: object) -> str | None:
    """A single non-empty string from a query argument (repeated keys keep the first)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None
