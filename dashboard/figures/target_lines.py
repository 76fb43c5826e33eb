"""A target and the trajectory to it, as traces to lay over a trend chart.

Why: performance frameworks ask "are we on course for the target?", and a status word in a
table cannot show how far off course; the CPOP and ScotPHO tools draw the target. The target
is a star at the target year and the trajectory the straight line from the baseline value to
it (``marts.targets``, docs/methods.md "Targets"), read at each period's year so the line
passes through where the area should have been in that period, however unevenly the periods
are spaced on the chart's category axis. Okabe-Ito bluish green, dash-dot line and a star
marker, so it is never told apart by colour alone.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.formatting import format_value, is_missing

TARGET_COLOUR = "#009E73"  # Okabe-Ito bluish green


def target_label(target_year: int) -> str:
    """The x-axis category of a target year no period of the series falls in."""
    return f"{target_year} target"


def _periods(area: pd.DataFrame) -> list[tuple[int, str]]:
    rows = area[["period_year", "period_label"]].drop_duplicates("period_label")
    return sorted((int(y), str(p)) for y, p in zip(rows.period_year, rows.period_label, strict=True))


def target_categories(order: list[str], area: pd.DataFrame, target: dict[str, Any]) -> list[str]:
    """``order`` (the chart's periods) with the target's own category placed by year, when no period
    of the series has the target year."""
    periods = _periods(area)
    year = int(target["target_year"])
    if any(y == year for y, _ in periods):
        return order
    label = target_label(year)
    later = [p for y, p in periods if y > year and p in order]
    at = order.index(later[0]) if later else len(order)
    return [*order[:at], label, *order[at:]]


def target_traces(area: pd.DataFrame, target: dict[str, Any], unit: str) -> list[dict[str, Any]]:
    """The trajectory line (baseline → target, one point per period in between) and the target point.

    ``area`` is the area's series (period_label, period_year); ``target`` a ``Queries.target`` row.
    No trajectory without a baseline (the target point is still drawn).
    """
    year, value = int(target["target_year"]), float(target["target_value"])
    periods = _periods(area)
    at_year = [p for y, p in periods if y == year]
    target_x = at_year[0] if at_year else target_label(year)
    status = str(target.get("status") or "cannot be calculated")
    who = f"<br>Set by {target['set_by']}" if target.get("set_by") else ""
    traces: list[dict[str, Any]] = []
    baseline_label, baseline_value = target.get("baseline_period_label"), target.get("baseline_value")
    base_years = [y for y, p in periods if p == baseline_label]
    if base_years and not is_missing(baseline_value) and year > base_years[0]:
        start, begin = base_years[0], float(baseline_value)
        points = [(p, begin + (value - begin) * (y - start) / (year - start)) for y, p in periods if start <= y < year]
        xs, ys = [p for p, _ in points] + [target_x], [v for _, v in points] + [value]
        traces.append({
            "type": "scatter", "mode": "lines", "x": xs, "y": ys, "name": f"Trajectory to target (from {baseline_label})",
            "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dashdot"},
            "hovertext": [f"Trajectory to target<br>{x}: {format_value(v, unit)}" for x, v in zip(xs, ys, strict=True)],
            "hoverinfo": "text", "meta": "trajectory",
        })
    traces.append({
        "type": "scatter", "mode": "markers", "x": [target_x], "y": [value],
        "name": f"Target for {year}: {status}",
        "marker": {"color": TARGET_COLOUR, "size": 15, "symbol": "star", "line": {"width": 1, "color": "#004d38"}},
        "hovertext": [f"Target for {year}: {format_value(value, unit)}<br>Status: {status}{who}"],
        "hoverinfo": "text", "meta": "target",
    })
    return traces
