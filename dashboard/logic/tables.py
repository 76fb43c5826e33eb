"""Advanced Tables: the columns on offer and the files of exactly what is shown."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd

COLUMNS = {
    "indicator": "Indicator", "area_name": "Area", "area_code": "Code", "period": "Period",
    "numerator": "Numerator", "denominator": "Denominator", "value": "Value", "ci_lower": "95% CI lower",
    "ci_upper": "95% CI upper", "unit": "Unit", "suppressed": "Suppressed", "suppression_reason": "Why suppressed",
    "revised": "Revised", "low_reliability": "Low reliability",
}
DEFAULT_COLUMNS = ["indicator", "area_name", "period", "numerator", "denominator", "value", "ci_lower", "ci_upper",
                   "suppressed"]


def shown_frame(rows: Sequence[dict] | None, columns: Sequence[str]) -> pd.DataFrame:
    """The rows the grid shows (after its filters and sort) with only the chosen columns,
    under their display names; suppressed cells stay blank."""
    frame = pd.DataFrame(list(rows or []))
    keep = [c for c in columns if c in COLUMNS]
    frame = frame.reindex(columns=keep)
    return frame.rename(columns=COLUMNS)


def to_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def to_xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="cpop table")
        sheet = writer.sheets["cpop table"]
        sheet.freeze_panes = "A2"
        for i, column in enumerate(frame.columns, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = max(12, len(str(column)) + 2)
    return buffer.getvalue()
