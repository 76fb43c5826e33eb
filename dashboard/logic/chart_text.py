"""A chart's data as text: one row per point, worded as the chart's own hover label.

Why: a chart is an image to a screen reader and to anyone who cannot point at its points
(WCAG 1.1.1, 2.1.1); its text alternative is a one-sentence summary plus its data as a table.
The table is read from the figure itself (the same numbers, formatted as the hover labels a mouse
user reads), so it can never disagree with the chart, for every figure builder at once.
Bands, ranges and outlines drawn only as context (``hoverinfo: "skip"``) carry no data of their own
and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

PLACEHOLDER = re.compile(r"%\{(?P<field>[a-z]+)(?:\[(?P<index>\d+)\])?(?::(?P<format>[^}]*))?\}")
EXTRA = re.compile(r"<extra>.*?</extra>", re.S)
BREAK = re.compile(r"<br\s*/?>", re.I)
TAGS = re.compile(r"<[^>]+>")
NO_VALUE = "no value"


def _as_dict(figure: Any) -> Mapping[str, Any]:
    return figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else figure


def _at(values: Any, i: int) -> Any:
    if isinstance(values, (list, tuple)):
        return values[i] if i < len(values) else None
    return values  # a scalar applies to every point


def _fmt(value: Any, spec: str | None) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return NO_VALUE
    if spec:
        try:
            return format(value, spec)
        except (TypeError, ValueError):
            pass
    return str(value)


def _plain(text: str) -> str:
    """Hover HTML as one line: breaks become "; ", other tags go."""
    return TAGS.sub("", BREAK.sub("; ", EXTRA.sub("", text))).strip(" ;")


@lru_cache(maxsize=256)
def _parsed(template: str) -> tuple[tuple[str, str | None, int | None, str | None], ...]:
    """The template as (text before, field, index, format) parts, the last with no field.

    Why: a map's table fills one template for each of its ~1,300 areas; parsing it once per
    template instead of once per point halved the time its data table took."""
    parts: list[tuple[str, str | None, int | None, str | None]] = []
    start = 0
    for match in PLACEHOLDER.finditer(template):
        index = match["index"]
        parts.append((template[start:match.start()], match["field"], None if index is None else int(index),
                      match["format"]))
        start = match.end()
    parts.append((template[start:], None, None, None))
    return tuple(parts)


def _from_template(template: str, trace: Mapping[str, Any], i: int) -> str:
    out = []
    for text, name, index, spec in _parsed(template):
        out.append(text)
        if name is None:
            continue
        value = _at(trace.get(name), i)
        if index is not None:
            value = _at(value, index) if isinstance(value, (list, tuple)) else None
        out.append(_fmt(value, spec))
    return _plain("".join(out))


def _point_count(trace: Mapping[str, Any]) -> int:
    for key in ("locations", "y" if trace.get("orientation") == "h" else "x", "x", "y", "z"):
        values = trace.get(key)
        if isinstance(values, (list, tuple)):
            return len(values)
    return 0


def _point_text(trace: Mapping[str, Any], i: int) -> str:
    hover = _at(trace.get("hovertext"), i)
    if isinstance(hover, str):
        lines = [part for part in BREAK.split(hover) if part.strip()]
        if len(lines) > 1 and lines[0].strip() == str(trace.get("name", "")).strip():
            lines = lines[1:]  # the series name is its own column
        return _plain("<br>".join(lines))
    template = trace.get("hovertemplate")
    if isinstance(template, str):
        return _from_template(_at(template, i) if isinstance(template, list) else template, trace, i)
    horizontal = trace.get("orientation") == "h"
    label, value = ("y", "x") if horizontal else ("x", "y")
    if trace.get("type") in ("choroplethmap", "choropleth", "choroplethmapbox"):
        label, value = ("text" if trace.get("text") else "locations"), "z"
    return f"{_fmt(_at(trace.get(label), i), None)}: {_fmt(_at(trace.get(value), i), ',.4g')}"


def chart_rows(figure: Any) -> list[tuple[str, str]]:
    """(series, point) for every point the chart shows, in drawing order.

    A trace whose hover is switched off (``hoverinfo`` "skip"/"none") is context, not data, and is
    left out, and so is a point with an empty hover label (a gap the chart does not draw).
    """
    rows: list[tuple[str, str]] = []
    for trace in _as_dict(figure).get("data", []) or []:
        if trace.get("hoverinfo") in ("skip", "none") or trace.get("visible") is False:
            continue
        name = str(trace.get("name") or trace.get("meta") or "")
        for i in range(_point_count(trace)):
            text = _point_text(trace, i)
            if text:
                rows.append((name, text))
    return rows


def chart_title(figure: Any) -> str:
    """The figure's own title text, or ''."""
    title = (_as_dict(figure).get("layout") or {}).get("title")
    text = title.get("text") if isinstance(title, Mapping) else title
    return _plain(str(text)) if text else ""


def series_names(rows: Sequence[tuple[str, str]]) -> list[str]:
    """The series of ``rows``, in order, once each."""
    return list(dict.fromkeys(name for name, _ in rows))
