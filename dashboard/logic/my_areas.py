"""User-made areas: turning pasted text, uploads, map clicks and lassos into data zone lists.

Why: the selection an officer builds is always a list of data zone codes (that is what is
saved and profiled), whichever way it was made. On the map they may pick data zones or
whole intermediate zones; ``ZoneIndex`` holds one council's names and IZ membership so a
clicked or lassoed IZ becomes its data zones here, in pure functions tested without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.exports.profile import IndicatorProfile
from dashboard.logic.area_upload import upload_codes
from dashboard.logic.local_label import with_local
from dashboard.logic.records import row_tuples

DEFAULT_MAX_UPLOAD = 5 * 1024 * 1024


def codes_from_upload(contents: str | None, filename: str | None, max_bytes: int = DEFAULT_MAX_UPLOAD) -> list[str]:
    """Codes from a dcc.Upload payload: a CSV/text list of codes, a GeoJSON of data zones or an
    XLSX workbook; ``UploadError`` (a ValueError) names the file and why it cannot be read."""
    return upload_codes(contents, filename, max_bytes)


def pasted_summary(tokens: Sequence[str], datazones: Sequence[str]) -> str:
    """One line saying what was read from pasted text, so an officer sees postcodes were used."""
    if not tokens:
        return "No area codes or postcodes found in the text."
    postcodes = sum(1 for t in tokens if " " in t)  # codes_from_text writes postcodes as "AB10 1AB"
    codes = len(tokens) - postcodes
    parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((codes, "area code"), (postcodes, "postcode")) if n]
    return f"Read {' and '.join(parts)}: {len(datazones)} data zone{'' if len(datazones) == 1 else 's'}."


DATAZONE_MODE = "datazone"
IZ_MODE = "intermediate_zone"
#: What the map selects, as (value, label): the value is also the area type drawn.
SELECT_MODES = ((DATAZONE_MODE, "Data zones"), (IZ_MODE, "Intermediate zones"))


def select_mode(value: str | None) -> str:
    """The map's selection mode: ``value`` when it is one, else data zones (the default)."""
    return value if value in {m for m, _ in SELECT_MODES} else DATAZONE_MODE


@dataclass(frozen=True)
class ZoneIndex:
    """One council's data zones, their intermediate zones and the names of both.

    ``members`` maps each intermediate zone to its data zones (sorted); ``names`` maps data
    zone and intermediate zone codes to names. Built once per council and build.
    """

    datazones: frozenset[str] = frozenset()
    members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


def zone_index(frame: pd.DataFrame) -> ZoneIndex:
    """A ZoneIndex from ``Queries.council_zones`` rows (a data zone without an IZ is kept)."""
    members: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for row in row_tuples(frame):
        names[row.datazone_code] = row.datazone_name if isinstance(row.datazone_name, str) else row.datazone_code
        iz = row.intermediate_zone_code
        if isinstance(iz, str) and iz:
            members.setdefault(iz, []).append(row.datazone_code)
            names[iz] = row.intermediate_zone_name if isinstance(row.intermediate_zone_name, str) else iz
    return ZoneIndex(frozenset(frame["datazone_code"]), {iz: tuple(sorted(dz)) for iz, dz in members.items()},
                     names)


def event_codes(event: Mapping[str, Any] | None) -> list[str]:
    """Area codes of the points in a map's ``clickData`` or ``selectedData`` (first seen order)."""
    points = (event or {}).get("points") or []
    if not isinstance(points, list):
        return []
    return list(dict.fromkeys(p["location"] for p in points
                              if isinstance(p, Mapping) and isinstance(p.get("location"), str) and p["location"]))


def datazones_of(codes: Iterable[str], index: ZoneIndex) -> list[str]:
    """The data zones meant by codes picked on the map: an intermediate zone stands for all its
    data zones, a data zone for itself; a code the council does not have is ignored (a click on
    a map drawn for another council, still in flight)."""
    out: dict[str, None] = {}
    for code in codes:
        if code in index.members:
            out.update(dict.fromkeys(index.members[code]))
        elif code in index.datazones:
            out[code] = None
    return list(out)


def toggle_zones(selection: Sequence[str], zones: Sequence[str]) -> list[str]:
    """Remove ``zones`` when every one is already selected, else add them all (sorted).

    Why: clicking an intermediate zone that is partly selected completes it; clicking it again
    takes it out, so a click always undoes the previous one.
    """
    chosen = set(selection)
    wanted = set(zones)
    if not wanted:
        return sorted(chosen)
    return sorted(chosen - wanted if wanted <= chosen else chosen | wanted)


def toggle(selection: Sequence[str], clicked: str | None) -> list[str]:
    """Add a clicked data zone to the selection, or remove it if it was there."""
    return toggle_zones(selection, [clicked] if clicked else [])


def add_zones(selection: Sequence[str], zones: Iterable[str]) -> list[str]:
    """The selection with ``zones`` added (a lasso only ever adds), sorted and without repeats."""
    return sorted(set(selection) | set(zones))


def map_click(selection: Sequence[str], click: Mapping[str, Any] | None, index: ZoneIndex) -> list[str]:
    """The selection after a click on the map: the clicked zone's data zones toggled."""
    return toggle_zones(selection, datazones_of(event_codes(click)[:1], index))


def map_lasso(selection: Sequence[str], selected: Mapping[str, Any] | None, index: ZoneIndex) -> list[str]:
    """The selection after a lasso (or box) on the map: every lassoed zone's data zones added."""
    return add_zones(selection, datazones_of(event_codes(selected), index))


def selected_share(codes: Sequence[str], selection: Sequence[str], index: ZoneIndex) -> list[float]:
    """Per drawn zone, the share of its data zones that are selected (0 to 1): a data zone is
    0 or 1, an intermediate zone the fraction of its data zones. The map shades by it."""
    chosen = set(selection)
    out = []
    for code in codes:
        members = index.members.get(code)
        if members:
            out.append(sum(1 for dz in members if dz in chosen) / len(members))
        else:
            out.append(1.0 if code in chosen else 0.0)
    return out


def hover_texts(codes: Sequence[str], selection: Sequence[str], index: ZoneIndex) -> list[str]:
    """The map's hover line per drawn zone: its name, code and whether (how much of) it is selected."""
    chosen = set(selection)
    out = []
    for code in codes:
        name = index.names.get(code, code)
        members = index.members.get(code)
        if members:
            n = sum(1 for dz in members if dz in chosen)
            state = f"{n} of {len(members)} data zone{'' if len(members) == 1 else 's'} selected"
        else:
            state = "selected" if code in chosen else "not selected"
        out.append(f"{name} ({code}): {state}")
    return out


def selection_summary(count: int, population: int | None) -> str:
    """The status line under the map: how many data zones are selected and, when known, their
    population."""
    if count == 0:
        return "No data zones selected."
    zones = f"{count:,} data zone{'' if count == 1 else 's'} selected"
    return f"{zones}, population {population:,}." if population is not None else f"{zones}."


def profile_rows(indicators: Sequence[IndicatorProfile]) -> pd.DataFrame:
    """The user-made area's table: each indicator's latest value with its 95 % CI, whether it is
    better, similar or worse than Scotland and its council, and whether it is improving.

    The same ``IndicatorProfile`` rows the PDF export prints, so screen and file agree; a local dataset's
    title carries its label ('Attendance (Local data: …)').
    Suppressed values are words, never numbers; indicators with no value say why.
    """
    rows = []
    for ind in indicators:
        latest = ind.latest
        if latest is None:
            continue
        if latest.is_suppressed or latest.value is None:
            value, ci, note = "suppressed", "", latest.suppression_reason or "withheld"
        else:
            value = f"{latest.value:,.1f} {ind.unit_label}"
            ci = "" if latest.ci_lower is None else f"{latest.ci_lower:,.1f} – {latest.ci_upper:,.1f}"
            note = "low reliability" if latest.is_low_reliability else ""
        verdicts = {c.comparator: c.verdict for c in ind.comparisons}
        council = next((c.label for c in ind.comparisons if c.comparator == "council"), None)
        rows.append({"Indicator": with_local(ind.short_title, ind.local_label), "Period": latest.period_label, "Value": value, "95% CI": ci,
                     "vs Scotland": verdicts.get("scotland", "–"),
                     "vs council": f"{verdicts['council']} ({council})" if "council" in verdicts else "–",
                     "Trend": ind.trend_verdict, "Note": "; ".join(n for n in (note, *latest.labels) if n),
                     "Source": ind.source_line})
    columns = ["Indicator", "Period", "Value", "95% CI", "vs Scotland", "vs council", "Trend", "Note", "Source"]
    return pd.DataFrame(rows, columns=columns).sort_values("Indicator", kind="stable").reset_index(drop=True)


def unavailable_text(indicators: Sequence[IndicatorProfile]) -> str | None:
    """'Not available for a user-made area: Business survival (published for council areas (CPPs) and Scotland
    only), …' — the indicators a user-made area cannot have, with why; None when every one has a value."""
    missing = [f"{i.short_title} ({i.note.removeprefix('not available for user-made areas: ')})"
               if i.note else i.short_title for i in indicators if i.latest is None]
    return f"Not available for a user-made area: {', '.join(missing)}." if missing else None


def part_options(frame: pd.DataFrame) -> list[dict[str, str]]:
    """"Add zones by name" choices from ``Queries.council_parts`` rows:
    ``'Kirkcaldy East (S02001234) – Intermediate zone'``, the code keeping equal names apart."""
    return [{"label": f"{r.area_name} ({r.area_code}) – {r.area_type_label}", "value": str(r.area_code)}
            for r in row_tuples(frame)]


#: How many "Add zones by name" choices are listed at once: the matches of what is typed (or, before
#: typing, the first ones, larger kinds of area first). Every part of a large council is ~1,000
#: options, and the drop-down's search index over them cost the My areas page ~80 ms on each draw.
PICK_LIMIT = 50


def pick_options(options: Sequence[Mapping[str, str]], text: str | None, chosen: Any) -> list[dict[str, str]]:
    """The chosen parts, then up to ``PICK_LIMIT`` others whose label holds ``text`` (any case)."""
    kept = set(chosen) if isinstance(chosen, list) else set()
    needle = (text or "").strip().casefold()[:100]
    out = [dict(o) for o in options if o["value"] in kept]
    for option in options:
        if len(out) >= len(kept) + PICK_LIMIT:
            break
        if option["value"] not in kept and needle in option["label"].casefold():
            out.append(dict(option))
    return out


def added_summary(picked: Sequence[str], before: Sequence[str], after: Sequence[str]) -> str:
    """What "Add to selection" did, in words (announced to screen readers by the status line)."""
    new = len(set(after) - set(before))
    areas = f"{len(picked)} area{'' if len(picked) == 1 else 's'}"
    zones = f"{new} data zone{'' if new == 1 else 's'}"
    return f"Added {zones} from {areas}." if new else f"The {areas} chosen were already in the selection."
