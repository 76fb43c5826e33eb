"""User-made areas: turning pasted text, uploads and map clicks into data zone lists."""

from __future__ import annotations

import base64
from collections.abc import Sequence

import pandas as pd

from dashboard.data.user_store import codes_from_geojson, codes_from_text
from dashboard.exports.profile import IndicatorProfile


def codes_from_upload(contents: str | None, filename: str | None) -> list[str]:
    """Codes from a dcc.Upload payload: a CSV/text list of codes, or a GeoJSON of data zones."""
    if not contents:
        return []
    _, _, payload = contents.partition(",")
    raw = base64.b64decode(payload)
    if (filename or "").lower().endswith((".geojson", ".json")):
        return codes_from_geojson(raw)
    return codes_from_text(raw.decode("utf-8", errors="replace"))


def pasted_summary(tokens: Sequence[str], datazones: Sequence[str]) -> str:
    """One line saying what was read from pasted text, so an officer sees postcodes were used."""
    if not tokens:
        return "No area codes or postcodes found in the text."
    postcodes = sum(1 for t in tokens if " " in t)  # codes_from_text writes postcodes as "AB10 1AB"
    codes = len(tokens) - postcodes
    parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((codes, "area code"), (postcodes, "postcode")) if n]
    return f"Read {' and '.join(parts)}: {len(datazones)} data zone{'' if len(datazones) == 1 else 's'}."


def toggle(selection: Sequence[str], clicked: str | None) -> list[str]:
    """Add a clicked data zone to the selection, or remove it if it was there."""
    chosen = list(selection)
    if clicked:
        chosen.remove(clicked) if clicked in chosen else chosen.append(clicked)
    return sorted(chosen)


def profile_rows(indicators: Sequence[IndicatorProfile]) -> pd.DataFrame:
    """The user-made area's table: each indicator's latest value with its 95 % CI, whether it is
    better, similar or worse than Scotland and its council, and whether it is improving.

    The same ``IndicatorProfile`` rows the PDF export prints, so screen and file agree.
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
        rows.append({"Indicator": ind.short_title, "Period": latest.period_label, "Value": value, "95% CI": ci,
                     "vs Scotland": verdicts.get("scotland", "–"),
                     "vs council": f"{verdicts['council']} ({council})" if "council" in verdicts else "–",
                     "Trend": ind.trend_verdict, "Note": note})
    columns = ["Indicator", "Period", "Value", "95% CI", "vs Scotland", "vs council", "Trend", "Note"]
    return pd.DataFrame(rows, columns=columns).sort_values("Indicator", kind="stable").reset_index(drop=True)
