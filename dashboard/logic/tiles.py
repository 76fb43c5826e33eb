"""The six SOA priority tiles: one plain sentence per priority for a board member."""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.tables.latest_values import LatestRow


def tile_sentence(rows: Sequence[LatestRow]) -> str:
    """E.g. '2 of 3 measures improving; 1 worsening' from the rows' trend verdicts."""
    total = len(rows)
    improving = sum(r.trend == "improving" for r in rows)
    worsening = sum(r.trend == "worsening" for r in rows)
    untested = sum(r.trend == "cannot be calculated" for r in rows)
    parts = [f"{improving} of {total} measure{'s' if total != 1 else ''} improving"]
    if worsening:
        parts.append(f"{worsening} worsening")
    if untested:
        parts.append(f"{untested} without enough data for a trend")
    return "; ".join(parts)


def tile_tone(rows: Sequence[LatestRow]) -> str:
    """Bootstrap colour for the tile border: danger when more worsen than improve."""
    improving = sum(r.trend == "improving" for r in rows)
    worsening = sum(r.trend == "worsening" for r in rows)
    return "danger" if worsening > improving else "success" if improving > worsening else "secondary"
