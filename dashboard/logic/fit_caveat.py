"""The best-fit caveat for areas not built from whole data zones (wards, community councils).

Why: a ward or community council profile is really a profile of the data zones fitted to it;
a board member must be told so, and how good the fit is, before reading its numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Below this share of people living inside the real boundary the fit is called "rough".
ROUGH_FIT = 0.9


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def fit_caveat_text(area: Mapping[str, Any]) -> str | None:
    """The caveat sentence for ``area`` (a row of ``marts.areas`` joined to ``meta.area_types``),
    or None when the area is built from whole data zones."""
    if not area.get("is_best_fit"):
        return None
    caveat = str(area.get("fit_caveat") or "These figures are for the data zones best fitted to this area.")
    fit = _number(area.get("fit_quality"))
    if fit is None:
        return f"{caveat} How well the data zones match the real boundary is not measured for this area type."
    quality = "a rough fit" if fit < ROUGH_FIT else "a close fit"
    return (f"{caveat} For {area.get('area_name', 'this area')}, {fit:.0%} of the people in its data zones "
            f"live inside its boundary ({quality}).")


def fit_is_rough(area: Mapping[str, Any]) -> bool:
    """True when the measured fit is below ``ROUGH_FIT``: the caveat is then a warning, not a
    note. An unmeasured fit (wards: the government's own lookup) stays a note."""
    fit = _number(area.get("fit_quality"))
    return bool(area.get("is_best_fit")) and fit is not None and fit < ROUGH_FIT
