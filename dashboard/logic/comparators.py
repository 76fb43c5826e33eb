"""Comparator areas on the Area profile's trend chart: defaults, choices, and checking a link's list.

Why: ScotPHO's and CPOP's users add other areas to a trend chart (a neighbouring council, a
similar ward); the page draws its council and Scotland by default and lets a user add any
published area. The choice lives in the URL (``compare=council:S12000015,scotland:S92000003``,
``compare=none`` for none), so it comes back from a browser, where anything can be forged: every
entry is checked here, and an unknown or malformed one is left out with a sentence saying so,
never an error page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dashboard.data.queries import SCOTLAND_CODE, SCOTLAND_TYPE
from dashboard.figures.trend import EXTRA_STYLES
from dashboard.labels import singular_labels
from dashboard.logic.records import row_tuples

#: the council and Scotland plus every further comparator the chart has a style for
MAX_COMPARATORS = 2 + len(EXTRA_STYLES)
MAX_ASKED = 4 * MAX_COMPARATORS  # a forged link's longer list is cut before any area is looked up
NONE = "none"  # the URL value for "no comparators" (an absent key means the defaults)
_KEY = re.compile(r"^([a-z_]{1,40}):([A-Za-z0-9_-]{1,40})$")
SEARCH_LIMIT = 8


def key(area_type: str, area_code: str) -> str:
    """'council:S12000015': one comparator as the dropdown and the URL hold it."""
    return f"{area_type}:{area_code}"


def default_keys(area: dict[str, Any]) -> list[str]:
    """The area's council (unless it is one) and Scotland (unless it is Scotland)."""
    out = []
    council = area.get("council_code")
    if area.get("area_type") != "council" and isinstance(council, str) and council:
        out.append(key("council", council))
    if area.get("area_type") != SCOTLAND_TYPE:
        out.append(key(SCOTLAND_TYPE, SCOTLAND_CODE))
    return out


@dataclass
class Checked:
    """The comparators to draw, as (area_type, area_code) with names, and why any were left out."""

    areas: list[tuple[str, str]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [key(t, c) for t, c in self.areas]


def check_keys(queries: Any, raw: list[str] | None, area: dict[str, Any]) -> Checked:
    """Keep the well-formed, known, distinct comparators of ``raw`` (not the area itself), at most
    MAX_COMPARATORS; each one left out gets a sentence."""
    out = Checked()
    own = key(str(area["area_type"]), str(area["area_code"]))
    unknown: list[str] = []
    raw = list(raw or [])
    if len(raw) > MAX_ASKED:
        out.problems.append(f"{len(raw)} comparator areas were asked for: only the first {MAX_ASKED} were read.")
        raw = raw[:MAX_ASKED]
    for value in raw:
        match = _KEY.match(value) if isinstance(value, str) else None
        if match is None:
            unknown.append(str(value)[:60])
            continue
        if value == own or value in out.keys:
            continue
        found = queries.area(match.group(1), match.group(2))
        if found is None:
            unknown.append(value)
            continue
        if len(out.areas) == MAX_COMPARATORS:
            out.problems.append(f"At most {MAX_COMPARATORS} comparator areas can be drawn: "
                                f"{found['area_name']} was left out.")
            continue
        out.areas.append((match.group(1), match.group(2)))
        out.names[value] = str(found["area_name"])
    if unknown:
        out.problems.append("Not an area in this warehouse, so not drawn: " + ", ".join(unknown) + ".")
    return out


def defaults(area: dict[str, Any]) -> Checked:
    """The default comparators, named from the area's own row (no look-up: they are always valid)."""
    out = Checked()
    for value in default_keys(area):
        area_type, _, code = value.partition(":")
        out.areas.append((area_type, code))
        out.names[value] = "Scotland" if area_type == SCOTLAND_TYPE else str(area.get("council_name") or code)
    return out


def from_url(queries: Any, compare: str | list[str] | None, area: dict[str, Any]) -> Checked:
    """The comparators a link asks for: its ``compare`` list, none for 'none', else the defaults."""
    if compare is None:
        return defaults(area)
    values = [v.strip() for v in (compare if isinstance(compare, list) else compare.split(",")) if v.strip()]
    if values == [NONE]:
        return Checked()
    if values == default_keys(area):
        return defaults(area)  # what a page sends back on every redraw: no look-ups needed
    return check_keys(queries, values, area)


def url_value(keys: list[str]) -> str:
    """What the URL's ``compare`` holds for ``keys`` ('none' when empty)."""
    return ",".join(keys) if keys else NONE


def options(queries: Any, indicator: str, area: dict[str, Any], chosen: list[str], text: str | None) -> list[dict]:
    """Dropdown options: the chosen comparators (always, so they stay shown), Scotland and the councils,
    and, for a search text, areas of every type with values for the indicator whose name or code matches."""
    out: dict[str, str] = {}
    types = queries.area_types()
    labels = singular_labels(types)

    def label(area_type: str, name: str) -> str:
        # 'Fife (Council area (CPP))', 'Scotland (country)': every label ends in its kind in brackets, so the
        # drop-down's run-together values ('Fife (…)Scotland (country)2 selected') still read as its name's
        # words (axe's label-content-name-mismatch drops bracketed text before comparing)
        return f"{name} (country)" if area_type == SCOTLAND_TYPE else f"{name} ({labels.get(area_type, area_type)})"

    for value in chosen:
        match = _KEY.match(value)
        found = queries.area(match.group(1), match.group(2)) if match else None
        if found is not None:
            out[value] = label(match.group(1), str(found["area_name"]))
    searched = (SCOTLAND_TYPE, "council") if not (text or "").strip() else tuple(types.area_type)
    for area_type in searched:
        rows = queries.areas_with_data(indicator, area_type, text, limit=SEARCH_LIMIT if text else 100)
        for r in row_tuples(rows):
            out.setdefault(key(area_type, str(r.area_code)), label(area_type, str(r.area_name)))
    out.pop(key(str(area["area_type"]), str(area["area_code"])), None)
    return [{"label": label, "value": value} for value, label in out.items()]
