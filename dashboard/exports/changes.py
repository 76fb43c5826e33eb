"""What changed in this release as an Excel workbook: Summary, Revised values, New periods,
Verdicts changed, Indicators.

Why: officers take the list of revisions to colleagues and boards; the workbook holds every
row the page lists (the page shows the first ones), written in openpyxl's write-only mode
because a release can revise tens of thousands of small-area values.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

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
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    summary = wb.create_sheet("Summary")
    facts = [("What changed", changes.headline(council_code, council_name)),
             ("Build", str(changes.build.get("build_id", ""))),
             ("Compared with", f"release {changes.since}" if changes.since
              else "each indicator's release before its newest one"),
             ("Verdicts compared with", f"build {changes.previous.get('build_id')} of {changes.previous.get('built_at')}"
              if changes.verdicts_known else NOT_KNOWN)]
    if (line := demo_line(changes.build)) is not None:
        facts.insert(0, ("Note", line))
    for key, value in facts:
        summary.append([_bold(summary, key, bold), value])
    summary.append([])
    _table(summary, SUMMARY_COLUMNS, changes.summary(), bold)
    _table(wb.create_sheet("Revised values"), REVISION_COLUMNS, changes.revised, bold)
    _table(wb.create_sheet("New periods"), NEW_PERIOD_COLUMNS, changes.new_periods(), bold)
    verdicts = wb.create_sheet("Verdicts changed")
    if not changes.verdicts_known:
        verdicts.append([NOT_KNOWN])
    _table(verdicts, VERDICT_COLUMNS, changes.verdict_rows(), bold)
    _table(wb.create_sheet("Indicators"), INDICATOR_COLUMNS, changes.indicators, bold)
    wb.properties.creator = "cpop"
    wb.properties.title = "What changed in this release"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _bold(ws: Any, value: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    return cell


def _table(ws: Any, columns: list[str], frame: pd.DataFrame, font: Font) -> None:
    ws.append([_bold(ws, c, font) for c in columns])
    for row in frame.reindex(columns=columns).itertuples(index=False, name=None):
        ws.append([_cell(v) for v in row])


def _cell(value: Any) -> Any:
    """Excel-safe: NaN/NA/None → empty, numpy scalars → Python."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    return value
