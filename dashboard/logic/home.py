"""Home: the saved user-made areas offered in the type-ahead beside published areas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

USER_TYPE = "user"


def saved_area_options(areas: Iterable[Any], text: str | None = None, limit: int = 20) -> list[dict[str, str]]:
    """Saved areas whose name contains every typed word (any case), as dropdown options."""
    words = (text or "").lower().split()
    out = []
    for area in areas:
        name = str(area.name)
        if all(w in name.lower() for w in words):
            out.append({"label": f"{name} (saved area, {len(area.datazones)} data zones)", "value": area.area_id})
    return out[:limit]
