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


NUMERIC = {"numerator", "denominator", "value", "ci_lower", "ci_upper"}
NUMBER_FORMAT = {"function": "params.value == null ? '' : d3.format(',.1f')(params.value)"}
# counts (numerators, denominators) as whole numbers; a modelled count keeps one decimal
COUNT_FORMAT = {"function": "params.value == null ? '' : "
                            "d3.format(Number.isInteger(params.value) ? ',d' : ',.1f')(params.value)"}
COUNTS = {"numerator", "denominator"}
LAYOUTS = {"long": "One row per indicator, area and period",
           "periods": "Periods as columns (values)",
           "indicators": "Indicators as columns (values)"}


def column_defs(columns: Sequence[str]) -> list[dict]:
    """ag-grid column definitions for the chosen long-layout columns (numbers right-aligned; values
    and CIs to 1 dp, counts whole)."""
    defs = []
    for key in columns:
        if key not in COLUMNS:
            continue
        col: dict = {"field": key, "headerName": COLUMNS[key]}
        if key in NUMERIC:
            col |= {"type": "numericColumn", "filter": "agNumberColumnFilter",
                    "valueFormatter": COUNT_FORMAT if key in COUNTS else NUMBER_FORMAT}
        defs.append(col)
    return defs


def filter_periods(frame: pd.DataFrame, periods: Sequence[str] | None) -> pd.DataFrame:
    """Only the chosen periods (all when none is chosen)."""
    return frame[frame["period"].isin(list(periods))] if periods else frame


def grid_content(frame: pd.DataFrame, layout: str, columns: Sequence[str]) -> tuple[list[dict], list[dict]]:
    """(rowData, columnDefs) for the grid in the chosen layout.

    'long' keeps one row per indicator x area x period with the chosen columns; 'periods' and
    'indicators' pivot the value (suppressed cells stay blank, never zero). Pivot columns get
    positional field names (c0, c1, …) because period labels such as '2019/20' are not safe
    ag-grid field names; the header carries the label.
    """
    if layout not in LAYOUTS or layout == "long" or frame.empty:
        clean = frame.astype(object).where(frame.notna(), None)
        return clean.to_dict("records"), column_defs(columns)
    if layout == "periods":
        index, across = ["indicator", "area_name", "area_code"], "period"
        # the periods alone, not the whole frame, are sorted (moving every string column costs)
        periods = frame[["period", "period_year"]].drop_duplicates("period")
        order = periods.sort_values("period_year", kind="stable")["period"].tolist()
    else:
        index, across = ["area_name", "area_code", "period"], "indicator"
        order = sorted(frame["indicator"].unique())
    # pivot (not pivot_table): no aggregation and no cartesian product of the index levels
    wide = frame.pivot(index=index, columns=across, values="value")
    wide = wide.reindex(columns=order).reset_index()
    fields = {label: f"c{i}" for i, label in enumerate(order)}
    wide = wide.rename(columns=fields)
    defs = [{"field": k, "headerName": COLUMNS[k]} for k in index]
    defs += [{"field": fields[label], "headerName": str(label), "type": "numericColumn",
              "filter": "agNumberColumnFilter", "valueFormatter": NUMBER_FORMAT} for label in order]
    wide = wide.astype(object).where(wide.notna(), None)
    return wide.to_dict("records"), defs


def grid_frame(rows: Sequence[dict] | None, defs: Sequence[dict] | None,
               state: Sequence[dict] | None = None) -> pd.DataFrame:
    """Exactly what the grid shows: its rows after filter and sort, its visible columns in
    their on-screen order (``columnState`` when the user moved or hid columns), under their
    headers."""
    defs = [d for d in defs or [] if d.get("field")]
    headers = {d["field"]: d.get("headerName") or d["field"] for d in defs}
    order = [d["field"] for d in defs]
    if state:
        shown = [s["colId"] for s in state if s.get("colId") in headers and not s.get("hide")]
        order = shown or order
    frame = pd.DataFrame(list(rows or [])).reindex(columns=order)
    for field in COUNTS & set(order):  # whole counts as the grid shows them: 317, not 317.0
        counts = pd.to_numeric(frame[field], errors="coerce")
        if counts.notna().any() and (counts.dropna() % 1 == 0).all():
            frame[field] = counts.astype("Int64")
    return frame.rename(columns=headers)
