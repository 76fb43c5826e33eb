"""Area Profiles: which area types and areas to offer for an indicator, and why one is missing.

Why: pickers that offer areas with no data are a top complaint with existing tools (DOMAIN).
Area types the indicator is not published for are shown disabled with the reason; the area
list holds only areas with a published value; an area chosen by a (stale) link that has no
value stays visible, labelled with the reason, so the user knows why it is empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.components.area_picker import area_label
from dashboard.data.queries import SCOTLAND_CODE, SCOTLAND_TYPE
from dashboard.logic import comparators
from dashboard.logic.availability import NOT_AT_LEVEL, missing_reason
from dashboard.logic.explorer import as_list
from dashboard.logic.provenance import published_for
from dashboard.logic.records import row_tuples

#: Areas the picker lists before the reader types (in name order; typing searches them all). Each
#: option costs the drop-down's search index on every draw: 200 cost ~50 ms of the page's first render.
AREA_LIMIT = 50
ABOVE_COUNCIL = ("council", "scotland", "health_board", "hscp")


def geographies(catalogue: pd.DataFrame, indicator: str | None) -> list[str]:
    """The area types the indicator is published for (meta.indicators.geographies)."""
    hit = catalogue[catalogue.indicator_id == indicator] if indicator else catalogue.iloc[0:0]
    if hit.empty:
        return []
    value = hit.geographies.iloc[0]
    return [] if value is None or isinstance(value, float) else [str(v) for v in value]


def type_options(types: pd.DataFrame, published: list[str],
                 labels: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Area type options; types without the indicator are disabled and say so: with ``labels``
    (plural area type labels) where it is published ('Multi-member ward (published for council areas
    (CPPs) and Scotland only)'), else 'not published at this level'."""
    built = [t for t in published if t in set(types.area_type)] or published
    why = published_for(built, labels) if labels and published else NOT_AT_LEVEL
    out = []
    for r in row_tuples(types):
        ok = not published or r.area_type in published
        out.append({"label": str(r.label) if ok else f"{r.label} ({why})", "value": str(r.area_type),
                    "disabled": not ok})
    return out


def choose_type(options: list[dict[str, Any]], requested: str | None) -> str | None:
    """The requested type when enabled, else council, else the first enabled type."""
    enabled = [o["value"] for o in options if not o.get("disabled")]
    for candidate in (requested, "council"):
        if candidate in enabled:
            return candidate
    return enabled[0] if enabled else None


def area_choices(queries: Any, indicator: str, area_type: str, text: str | None = None,
                 keep: str | None = None) -> tuple[list[dict[str, str]], str | None]:
    """(options, reason) — areas with data matching ``text``; ``keep`` stays in the list,
    labelled with the reason when it has no published value (reason is then returned)."""
    rows = queries.areas_with_data(indicator, area_type, text, limit=AREA_LIMIT)
    options = [{"label": area_label(r), "value": str(r["area_code"])} for r in rows.to_dict("records")]
    reason = None
    if keep and keep not in {o["value"] for o in options}:
        area = queries.area(area_type, keep)
        if area is not None:
            reason = missing_reason(queries.availability(indicator, area_type, keep))
            label = area_label(area) + (f" — no value: {reason}" if reason else "")
            options.insert(0, {"label": label, "value": keep})
    return options, reason


def parent_area(area: dict[str, Any]) -> tuple[str, str]:
    """The area whose council-level comparisons and deprivation gap apply: itself when a council
    (or Scotland), else the council it is in, else Scotland (an area across councils)."""
    if area.get("area_type") == "council":
        return "council", str(area["area_code"])
    council = area.get("council_code")
    if isinstance(council, str) and council:
        return "council", council
    return "scotland", "S92000003"


def rank_scope(area_type: str, area: dict[str, Any]) -> str | None:
    """The council to rank and map within (None: all areas of the type)."""
    if area_type in ABOVE_COUNCIL:
        return None
    council = area.get("council_code")
    return council if isinstance(council, str) and council else None


def communities_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Display rows of the communities-in-the-round table (combined scores, the sums of the outcomes'
    z-scores, to 2 dp; flags as words). The headings say "combined score", never "sum of z" (issue 13)."""
    out = []
    for r in row_tuples(frame):
        def z(v: Any) -> str:
            return "–" if v is None or pd.isna(v) else f"{v:+.2f}"
        out.append({"Rank (1 = most vulnerable)": "–" if pd.isna(r.rank_in_council) else int(r.rank_in_council),
                    "Community": r.area_name or r.area_code, "Code": r.area_code,
                    "Outcomes": "–" if pd.isna(r.outcomes) else int(r.outcomes),
                    "Outcomes now vs council (combined score)": z(r.total_level_z_council),
                    "Change vs council (combined score)": z(r.total_z_council),
                    "Change vs Scotland (combined score)": z(r.total_z_scotland),
                    "Most vulnerable": "yes" if bool(r.is_most_vulnerable) else "no"})
    return out


def warm_area_pickers(queries: Any) -> None:
    """Read, once per build, the lists an Area profile opens with: the areas with data of each
    indicator and area type (the area drop-down) and the comparators offered before typing.

    Why: they are the same for every area, yet the first request after a start-up or a rebuild
    to open each paid for its list (5-15 ms a query); ``cpop serve`` calls this with the other
    warm-ups (``dashboard.data.warmer``): ~190 small queries on real Scotland, about a second.
    """
    scotland = {"area_type": SCOTLAND_TYPE, "area_code": SCOTLAND_CODE}
    for row in row_tuples(queries.explorer_indicators()):
        indicator = str(row.indicator_id)
        for area_type in as_list(row.area_types):
            area_choices(queries, indicator, str(area_type))
        comparators.options(queries, indicator, scotland, [], None)
