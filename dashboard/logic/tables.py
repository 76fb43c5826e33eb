"""Advanced Tables: the columns on offer and the files of exactly what is shown."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard.logic.distinct import per_distinct
from dashboard.logic.explorer import as_list
from dashboard.logic.local_label import with_local
from dashboard.logic.provenance import provenance_line, published_for, value_labels
from dashboard.logic.records import records
from dashboard.safe_cells import csv_frame, defuse_workbook, xlsx_frame

COLUMNS = {
    "indicator": "Indicator", "area_name": "Area", "area_code": "Code", "period": "Period",
    "numerator": "Numerator", "denominator": "Denominator", "value": "Value", "ci_lower": "95% CI lower",
    "ci_upper": "95% CI upper", "unit": "Unit", "value_kind": "Value type", "suppressed": "Suppressed",
    "suppression_reason": "Why suppressed", "revised": "Revised", "low_reliability": "Low reliability",
    "source": "Source", "note": "Note",
}
DEFAULT_COLUMNS = ["indicator", "area_name", "period", "value", "value_kind", "ci_lower", "ci_upper", "numerator",
                   "denominator", "suppressed", "source"]
OBSERVED = "observed"


def describe_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The table rows with what kind of value each is ('observed', 'imputed by the publisher', 'projected by
    the publisher', with 'estimated' and 'revised' added) and where it comes from ('Improvement Service, CPOP
    September 2023'), in the words every page uses (``dashboard.logic.provenance``)."""
    if frame.empty:
        return frame.assign(value_kind=pd.Series(dtype=object), source=pd.Series(dtype=object)).drop(
            columns=HELPER_COLUMNS, errors="ignore")
    out = frame.copy()
    out["value_kind"] = per_distinct(frame, ["value_type", "value_source", "revised"],
                                     lambda *key: ", ".join(value_labels(*key)) or OBSERVED)
    out["source"] = per_distinct(frame, ["value_source", "publisher", "dataset", "source_release"], provenance_line)
    return out.drop(columns=HELPER_COLUMNS, errors="ignore")


#: Columns of the query that only make the value type and source words (not sent to the grid)
HELPER_COLUMNS = ["value_type", "value_source", "dataset", "publisher", "source_release"]


def mark_local(frame: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """The rows with each local dataset's indicator named with its label ('Attendance (Local data: Fife
    Council Education Services)'), so the grid, every layout and both downloads carry the marking;
    national rows are unchanged (``labels``: ``Queries.local_labels``)."""
    if not labels or frame.empty:
        return frame
    out = frame.copy()
    out["indicator"] = [with_local(str(title), labels.get(str(iid), "")) for title, iid in
                        zip(frame["indicator"], frame["indicator_id"], strict=True)]
    return out


def no_rows_reasons(catalogue: pd.DataFrame, indicators: Sequence[str], shown: set[str], area_type: str,
                    labels: Mapping[str, str]) -> list[str]:
    """For each chosen indicator with no row here, why: 'Business survival is published for council areas
    (CPPs) and Scotland only.' (``labels``: plural area type labels in display order)."""
    out = []
    for row in catalogue[catalogue.indicator_id.isin(list(indicators))].to_dict("records"):
        if row["indicator_id"] in shown:
            continue
        having = [str(t) for t in as_list(row.get("area_types"))] or [str(t) for t in as_list(row.get("geographies"))]
        if area_type in having:
            out.append(f"{row['short_title']} has no value for these areas.")
        else:
            out.append(f"{row['short_title']} is {published_for(having, labels)}.")
    return out


def to_csv(frame: pd.DataFrame, note: str | None = None) -> bytes:
    """The table as CSV; ``note`` (the fictional demo's line) comes first, as a '#' line, when given."""
    text = csv_frame(frame).to_csv(index=False)
    return (f"# {note}\n{text}" if note else text).encode("utf-8")


def to_xlsx(frame: pd.DataFrame, note: str | None = None) -> bytes:
    """The table as a workbook; ``note`` (the fictional demo's line) is the first row, and the printed
    footer, when given."""
    buffer = io.BytesIO()
    start = 1 if note else 0
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        xlsx_frame(frame).to_excel(writer, index=False, sheet_name="cpop table", startrow=start)
        sheet = writer.sheets["cpop table"]
        sheet.freeze_panes = f"A{start + 2}"
        if note:
            sheet["A1"] = note
            sheet.oddFooter.center.text = note
        for i, column in enumerate(frame.columns, start=1):
            sheet.column_dimensions[sheet.cell(row=start + 1, column=i).column_letter].width = max(
                12, len(str(column)) + 2)
        defuse_workbook(writer.book)
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
        defs = column_defs(columns)
        # only the fields the grid shows: the others were sent, held by the browser and posted back
        # with a download, unseen (Scotland's wards: 2.6 MB of rows, half of it hidden fields)
        shown = frame[[d["field"] for d in defs if d["field"] in frame.columns]]
        return records(shown.astype(object).where(shown.notna(), None)), defs
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
    return records(wide), defs


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
