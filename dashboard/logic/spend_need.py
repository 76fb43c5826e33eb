"""Words and rows of a spend-and-need view, shared by the page, its Excel download and the
board report (pure: no Dash, no warehouse).

Why: the same ranked table and the same two lists appear on three surfaces; building them once
keeps them identical (one source per figure). A withheld need value (disclosure control) is
shown as "withheld", never as a number.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.logic.records import row_tuples
from etl.spend.need import (
    HIGH_NEED_LOW_SPEND,
    LOW_NEED_HIGH_SPEND,
    high_need_low_spend,
    low_need_high_spend,
)

RANKED_COLUMNS = ["Rank (spend per head)", "Area", "Spend", "Population", "Spend per head", "Need measure",
                  "Need rank", "Quarter"]
LIST_TITLES = {HIGH_NEED_LOW_SPEND: "Higher need, lower spend", LOW_NEED_HIGH_SPEND: "Lower need, higher spend"}


def _missing(value: Any) -> bool:
    """None, NaN or pandas' NA (a withheld or unknown figure)."""
    return value is None or bool(pd.isna(value))


def money(value: float | None, units: str, decimals: int = 2) -> str:
    """``£1,234.50`` for pounds, ``1,234.5 hours`` otherwise; ``–`` when missing."""
    if _missing(value):
        return "–"
    number = f"{value:,.{decimals}f}"
    return f"£{number}" if units == "£" else f"{number} {units}"


def need_text(value: float | None, unit_label: str) -> str:
    """The need value with its unit (``12.3%``, ``45.6 per 10,000``), or ``withheld``."""
    if _missing(value):
        return "withheld or not available"
    return f"{value:,.1f}%" if unit_label == "%" else f"{value:,.1f} {unit_label}".strip()


def per_head_label(view: Any) -> str:
    """``£ per head`` / ``hours per head``: the y-axis and column title."""
    return f"{view.meta.units} per head" if view.meta.units != "£" else "£ per head"


def ranked_rows(view: Any) -> list[dict[str, Any]]:
    """One row per area, most spend per head first: numbers as numbers (for sorting and Excel),
    the need value ``None`` when withheld."""
    rows = []
    for r in view.result.areas.to_dict("records"):
        rows.append({
            "Rank (spend per head)": None if _missing(r["spend_rank"]) else int(r["spend_rank"]),
            "Area": r["area_name"],
            "Spend": round(float(r["amount"]), 2),
            "Population": None if _missing(r["population"]) else int(r["population"]),
            "Spend per head": None if _missing(r["spend_per_head"]) else round(float(r["spend_per_head"]), 2),
            "Need measure": None if _missing(r["need_value"]) else round(float(r["need_value"]), 2),
            "Need rank": None if _missing(r["need_rank"]) else int(r["need_rank"]),
            "Quarter": r["quadrant"],
        })
    return rows


def list_items(view: Any) -> dict[str, list[str]]:
    """The two lists as lines of text: each area with its spend per head and need value."""
    units, unit_label = view.meta.units, view.unit_label
    out = {}
    for key, frame in ((HIGH_NEED_LOW_SPEND, high_need_low_spend(view.result)),
                       (LOW_NEED_HIGH_SPEND, low_need_high_spend(view.result))):
        out[key] = [f"{r.area_name}: {money(r.spend_per_head, units)} per head, {view.indicator_title} "
                    f"{need_text(r.need_value, unit_label)}" for r in row_tuples(frame)]
    return out


def summary(view: Any) -> str:
    """One sentence: what the chart shows, the two council lines and how many areas are in each list."""
    result, units = view.result, view.meta.units
    lists = list_items(view)
    service = view.service.lower() if view.service != "All services" else "all services"
    council_need = need_text(result.council_need_value, view.unit_label)
    return (f"{view.meta.title} ({service}, {view.meta.period_label(view.year)}) per head against "
            f"{view.indicator_title} ({view.need_period}) for {len(result.areas)} {area_word(view, len(result.areas))} "
            f"of {view.council_name}. Council-wide spend per head {money(result.council_spend_per_head, units)}; "
            f"council {view.indicator_title.lower()} {council_need}. {len(lists[HIGH_NEED_LOW_SPEND])} with higher "
            f"need and lower spend, {len(lists[LOW_NEED_HIGH_SPEND])} with lower need and higher spend.")


AREA_WORDS = {"datazone": ("data zone", "data zones"), "intermediate_zone": ("intermediate zone", "intermediate zones"),
              "ward": ("ward", "wards"), "locality": ("locality", "localities")}


def area_word(view: Any, count: int) -> str:
    """``locality`` / ``localities`` for the dataset's level."""
    one, many = AREA_WORDS.get(view.meta.area_type, ("area", "areas"))
    return one if count == 1 else many


def notes(view: Any) -> list[str]:
    """How to read the figures: population year, what 'higher need' means, and areas not placed."""
    direction = "lower is better" if view.result.polarity == "low_is_good" else "higher is better"
    out = [f"Spend per head = spend / population (NRS small-area estimates, {view.population_year}). The council-wide "
           "figure is total spend over total population of these areas. Higher need means worse than the council's "
           f"own value on {view.indicator_title} ({direction}); higher spend means more per head than the "
           "council-wide figure."]
    unplaced = view.result.areas[view.result.areas.quadrant == "Not placed"]
    if len(unplaced):
        out.append(f"Not placed in a quarter (population or need value withheld or not available): "
                   f"{', '.join(unplaced.area_name)}.")
    return out
