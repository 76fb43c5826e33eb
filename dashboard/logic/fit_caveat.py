"""The best-fit caveat for areas not built from whole data zones (wards, community councils).

Why: a ward or community council profile is really a profile of the data zones fitted to it;
a board member must be told so, and how good the fit is, before reading its numbers. Wards'
fit is measured only when the build had the ward boundaries (``marts.areas.fit_quality`` is
NULL otherwise); the sentence must be right either way.
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
    or None when the area is built from whole data zones.

    The fit is stated when measured (community councils; wards when the build had the ward
    boundaries). Unmeasured, the sentence says so: for the whole area type (wards without
    ward boundaries), or, when ``type_fit_measured`` is true, for this one area (a lookup ward
    the boundary file has no polygon for).
    """
    if not area.get("is_best_fit"):
        return None
    caveat = str(area.get("fit_caveat") or "These figures are for the data zones best fitted to this area.")
    fit = _number(area.get("fit_quality"))
    if fit is None:
        if _number(area.get("type_fit_measured")) == 1.0:  # True (Python or numpy); NULL/absent: no
            return (f"{caveat} How well the data zones match the real boundary is not measured for "
                    f"{area.get('area_name', 'this area')}: the boundary file has no polygon for it.")
        return f"{caveat} How well the data zones match the real boundary is not measured for this area type."
    quality = "a rough fit" if fit < ROUGH_FIT else "a close fit"
    return (f"{caveat} For {area.get('area_name', 'this area')}, {fit:.0%} of the people in its data zones "
            f"live inside its boundary ({quality}).")


def fit_is_rough(area: Mapping[str, Any]) -> bool:
    """True when the measured fit is below ``ROUGH_FIT``: the caveat is then a warning, not a
    note. An unmeasured fit (wards built without ward boundaries) stays a note."""
    fit = _number(area.get("fit_quality"))
    return bool(area.get("is_best_fit")) and fit is not None and fit < ROUGH_FIT
