"""What changed in this release as an Excel workbook: Summary, Revised values, New periods,
Verdicts changed, Indicators.

Why: officers take the list of revisions to colleagues and boards; the workbook holds every
row the page lists (the page shows the first ones). Written with XlsxWriter: a release can revise
60,000 small-area values, which openpyxl's pure-Python writer takes 20 s or more to write.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd
import xlsxwriter

from dashboard.logic.changes import NOT_KNOWN, SUMMARY_COLUMNS, ReleaseChanges
from dashboard.logic.provenance import demo_line

REVISION_COLUMNS = ["indicator_id", "title", "area_type", "area_code", "area_name", "council_name", "period_label",
                    "dataset", "value_type", "old_release", "old_value", "new_release", "new_value", "difference",
                    "old_is_withheld", "new_is_withheld", "verdicts_changed"]
NEW_PERIOD_COLUMNS = ["indicator_id", "title", "area_type", "change", "period_label", "new_release", "areas"]
VERDICT_COLUMNS = ["indicator_id", "title", "area_type", "area_code", "area_name", "council_name", "verdict_kind",
                   "verdict_before", "verdict_now", "period_before", "period_now"]
INDICATOR_COLUMNS = ["indicator_id", "title", "change", "basis", "first_release"]


def changes_filename(changes: ReleaseChanges) -> str:
    since = f"-since-{changes.since}" if changes.since else ""
    return f"cpop-what-changed{since}-{changes.build.get('build_id', 'build')}.xlsx"


def changes_xlsx(changes: ReleaseChanges, council_code: str | None = None, council_name: str | None = None) -> bytes:
    """The workbook of every change (see the module docstring)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "nan_inf_to_errors": True})
    bold = wb.add_format({"bold": True})
    summary = wb.add_worksheet("Summary")
    facts = [("What changed", changes.headline(council_code, council_name)),
             ("Build", str(changes.build.get("build_id", ""))),
             ("Compared with", f"release {changes.since}" if changes.since
              else "each indicator's release before its newest one"),
             ("Verdicts compared with", f"build {changes.previous.get('build_id')} of {changes.previous.get('built_at')}"
              if changes.verdicts_known else NOT_KNOWN)]
    if (line := demo_line(changes.build)) is not None:
        facts.insert(0, ("Note", line))
    for i, (key, value) in enumerate(facts):
        summary.write_string(i, 0, key, bold)
        summary.write_string(i, 1, value)
    _table(summary, SUMMARY_COLUMNS, changes.summary(), bold, first_row=len(facts) + 1)
    _table(wb.add_worksheet("Revised values"), REVISION_COLUMNS, changes.revised, bold)
    _table(wb.add_worksheet("New periods"), NEW_PERIOD_COLUMNS, changes.new_periods(), bold)
    verdicts = wb.add_worksheet("Verdicts changed")
    if not changes.verdicts_known:
        verdicts.write_string(0, 0, NOT_KNOWN)
    _table(verdicts, VERDICT_COLUMNS, changes.verdict_rows(), bold, first_row=0 if changes.verdicts_known else 1)
    _table(wb.add_worksheet("Indicators"), INDICATOR_COLUMNS, changes.indicators, bold)
    if (line := demo_line(changes.build)) is not None:
        for sheet in wb.worksheets():
            sheet.set_footer(f"&C{line}")
    wb.set_properties({"title": "What changed in this release", "author": "cpop"})
    wb.close()
    return buf.getvalue()


def _table(ws: Any, columns: list[str], frame: pd.DataFrame, bold: Any, first_row: int = 0) -> None:
    """A heading row, then the frame's rows (missing values left empty), with a filter and frozen heading."""
    ws.write_row(first_row, 0, columns, bold)
    rows = _rows(frame.reindex(columns=columns))
    write_number, write_string, write = ws.write_number, ws.write_string, ws.write
    for i, row in enumerate(rows, start=first_row + 1):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                write_string(i, j, value)
            elif isinstance(value, float | int) and not isinstance(value, bool):
                write_number(i, j, value)
            else:
                write(i, j, value)
    ws.freeze_panes(first_row + 1, 0)
    ws.autofilter(first_row, 0, first_row + max(1, len(rows)), len(columns) - 1)


def _rows(frame: pd.DataFrame) -> list[list[Any]]:
    """Excel-safe rows, converted column by column (a release can revise 60,000 values): missing → None,
    timestamps without a zone, numpy scalars as Python values."""
    columns = []
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            column = column.dt.tz_localize(None)
        values = column.astype(object).tolist()
        columns.append([None if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))
                        else v for v in values])
    return [list(row) for row in zip(*columns, strict=True)] if columns else []
