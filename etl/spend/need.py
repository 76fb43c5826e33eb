"""Spend per head against a need measure: the arithmetic, pure and hand-checkable.

Why: a board asks "are we spending where the need is?". Each area's spend (summed over the
chosen services) is divided by its population; the council-wide spend per head is the
council's total spend over the total population of the same areas (summed, then divided:
never an average of per-head figures), and the need measure's council value is the council's
own published figure (a rate re-computed from summed counts in the build). The two council
lines divide the areas into four quarters, named in words:

- **higher need** means worse than the council on the need measure (a higher value when lower
  is good, a lower value when higher is good); an area exactly at the council value is
  "lower need", so "higher" always means strictly worse;
- **higher spend** means strictly more per head than the council-wide figure.

Areas with no population or whose need value is withheld (disclosure control) or missing are
listed, never placed in a quarter.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

HIGH_NEED_LOW_SPEND = "Higher need, lower spend"
HIGH_NEED_HIGH_SPEND = "Higher need, higher spend"
LOW_NEED_HIGH_SPEND = "Lower need, higher spend"
LOW_NEED_LOW_SPEND = "Lower need, lower spend"
QUADRANTS = (HIGH_NEED_LOW_SPEND, HIGH_NEED_HIGH_SPEND, LOW_NEED_HIGH_SPEND, LOW_NEED_LOW_SPEND)
NOT_PLACED = "Not placed"


@dataclass(frozen=True)
class SpendNeed:
    """One view: a row per area, and the two council lines.

    ``areas`` columns: area_code, area_name, amount, population, spend_per_head, need_value,
    need_period, quadrant, spend_rank (1 = most per head), need_rank (1 = highest need).
    """

    areas: pd.DataFrame
    council_spend_per_head: float | None
    council_need_value: float | None
    polarity: str


def spend_per_head(spend: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Each area's total spend, population and spend per head.

    ``spend``: area_code, area_name, amount (any number of rows per area: summed);
    ``population``: area_code, population. Per head is NaN when the population is unknown or 0.
    """
    totals = spend.groupby(["area_code", "area_name"], as_index=False, sort=False)["amount"].sum()
    frame = totals.merge(population[["area_code", "population"]], on="area_code", how="left")
    per_head = frame.amount / frame.population.where(frame.population > 0)
    return frame.assign(spend_per_head=per_head.astype(float))


def council_spend_per_head(frame: pd.DataFrame) -> float | None:
    """Total spend over total population of the areas with both (None when there are none)."""
    known = frame[frame.spend_per_head.notna()]
    if known.empty or known.population.sum() <= 0:
        return None
    return float(known.amount.sum() / known.population.sum())


def is_higher_need(value: float, council_value: float, polarity: str) -> bool:
    """Whether ``value`` is strictly worse than the council's on a measure of ``polarity``."""
    if polarity not in ("high_is_good", "low_is_good"):
        raise ValueError(f"polarity must be high_is_good or low_is_good, not '{polarity}'")
    return value < council_value if polarity == "high_is_good" else value > council_value


def quadrant(need_value: float | None, spend: float | None, council_need: float | None,
             council_spend: float | None, polarity: str) -> str:
    """The quarter an area falls in, in words (``NOT_PLACED`` when a value is missing)."""
    values = (need_value, spend, council_need, council_spend)
    if any(v is None or pd.isna(v) for v in values):
        return NOT_PLACED
    high_need = is_higher_need(float(need_value), float(council_need), polarity)  # type: ignore[arg-type]
    high_spend = float(spend) > float(council_spend)  # type: ignore[arg-type]
    if high_need:
        return HIGH_NEED_HIGH_SPEND if high_spend else HIGH_NEED_LOW_SPEND
    return LOW_NEED_HIGH_SPEND if high_spend else LOW_NEED_LOW_SPEND


def spend_need(spend: pd.DataFrame, population: pd.DataFrame, need: pd.DataFrame, council_need: float | None,
               polarity: str) -> SpendNeed:
    """The whole view for one council: per head, council lines, quarters and ranks.

    ``need``: area_code, need_value, need_period (NaN value when withheld or missing).
    """
    frame = spend_per_head(spend, population)
    frame = frame.merge(need[["area_code", "need_value", "need_period"]], on="area_code", how="left")
    council_spend = council_spend_per_head(frame)
    frame["quadrant"] = [quadrant(n, s, council_need, council_spend, polarity)
                         for n, s in zip(frame.need_value, frame.spend_per_head, strict=True)]
    frame["spend_rank"] = frame.spend_per_head.rank(ascending=False, method="min").astype("Int64")
    frame["need_rank"] = frame.need_value.rank(ascending=polarity == "high_is_good", method="min").astype("Int64")
    frame = frame.sort_values(["spend_rank", "area_name"], na_position="last").reset_index(drop=True)
    return SpendNeed(frame, council_spend, council_need, polarity)


def high_need_low_spend(view: SpendNeed) -> pd.DataFrame:
    """Areas of higher need and lower spend, highest need first."""
    return view.areas[view.areas.quadrant == HIGH_NEED_LOW_SPEND].sort_values(["need_rank", "area_name"])


def low_need_high_spend(view: SpendNeed) -> pd.DataFrame:
    """Areas of lower need and higher spend, most spend per head first."""
    return view.areas[view.areas.quadrant == LOW_NEED_HIGH_SPEND].sort_values(["spend_rank", "area_name"])
