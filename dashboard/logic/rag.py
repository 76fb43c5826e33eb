"""Dashboard page: the RAG matrix and the exception report, as plain data."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# verdict -> (symbol + words, Bootstrap colour); words and symbols carry the meaning
TREND_CELL = {
    "improving": ("▲ improving", "success"),
    "worsening": ("▼ worsening", "danger"),
    "no significant change": ("● no change", "secondary"),
    "cannot be calculated": ("– n/a", "light"),
}


@dataclass(frozen=True)
class Cell:
    text: str
    colour: str
    value: str


def matrix(frame: pd.DataFrame) -> tuple[list[str], list[tuple[str, list[Cell]]]]:
    """(area names in order, [(indicator, cells per area)]) from ``Queries.rag_matrix``."""
    if frame.empty:
        return [], []
    areas = sorted(frame.area_name.unique())
    rows = []
    for title, part in frame.groupby("short_title", sort=False):
        by_area = {r.area_name: r for r in part.itertuples(index=False)}
        cells = []
        for area in areas:
            r = by_area.get(area)
            if r is None:
                cells.append(Cell("not published here", "light", ""))
                continue
            text, colour = TREND_CELL.get(r.trend_verdict, (r.trend_verdict, "light"))
            value = "suppressed" if pd.isna(r.latest_value) else f"{r.latest_value:,.1f}"
            cells.append(Cell(text, colour, value))
        rows.append((str(title), cells))
    return areas, rows


def exception_lines(frame: pd.DataFrame) -> list[str]:
    """One plain-English sentence per exception, most urgent first."""
    lines = []
    for r in frame.itertuples(index=False):
        parts = [f"{r.short_title}: {r.latest_value:,.1f} {r.unit_label} in {r.latest_period_label}"
                 if pd.notna(r.latest_value) else f"{r.short_title}: latest value suppressed"]
        if pd.notna(r.change_abs) and pd.notna(r.baseline_value):
            parts.append(f"{r.change_abs:+,.1f} since {r.baseline_period_label}")
        if r.trend_verdict == "worsening":
            parts.append("worsening (statistically significant)")
        if r.vs_scotland == "worse":
            parts.append("worse than Scotland")
        if r.gap_verdict == "widening":
            parts.append("gap between most and least deprived widening")
        if isinstance(r.target_status, str):
            parts.append(f"target {r.target_value:,.1f} by {int(r.target_year)} {r.target_status} "
                         f"(projected {r.projected_value:,.1f}; trajectory says {r.trajectory_value_latest:,.1f} now)")
        lines.append("; ".join(parts) + ".")
    return lines
