"""The words that mark a local partner dataset wherever its figures are shown (issue 15).

Why: an officer's own data (``cpop local``, the Local data page) sits beside the national
measures on every page and in every export; a reader must always know it is local, who supplied
it and who may see it ("Local data: Fife Council Education Services (CPP partners only)"). One
function writes that line for every surface, from the catalogue fields of ``meta.indicators``
(``is_local``, ``local_organisation``, ``sharing_restriction``) that the one query layer reads
(``indicators.sql``); a national indicator has no label (the empty string).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.logic.records import row_tuples

LOCAL_PREFIX = "Local data"
#: the column exports add beside an indicator's title (CSV, workbooks, board report)
LOCAL_COLUMN = "local_data"
#: a sharing restriction meaning "open": not repeated in the label
OPEN = {"", "none", "open"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def is_local(row: Mapping[str, Any]) -> bool:
    """True when the catalogue row is a local dataset (``is_local``; a missing column means national)."""
    value = row.get("is_local")
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and bool(value)


def local_label(row: Mapping[str, Any]) -> str:
    """``'Local data: <organisation> (<sharing restriction>)'`` for a local indicator, '' for a national one.

    The restriction is left out when it is 'none' (open); an unknown organisation reads "a local partner".
    """
    if not is_local(row):
        return ""
    label = f"{LOCAL_PREFIX}: {_text(row.get('local_organisation')) or 'a local partner'}"
    restriction = _text(row.get("sharing_restriction"))
    return label if restriction.lower() in OPEN else f"{label} ({restriction})"


def with_local(title: str, label: str) -> str:
    """'Attendance (Local data: Fife Council Education Services)': a title and its label in one plain
    string, for a cell that holds text only (the RAG matrix on the page and in the workbook)."""
    return f"{title} ({label})" if label else title


def titled_labels(frame: pd.DataFrame, labels: Mapping[str, str]) -> dict[str, str]:
    """short_title → label for the local indicators of ``frame`` (rows with indicator_id and short_title),
    for tables whose rows are keyed by title (the RAG matrix)."""
    if not labels or frame.empty:
        return {}
    return {str(r.short_title): labels[str(r.indicator_id)] for r in row_tuples(frame)
            if str(r.indicator_id) in labels}


def local_labels(indicators: pd.DataFrame) -> dict[str, str]:
    """indicator_id → label for the local indicators of a catalogue frame (national ones are absent)."""
    if indicators.empty or "is_local" not in indicators.columns:
        return {}
    out = {}
    for row in indicators.to_dict("records"):
        label = local_label(row)
        if label:
            out[str(row["indicator_id"])] = label
    return out
