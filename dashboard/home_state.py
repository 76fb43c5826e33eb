"""Resolve the Quick Profile's state from URL arguments (the logic behind home's callbacks).

Why: callbacks are wiring (CONVENTIONS 8). Deciding which area type, area and indicator
to show, given possibly stale or hand-edited URL arguments, is logic: it lives here,
takes a Queries and plain values, and is unit-tested without a browser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.components.area_picker import (
    Option,
    area_label,
    area_options,
    area_type_options,
    default_area_type,
)
from dashboard.components.indicator_picker import choose_indicator, indicator_options
from dashboard.data.queries import MartUnavailable, Queries
from dashboard.exports import IndicatorProfile
from dashboard.labels import plural_labels
from dashboard.logic.area_profile import parent_area
from dashboard.logic.gap_verdict import headline_gap_verdicts
from dashboard.logic.quick_profile import QuickRow, gap_area_name, missing_indicators, quick_rows
from dashboard.tables.latest_values import LatestRow, priority_groups

SEARCH_LIMIT = 20


@dataclass
class Profile:
    """What the page shows for one chosen area."""

    area: dict[str, Any]
    groups: list[tuple[str, list[LatestRow]]]
    indicator_options: list[Option]
    indicator: str | None
    quick: list[tuple[str, list[QuickRow]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    gaps: dict[str, str] = field(default_factory=dict)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (indicator, why it has no value here)


@dataclass
class HomeState:
    """Everything the first render needs; empty lists when nothing is chosen yet."""

    type_options: list[Option] = field(default_factory=list)
    area_type: str | None = None
    area_options: list[Option] = field(default_factory=list)
    area_code: str | None = None
    profile: Profile | None = None


def search_options(
    queries: Queries, area_type: str | None, text: str | None, keep: Option | None = None
) -> list[Option]:
    """Type-ahead options for ``text`` within ``area_type``, keeping the selection."""
    if not area_type:
        return [keep] if keep else []
    return area_options(queries.search_areas(area_type, text, SEARCH_LIMIT), keep)


def load_profile(
    queries: Queries, area_type: str, area_code: str, indicator: str | None = None
) -> Profile | None:
    """The chosen area's latest values grouped by priority and its indicator choice.

    None when the area does not exist (e.g. a stale shared link).
    """
    area = queries.area(area_type, area_code)
    if area is None:
        return None
    groups = priority_groups(queries.latest_values(area_type, area_code))
    options = indicator_options(groups)
    notes = []
    try:
        comparisons = queries.area_comparisons(area_type, area_code)
    except MartUnavailable as exc:
        comparisons = None
        notes.append(f"Comparisons with the council and family group: {exc}.")
    parent_type, parent_code = parent_area(area)
    try:
        verdicts = queries.inequality_verdicts(parent_type, parent_code)
    except MartUnavailable as exc:
        verdicts = None
        notes.append(f"Deprivation-gap verdicts: {exc}.")
    gaps = headline_gap_verdicts(verdicts)
    quick = quick_rows(groups, comparisons, queries.area_sparklines(area_type, area_code), verdicts,
                       queries.local_labels())
    present = {row.indicator_id for _, rows in groups for row in rows}
    missing = missing_indicators(queries.explorer_indicators(), present, area_type,
                                 plural_labels(queries.area_type_labels()))
    return Profile(area, groups, options, choose_indicator(options, indicator), quick, notes, gaps, missing)


def resolve_home_state(
    queries: Queries,
    area_type: str | None = None,
    area_code: str | None = None,
    indicator: str | None = None,
) -> HomeState:
    """Validate URL arguments against the warehouse and build the first render's state.

    An unknown area type falls back to the default; an unknown area is dropped.
    """
    type_options = area_type_options(queries.area_types())
    chosen_type = default_area_type(type_options, area_type)
    profile = None
    keep = None
    if chosen_type and area_code:
        profile = load_profile(queries, chosen_type, area_code, indicator)
        if profile is not None:
            keep = {"label": area_label(profile.area), "value": area_code}
    return HomeState(
        type_options=type_options,
        area_type=chosen_type,
        area_options=search_options(queries, chosen_type, "", keep),
        area_code=area_code if profile is not None else None,
        profile=profile,
    )


@dataclass(frozen=True)
class TileMeasure:
    """One measure on a tile: its headline figure, a sparkline and its trend in words."""

    indicator_id: str
    title: str
    value: str  # '23.2%' or 'suppressed'
    period: str
    trend: str
    values: tuple[float | None, ...] = ()  # the sparkline, oldest first (None: withheld or missing)
    periods: tuple[str, ...] = ()
    local: str = ""  # 'Local data: <organisation> (<restriction>)' for a local dataset ('' when national)


@dataclass(frozen=True)
class Tile:
    """One SOA priority tile on Home: its measures, verdict counts, gap line and where to read more."""

    priority: str
    label: str
    sentence: str
    symbol: str
    tone: str
    href: str
    measures: tuple[TileMeasure, ...] = ()
    gap_line: str = ""


def priority_tiles(rows_of: Callable[[str], Sequence[TileMeasure]], gaps: Mapping[str, str],
                   href_of: Callable[[str], str], gap_where: str) -> list[Tile]:
    """Six tiles in national priority order from each priority's measures (``rows_of(slug)``)
    and the gap verdicts of ``gap_where`` (the area itself, or the council holding it); a
    priority with no measure still gets its tile, saying so."""
    from dashboard.labels import PRIORITY_LABELS
    from dashboard.logic.tiles import tile_gap_line, tile_sentence, tile_symbol, tile_tone
    from dashboard.tables.latest_values import PRIORITY_ORDER

    tiles = []
    for slug in PRIORITY_ORDER:
        rows, label, href = rows_of(slug), PRIORITY_LABELS.get(slug, slug), href_of(slug)
        if not rows:
            tiles.append(Tile(slug, label, "No measures published for this area.", "–", "secondary", href))
            continue
        tiles.append(Tile(slug, label, tile_sentence(rows), tile_symbol(rows), tile_tone(rows), href,
                          tuple(rows), tile_gap_line(rows, gaps, gap_where)))
    return tiles


def home_tiles(queries: Queries, area_type: str, area_code: str) -> list[Tile] | None:
    """Six tiles for a published area, from the marts; None when the area is unknown."""
    from dashboard.tables.latest_values import latest_row
    from dashboard.urlstate import area_profile_href

    area = queries.area(area_type, area_code)
    if area is None:
        return None
    df = queries.latest_values(area_type, area_code)
    sparklines = queries.area_sparklines(area_type, area_code)
    local = queries.local_labels()
    series = {str(k): part for k, part in sparklines.groupby("indicator_id", sort=False)} if len(sparklines) else {}

    def rows_of(slug: str) -> list[TileMeasure]:
        part = df[df["soa_priority"] == slug] if len(df) else df
        out = []
        for record in part.to_dict("records"):
            r = latest_row(record)
            spark = series.get(r.indicator_id)
            values: tuple[float | None, ...] = () if spark is None else tuple(
                None if bool(s) or pd.isna(v) else float(v) for v, s in zip(spark.value, spark.is_suppressed,
                                                                            strict=True))
            periods = () if spark is None else tuple(str(p) for p in spark.period_label)
            out.append(TileMeasure(r.indicator_id, r.title, r.value, r.period, r.trend, values, periods,
                                   local.get(r.indicator_id, "")))
        return out

    return priority_tiles(rows_of, queries.tile_gaps(*parent_area(area)),
                          lambda slug: area_profile_href(area_type, area_code, slug), _gap_where(area))


def _gap_where(area: Mapping[str, Any]) -> str:
    """Whose deprivation gap a tile shows: the area's own, or the council (Scotland) holding it."""
    return gap_area_name(area) or str(area.get("area_name", "this area"))


def profile_tiles(indicators: Sequence[IndicatorProfile], gaps: Mapping[str, str], href: str,
                  area: Mapping[str, Any]) -> list[Tile]:
    """Six tiles from a computed profile (a saved user-made area's), as ``home_tiles`` makes them
    from the marts: the indicators with a value and their trend verdicts; ``gaps`` are the
    parent's gap verdicts (``Queries.tile_gaps`` of the council holding the area, or Scotland).
    """
    from dashboard.exports.fmt import value_text

    shown = [i for i in indicators if i.latest is not None]

    def measure(i: IndicatorProfile) -> TileMeasure:
        p = i.latest
        assert p is not None
        own = [q for q in i.role_series("area") if q.value_type != "projected"]
        return TileMeasure(i.indicator_id, i.short_title, value_text(p.value, i.unit_label, suppressed=p.is_suppressed),
                           p.period_label, i.trend_verdict,
                           tuple(None if q.is_suppressed else q.value for q in own),
                           tuple(q.period_label for q in own), i.local_label)

    return priority_tiles(lambda slug: [measure(i) for i in shown if i.soa_priority == slug], gaps,
                          lambda _slug: href, _gap_where(area))
