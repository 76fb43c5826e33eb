"""Most vs least deprived over time: the two ends of the deprivation gradient, period by period.

Why: "is the gap narrowing?" is the board's second question, and the latest-period bar chart
cannot answer it; ScotPHO's profiles draw the most and least deprived groups' rates as two
lines over time. Each point carries its 95 % interval (whiskers and hover), a withheld group
is a gap (never zero), and the two lines differ in colour, dash and marker, so the chart reads
in greyscale. A plain figure dict (see ``dashboard.figures.trend``).
"""

from __future__ import annotations

import pandas as pd

from dashboard.figures.trend import AREA_COLOUR, COUNCIL_COLOUR, FONT, Figure, empty_figure
from dashboard.formatting import SUPPRESSED_TEXT, format_ci, format_value
from dashboard.logic.records import row_tuples

MOST_COLOUR = COUNCIL_COLOUR  # Okabe-Ito vermillion
LEAST_COLOUR = AREA_COLOUR  # Okabe-Ito blue


def extremes_over_time(groups: pd.DataFrame) -> pd.DataFrame:
    """The most deprived (group 1) and least deprived (the highest group) rows of each period.

    ``groups`` holds one basis of ``Queries.inequality_groups`` (every period): period_label,
    period_year, group_number, value, ci_lower, ci_upper, is_suppressed. Returns those columns
    plus ``end`` ('most' | 'least'), ordered by period.
    """
    columns = ["period_label", "period_year", "end", "group_number", "value", "ci_lower", "ci_upper",
               "is_suppressed"]
    if groups.empty:
        return pd.DataFrame(columns=columns)
    top = int(groups.group_number.max())
    most = groups[groups.group_number == 1].assign(end="most")
    least = groups[groups.group_number == top].assign(end="least")
    out = pd.concat([most, least]).sort_values(["period_year", "period_label", "end"], kind="stable")
    return out[columns].reset_index(drop=True)


def _line(rows: pd.DataFrame, name: str, colour: str, dash: str, symbol: str, unit: str) -> dict:
    values, plus, minus, hover = [], [], [], []
    for r in row_tuples(rows):
        hidden = bool(r.is_suppressed) or pd.isna(r.value)
        values.append(None if hidden else float(r.value))
        ok = not hidden and not pd.isna(r.ci_lower) and not pd.isna(r.ci_upper)
        plus.append(float(r.ci_upper) - float(r.value) if ok else None)
        minus.append(float(r.value) - float(r.ci_lower) if ok else None)
        suppressed = bool(r.is_suppressed)
        hover.append(f"{name}<br>{r.period_label}: {format_value(r.value, unit, suppressed=suppressed)}<br>"
                     f"95% CI: {format_ci(r.ci_lower, r.ci_upper, suppressed=suppressed)}")
    return {"type": "scatter", "mode": "lines+markers", "name": name, "x": rows.period_label.astype(str).tolist(),
            "y": values, "connectgaps": False, "line": {"color": colour, "width": 2.5, "dash": dash},
            "marker": {"color": colour, "size": 8, "symbol": symbol},
            "error_y": {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
                        "color": colour, "thickness": 1, "width": 4},
            "hovertext": hover, "hoverinfo": "text"}


def extremes_figure(extremes: pd.DataFrame, unit: str, fifths: bool = True) -> Figure:
    """Two lines, most and least deprived group per period, with 95 % CI whiskers."""
    if extremes.empty or extremes.value.isna().all():
        return empty_figure("No values by deprivation for this indicator and area.")
    word = "fifth" if fifths else "tenth"
    order = list(dict.fromkeys(extremes.sort_values(["period_year", "period_label"]).period_label.astype(str)))
    most = extremes[extremes.end == "most"]
    least = extremes[extremes.end == "least"]
    traces = [_line(most, f"Most deprived {word}", MOST_COLOUR, "dash", "diamond", unit),
              _line(least, f"Least deprived {word}", LEAST_COLOUR, "solid", "circle", unit)]
    hidden = sorted({str(p) for p in extremes[extremes.is_suppressed.fillna(False).astype(bool)].period_label})
    annotations = [{"x": order.index(p), "xref": "x", "y": 0, "yref": "paper", "yanchor": "bottom",
                    "text": SUPPRESSED_TEXT, "showarrow": False, "textangle": -90,
                    "font": {"size": 11, "color": "#444"}} for p in hidden if p in order]
    return {"data": traces, "layout": {
        "font": {"family": FONT, "size": 12, "color": "#222"},
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": order, "showgrid": False,
                  "linecolor": "#888", "automargin": True},
        "yaxis": {"title": {"text": unit}, "gridcolor": "#e5e5e5", "zeroline": False, "rangemode": "tozero",
                  "automargin": True},
        "plot_bgcolor": "white", "paper_bgcolor": "white",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 40}, "height": 340, "hovermode": "closest",
        "annotations": annotations,
    }}
