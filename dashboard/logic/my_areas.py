"""User-made areas: turning pasted text, uploads and map clicks into data zone lists."""

from __future__ import annotations

import base64
from collections.abc import Sequence

import pandas as pd

from dashboard.data.user_store import codes_from_geojson, codes_from_text


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


def profile_rows(values: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's latest value for the user-made area, suppressed values as words."""
    if values.empty:
        return pd.DataFrame(columns=["Indicator", "Period", "Value", "95% CI", "Note"])
    latest = values.sort_values("period_year").groupby("indicator_id").tail(1)
    latest = latest.merge(indicators[["indicator_id", "short_title", "unit_label"]], on="indicator_id")
    rows = []
    for r in latest.sort_values("short_title").itertuples(index=False):
        if r.is_suppressed or pd.isna(r.value):
            value, ci, note = "suppressed", "", r.suppression_reason or "withheld"
        else:
            value = f"{r.value:,.1f} {r.unit_label}"
            ci = "" if pd.isna(r.ci_lower) else f"{r.ci_lower:,.1f} – {r.ci_upper:,.1f}"
            note = "low reliability" if getattr(r, "is_low_reliability", False) else ""
        rows.append({"Indicator": r.short_title, "Period": r.period_label, "Value": value, "95% CI": ci, "Note": note})
    return pd.DataFrame(rows)
