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


def tile_sentence(rows: Sequence[TrendRow]) -> str:
    """E.g. '2 of 4 measures improving, 1 worsening, 1 not tested' (marts.trend verdicts)."""
    total = len(rows)
    improving = sum(r.trend == "improving" for r in rows)
    worsening = sum(r.trend == "worsening" for r in rows)
    untested = sum(r.trend not in ("improving", "worsening", "no significant change") for r in rows)
    parts = [f"{improving} of {total} measure{'s' if total != 1 else ''} improving"]
    if worsening:
        parts.append(f"{worsening} worsening")
    if untested:
        parts.append(f"{untested} without enough data for a trend")
    return "; ".join(parts)


def tile_gap_line(rows: Sequence[TrendRow], gaps: Mapping[str, str], where: str) -> str:
    """The tile's one gap line, naming whose gap it is (a ward's is its council's), e.g.
    'Gap between the most and least deprived in Fife: widening for Child poverty; cannot be tested for Crime rate.'"""
    judged = [(r, gaps[r.indicator_id]) for r in rows if r.indicator_id in gaps]
    if not judged:
        return f"No measure here is broken down by deprivation in {where}."
    parts = []
    for verdict in ("widening", "narrowing", "no significant change"):
        names = [_name(r) for r, v in judged if v == verdict]
        if names:
            parts.append(f"{verdict} for {', '.join(names)}")
    untested = [_name(r) for r, v in judged if v not in ("widening", "narrowing", "no significant change")]
    if untested:  # named, as the verdicts are: "not tested for 2" left the reader guessing which
        parts.append(f"cannot be tested for {', '.join(untested)}")
    return f"Gap between the most and least deprived in {where}: " + "; ".join(parts) + "."


def _name(row: TrendRow) -> str:
    return str(getattr(row, "title", row.indicator_id))


def tile_tone(rows: Sequence[TrendRow]) -> str:
    """Bootstrap colour for the tile border: danger when more worsen than improve."""
    improving = sum(r.trend == "improving" for r in rows)
    worsening = sum(r.trend == "worsening" for r in rows)
    return "danger" if worsening > improving else "success" if improving > worsening else "secondary"


def tile_symbol(rows: Sequence[TrendRow]) -> str:
    """A symbol that carries the tone without colour: ▲ more improving, ▼ more worsening, ● even."""
    tone = tile_tone(rows)
    return {"danger": "▼", "success": "▲"}.get(tone, "●")
