"""The six SOA priority tiles: one plain sentence per priority for a board member."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol


class TrendRow(Protocol):
    """What a tile counts: an indicator and its statistical trend verdict (a LatestRow, or a
    user-made area's indicator)."""

    @property
    def indicator_id(self) -> str: ...

    @property
    def trend(self) -> str: ...


def tile_sentence(rows: Sequence[TrendRow], gaps: Mapping[str, str] | None = None) -> str:
    """E.g. '3 of 4 measures improving; 1 worsening; gap widening in 1'.

    ``rows`` carry the statistical trend verdicts (marts.trend); ``gaps`` maps indicator_id to
    the narrowing/widening verdict of the gap between the most and least deprived fifths.
    """
    total = len(rows)
    improving = sum(r.trend == "improving" for r in rows)
    worsening = sum(r.trend == "worsening" for r in rows)
    untested = sum(r.trend == "cannot be calculated" for r in rows)
    parts = [f"{improving} of {total} measure{'s' if total != 1 else ''} improving"]
    if worsening:
        parts.append(f"{worsening} worsening")
    if untested:
        parts.append(f"{untested} without enough data for a trend")
    gaps = gaps or {}
    widening = sum(gaps.get(r.indicator_id) == "widening" for r in rows)
    narrowing = sum(gaps.get(r.indicator_id) == "narrowing" for r in rows)
    if widening:
        parts.append(f"gap widening in {widening}")
    if narrowing:
        parts.append(f"gap narrowing in {narrowing}")
    return "; ".join(parts)


def tile_tone(rows: Sequence[TrendRow]) -> str:
    """Bootstrap colour for the tile border: danger when more worsen than improve."""
    improving = sum(r.trend == "improving" for r in rows)
    worsening = sum(r.trend == "worsening" for r in rows)
    return "danger" if worsening > improving else "success" if improving > worsening else "secondary"


def tile_symbol(rows: Sequence[TrendRow]) -> str:
    """A symbol that carries the tone without colour: ▲ more improving, ▼ more worsening, ● even."""
    tone = tile_tone(rows)
    return {"danger": "▼", "success": "▲"}.get(tone, "●")
