"""The profile as rows (CSV) and as an Excel workbook (pure: data in, bytes out).

Why: analysts re-use the numbers behind every chart; the rows carry numerator, denominator,
value, CI, flags, source and as-of so nothing has to be read off a picture. The CSV and the
per-priority sheets hold exactly the same rows. Disclosure control: a suppressed row has the
word "suppressed" in its numerator, value and CI cells, never a number.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.exports.fmt import NOT_AVAILABLE_TEXT, SUPPRESSED_TEXT
from dashboard.exports.profile import IndicatorProfile, ProfileData, SeriesPoint
from dashboard.logic.local_label import LOCAL_COLUMN
from dashboard.logic.provenance import VALUES_EXPLAINED, WHY_THEY_DIFFER, provenance_line
from dashboard.safe_cells import csv_cell, defuse_workbook, xlsx_text

ROW_COLUMNS = [
    "soa_priority", "indicator_id", "indicator", LOCAL_COLUMN, "role", "area_code", "area_name", "period_label", "period_year",
    "numerator", "denominator", "value", "ci_lower", "ci_upper", "unit", "status", "flags", "suppression_reason",
    "value_type", "value_source", "is_revised", "published_by", "source", "source_release", "as_of", "value_note",
]
SUMMARY_COLUMNS = [
    "soa_priority", "indicator_id", "indicator", LOCAL_COLUMN, "period_label", "value", "value_type", "ci_lower", "ci_upper",
    "unit", "published_by", "projected_value", "projected_period_label",
    "scotland_value", "vs_scotland", "council_value", "vs_council", "family_group_value", "vs_family_group",
    "trend_verdict", "trend_why", "improvement_since_baseline_pct", "baseline_period_label", "cpop_rating", "cpop_rating_words",
    "cpop_improvement_rate_pct", "cpop_baseline_period", "cpop_latest_period", "inequality_verdict",
    "inequality_within", "sii", "flags", "source", "source_release", "as_of", "value_note", "note",
]
SUPPRESSIBLE = ("numerator", "value", "ci_lower", "ci_upper")
COUNT_COLUMNS = {"numerator", "denominator"}
VALUE_COLUMNS = {"value", "ci_lower", "ci_upper", "scotland_value", "council_value", "family_group_value", "sii",
                 "improvement_since_baseline_pct", "projected_value", "cpop_improvement_rate_pct"}
HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")


def _point_row(ind: IndicatorProfile, p: SeriesPoint) -> dict[str, Any]:
    row: dict[str, Any] = {
        "soa_priority": ind.soa_priority_label, "indicator_id": ind.indicator_id, "indicator": ind.title,
        LOCAL_COLUMN: ind.local_label, "role": p.role, "area_code": p.area_code, "area_name": p.area_name, "period_label": p.period_label,
        "period_year": p.period_year, "numerator": p.numerator, "denominator": p.denominator, "value": p.value,
        "ci_lower": p.ci_lower, "ci_upper": p.ci_upper, "unit": ind.unit_label,
        "status": SUPPRESSED_TEXT if p.is_suppressed else ("published" if p.value is not None else "missing"),
        "flags": p.flags, "suppression_reason": p.suppression_reason or "", "value_type": p.value_type or "",
        "value_source": p.value_source or "", "is_revised": p.is_revised,
        "published_by": provenance_line(p.value_source or "computed", ind.publisher, p.dataset, p.source_release)
        if ind.publisher or p.dataset else "",
        "source": ind.source, "source_release": p.source_release or "",
        "as_of": ind.last_update or "", "value_note": p.note or "",
    }
    if p.is_suppressed:
        for column in SUPPRESSIBLE:
            row[column] = SUPPRESSED_TEXT
    return row


def profile_rows(data: ProfileData) -> list[dict[str, Any]]:
    """One row per indicator × role (area, council, Scotland) × period: the numbers behind the charts."""
    return [_point_row(ind, p) for ind in data.indicators for p in ind.series]


def summary_rows(data: ProfileData) -> list[dict[str, Any]]:
    """One row per indicator: latest value, comparisons, verdicts (the profile's first page)."""
    rows = []
    for ind in data.indicators:
        p = ind.latest
        row: dict[str, Any] = {c: None for c in SUMMARY_COLUMNS}
        row.update(soa_priority=ind.soa_priority_label, indicator_id=ind.indicator_id, indicator=ind.title,
                   **{LOCAL_COLUMN: ind.local_label}, unit=ind.unit_label, source=ind.source, as_of=ind.last_update or "", note=ind.note or "",
                   trend_verdict=ind.trend_verdict, inequality_verdict=ind.inequality_verdict)
        if p is not None:
            row.update(period_label=p.period_label, value=p.value, ci_lower=p.ci_lower, ci_upper=p.ci_upper,
                       flags=p.flags, source_release=p.source_release or "",
                       value_type=", ".join(p.labels) or "observed", published_by=ind.source_line,
                       value_note=p.note or "")
            if p.is_suppressed:
                row.update(value=SUPPRESSED_TEXT, ci_lower=SUPPRESSED_TEXT, ci_upper=SUPPRESSED_TEXT)
            if (projected := ind.projection) is not None:
                row.update(projected_value=projected.value, projected_period_label=projected.period_label)
        for key in ("scotland", "council", "family_group"):
            c = ind.comparison(key)
            if c is not None:
                row[f"{key}_value"] = SUPPRESSED_TEXT if c.is_suppressed else c.value
                row[f"vs_{key}"] = c.verdict
        if ind.trend is not None:
            row.update(improvement_since_baseline_pct=ind.trend.improvement_since_baseline_pct,
                       baseline_period_label=ind.trend.baseline_period_label, trend_why=ind.trend_reason)
            if (c := ind.trend.cpop) is not None:
                row.update(cpop_rating=c.rating, cpop_rating_words=c.words, cpop_improvement_rate_pct=c.improvement_rate,
                           cpop_baseline_period=c.baseline_period, cpop_latest_period=c.latest_period)
        if ind.inequality is not None:
            row.update(inequality_within=ind.inequality.parent_name, sii=ind.inequality.sii)
        rows.append(row)
    return rows


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value


def profile_csv(data: ProfileData) -> bytes:
    """The chart rows as CSV (UTF-8 with a byte-order mark, so Excel reads '£' correctly).

    The fictional demo's files start with one line saying so (``DEMO_LINE``), before the header; real
    data's files are the header and the rows only.
    """
    buf = io.StringIO()
    if data.demo_line:
        buf.write(f"# {data.demo_line}\n")
    writer = csv.DictWriter(buf, fieldnames=ROW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in profile_rows(data):
        writer.writerow({k: csv_cell(_csv_cell(v)) for k, v in row.items()})
    return buf.getvalue().encode("utf-8-sig")


def sheet_title(priority_id: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters) for a priority."""
    base = "".join(ch for ch in priority_id.replace("_", " ").capitalize() if ch not in "[]:*?/\\")[:31] or "Sheet"
    name, i = base, 2
    while name in used:
        name = f"{base[:28]} {i}"
        i += 1
    used.add(name)
    return name


def _write_table(ws: Worksheet, columns: list[str], rows: list[dict[str, Any]], start_row: int = 1) -> None:
    for j, column in enumerate(columns, start=1):
        cell = ws.cell(row=start_row, column=j, value=column)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for i, row in enumerate(rows, start=start_row + 1):
        for j, column in enumerate(columns, start=1):
            value = xlsx_text(row.get(column))
            cell = ws.cell(row=i, column=j, value=value)
            if isinstance(value, float | int) and not isinstance(value, bool):
                if column in COUNT_COLUMNS:
                    cell.number_format = "#,##0"
                elif column in VALUE_COLUMNS:
                    cell.number_format = "#,##0.0"
            elif value == SUPPRESSED_TEXT:
                cell.alignment = Alignment(horizontal="right")
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(columns))}{start_row + max(1, len(rows))}"
    for j, column in enumerate(columns, start=1):
        width = max([len(column)] + [min(40, len(str(r.get(column) or ""))) for r in rows[:200]])
        ws.column_dimensions[get_column_letter(j)].width = min(45, max(9, width + 2))


def profile_xlsx(data: ProfileData) -> bytes:
    """The profile as a workbook: Summary, one sheet per SOA priority, Better or worse, Metadata."""
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Summary"
    facts = [
        ("Area", data.area_name), ("Area type", data.area_type_label), ("Area code", data.area_code),
        ("Council", data.council_name or ""), ("Population (latest year)", data.population),
        ("Data zones", data.datazone_count), ("Data as at", data.as_of),
        ("Build", str(data.build.get("build_id", NOT_AVAILABLE_TEXT))),
        ("Schema version", str(data.build.get("schema_version", NOT_AVAILABLE_TEXT))),
        ("Disclosure control", "Suppressed values are shown as 'suppressed' and are never numbers."),
    ]
    if data.demo_line:
        facts.insert(0, ("Note", data.demo_line))
    facts.append(("Values", VALUES_EXPLAINED))
    if data.area_type == "council":
        facts.append(("CPOP rating", "The Improvement Service's own improvement rate and 2x2 rating against "
                                     "Scotland (cpop_ columns), beside cpop's trend verdict. " + WHY_THEY_DIFFER))
    facts += [("Caveat", warning) for warning in data.warnings]
    for i, (k, v) in enumerate(facts, start=1):
        summary.cell(row=i, column=1, value=k).font = Font(bold=True)
        summary.cell(row=i, column=2, value=xlsx_text(v))
    _write_table(summary, SUMMARY_COLUMNS, summary_rows(data), start_row=len(facts) + 2)

    used = {"Summary", "Better or worse", "Metadata"}
    rows = profile_rows(data)
    for pid, _label, members in data.by_priority():
        ws = wb.create_sheet(sheet_title(pid, used))
        ids = {m.indicator_id for m in members}
        _write_table(ws, ROW_COLUMNS, [r for r in rows if r["indicator_id"] in ids])

    changes = wb.create_sheet("Better or worse")
    change_rows: list[dict[str, Any]] = []
    for direction, items in (("getting better", data.improving), ("getting worse", data.worsening)):
        if items is None:
            change_rows.append({"direction": direction, "indicator": NOT_AVAILABLE_TEXT})
            continue
        for c in items:
            change_rows.append({"direction": direction, "indicator_id": c.indicator_id, "indicator": c.short_title,
                                "baseline_period_label": c.baseline_period_label, "baseline_value": c.baseline_value,
                                "latest_period_label": c.latest_period_label, "latest_value": c.latest_value,
                                "improvement_since_baseline_pct": c.improvement_since_baseline_pct, "unit": c.unit_label})
    _write_table(changes, ["direction", "indicator_id", "indicator", "baseline_period_label", "baseline_value",
                           "latest_period_label", "latest_value", "improvement_since_baseline_pct", "unit"], change_rows)

    meta = wb.create_sheet("Metadata")
    meta_rows = [{"indicator_id": i.indicator_id, "title": i.title, LOCAL_COLUMN: i.local_label,
                  "soa_priority": i.soa_priority_label,
                  "definition": i.definition, "unit": i.unit_label, "measure_type": i.measure_type,
                  "polarity": i.polarity, "ci_method": i.ci_method, "disclosure_rule": i.disclosure_rule,
                  "source": i.source, "last_update": i.last_update or "", "caveats": i.caveats}
                 for i in data.indicators]
    _write_table(meta, list(meta_rows[0]) if meta_rows else ["indicator_id"], meta_rows)
    start = len(meta_rows) + 4
    source_rows = [{k: s.get(k) for k in ("source", "release", "file_name", "size_bytes", "sha256")}
                   for s in data.sources]
    meta.cell(row=start - 1, column=1, value="Source files behind this build").font = Font(bold=True)
    for j, column in enumerate(["source", "release", "file_name", "size_bytes", "sha256"], start=1):
        meta.cell(row=start, column=j, value=column).font = Font(bold=True)
        for i, row in enumerate(source_rows, start=start + 1):
            meta.cell(row=i, column=j, value=row.get(column))
    meta.freeze_panes = "A2"
    if data.demo_line:  # printed on every page of every sheet, too
        for sheet in wb.worksheets:
            sheet.oddFooter.center.text = data.demo_line
    buf = io.BytesIO()
    wb.properties.creator = "cpop"
    wb.properties.title = f"Outcomes profile: {data.area_name}"
    defuse_workbook(wb).save(buf)
    return buf.getvalue()
