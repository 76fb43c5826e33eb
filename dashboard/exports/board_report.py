"""The theme board's one-page report as a file: the exception report with the officers'
commentary, then the RAG matrix, for a council or one of its localities (PDF and Excel).

Why: a board paper is a file, not a screenshot. ``board_report_data`` gathers, once, exactly
what the Dashboard page shows (the same queries and the same sentences from
``dashboard.logic.rag``) plus the provenance a paper needs: the area, the warehouse build
and its date, and how recent the data are. The renderers are pure (data in, bytes out) and
reuse the profile exports' ReportLab styles and page furniture (``pdf.py``) and workbook
tables (``tables.py``). Every verdict is written in words; colour only repeats it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dashboard.data.commentary import CommentaryStore
from dashboard.data.spend import council_spend_views
from dashboard.exports.fmt import NOT_AVAILABLE_TEXT
from dashboard.exports.pdf_style import MARGIN, NumberedCanvas, grid_style
from dashboard.exports.pdf_style import esc as _e
from dashboard.exports.pdf_style import para as _p
from dashboard.exports.spend_need import add_spend_sheets, spend_pdf_story
from dashboard.exports.tables import _write_table
from dashboard.formatting import format_date
from dashboard.labels import plural_labels
from dashboard.logic.local_label import LOCAL_COLUMN, titled_labels, with_local
from dashboard.logic.provenance import DEMO_SHORT, WHY_THEY_DIFFER, demo_line, label_in_sentence
from dashboard.logic.rag import (
    LOCALITY_TYPES,
    LOCALITY_WORDS,
    MATRIX_KEY,
    Cell,
    ExceptionItem,
    council_localities,
    exception_items,
    has_scope_column,
    matrix,
    resolve_scope,
    scope_title,
)
from dashboard.safe_cells import defuse_workbook, xlsx_text
from etl.spend.store import SpendStore

FORMATS = ("pdf", "xlsx")
PAGE_W = landscape(A4)[0]
FRAME_W = PAGE_W - 2 * MARGIN
MATRIX_COLUMNS_PER_BLOCK = 8
#: Light fills behind the words (the words carry the meaning; print-friendly, AA contrast with black).
FILLS = {"success": "#D9EFD9", "warning": "#FCE8B2", "danger": "#F6D2D2", "secondary": "#E6E6E6", "light": "#FFFFFF"}


class BoardReportError(ValueError):
    """The report cannot be made as asked (unknown council or locality, unknown format)."""


@dataclass(frozen=True)
class BoardReport:
    """Everything the board report shows (pure data; renderers never query)."""

    council_code: str
    council_name: str
    area_type: str
    area_code: str
    area_name: str
    child_type: str
    child_label: str
    title: str
    build: Mapping[str, Any]
    built_on: str
    data_as_of: str
    exceptions: tuple[ExceptionItem, ...]
    matrix_areas: tuple[str, ...]
    matrix_rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    matrix_frame: pd.DataFrame
    #: the council's spend-and-need views (dashboard.data.spend), when officers have added spend data
    spend: tuple[Any, ...] = ()
    #: indicator_id -> 'Local data: <organisation> (<restriction>)' for the local datasets (Queries.local_labels)
    local_labels: Mapping[str, str] = field(default_factory=dict)

    def local_for_title(self, short_title: str) -> str:
        """The local-data label of the matrix row titled ``short_title`` ('' when national)."""
        return titled_labels(self.matrix_frame, self.local_labels).get(short_title, "")

    @property
    def scope_label(self) -> str:
        """'Locality in Glen Tannoch', 'HSCP locality in Fife' or 'Council area (CPP)'."""
        if self.area_type in LOCALITY_WORDS:
            word = LOCALITY_WORDS[self.area_type]
            return f"{word[:1].upper()}{word[1:]} in {self.council_name}"
        return "Council area (CPP)"


def _date(value: Any) -> str:
    return format_date(value, missing=NOT_AVAILABLE_TEXT)


def board_report_data(queries: Any, council: str, area: str | None = None, child_type: str | None = None, *,
                      store: CommentaryStore | None = None, spend_store: SpendStore | None = None) -> BoardReport:
    """Gather the report for ``council`` (or its locality ``area``) and the community type ``child_type``.

    ``queries`` is the dashboard's ``Queries``; ``store`` holds the officers' commentary
    (read for the council or locality the report is about); ``spend_store`` the spend data
    (default: the one beside the commentary), whose views for the council are added. An unknown community type falls back to
    the first one offered, as on the page. Raises BoardReportError for an unknown council or
    an area that is not one of its localities, and MartUnavailable without the statistics marts.
    """
    if spend_store is None and store is not None:
        spend_store = SpendStore(store.path.parent)
    found = queries.area("council", council)
    if found is None:
        raise BoardReportError(f"no council area with code '{council}'")
    kind, localities = council_localities(queries, council, list(queries.area_types().area_type))
    if area and area != council and area not in set(localities.area_code):
        raise BoardReportError(f"'{area}' is not a locality of {found['area_name']}")
    scope = resolve_scope(council, list(localities.area_code), area, child_type, kind)
    place = found if scope.area_type not in LOCALITY_TYPES else queries.area(scope.area_type, scope.area_code)
    labels = plural_labels(queries.area_type_labels())
    frame = queries.rag_matrix(scope.area_code, scope.child_type, scope.area_type)
    exceptions = queries.exceptions(scope.area_code, scope.area_type)
    areas, rows = matrix(frame)
    build = queries.build_info()
    updates = pd.to_datetime(queries.catalogue_updates()["last_update"], errors="coerce").dropna()
    child_label = labels.get(scope.child_type, scope.child_type)
    return BoardReport(
        council_code=council, council_name=str(found["area_name"]), area_type=scope.area_type,
        area_code=str(scope.area_code), area_name=str(place["area_name"]), child_type=scope.child_type,
        child_label=child_label,
        title=scope_title(str(place["area_name"]), scope.area_type, str(found["area_name"]), child_label),
        build=build, built_on=_date(build.get("built_at")),
        data_as_of=_date(updates.max()) if len(updates) else NOT_AVAILABLE_TEXT,
        exceptions=exception_items(exceptions, store.for_area(scope.area_type, str(scope.area_code)) if store else {},
                          str(found["area_name"])),
        matrix_areas=tuple(areas), matrix_rows=tuple((t, tuple(c)) for t, c in rows), matrix_frame=frame,
        spend=tuple(council_spend_views(queries, spend_store, council)) if spend_store else (),
        local_labels=queries.local_labels(),
    )


def facts(report: BoardReport) -> list[tuple[str, str]]:
    """The provenance lines printed at the top of both files."""
    b = report.build
    out = [
        ("Area", f"{report.area_name} ({report.area_code})"),
        ("Area type", report.scope_label),
        ("Communities in the matrix", report.child_label),
        ("Warehouse build", f"{b.get('build_id', NOT_AVAILABLE_TEXT)} built {report.built_on} "
                            f"(schema {b.get('schema_version', NOT_AVAILABLE_TEXT)})"),
        ("Data as at", f"{report.data_as_of} (newest source update in the catalogue); each line gives its "
                       "latest period"),
    ]
    if (line := demo_line(b)) is not None:
        out.insert(0, ("Note", line))
    if any(reason.startswith("CPOP rating") for item in report.exceptions for reason in item.reasons):
        out.append(("CPOP rating", "The Improvement Service's own rating against Scotland, beside cpop's trend "
                                   "verdict. " + WHY_THEY_DIFFER))
    return out


def filename(report: BoardReport, fmt: str) -> str:
    """``cpop-board-report-locality-s99009001-intermediate_zone.pdf``."""
    return f"cpop-board-report-{report.area_type}-{report.area_code.lower()}-{report.child_type}.{fmt}"


# --- PDF -------------------------------------------------------------------------------------


def _exception_table(report: BoardReport) -> list[Any]:
    if not report.exceptions:
        return [_p("Nothing is worsening, worse than Scotland, widening or off track.", "body")]
    widths = [42 * mm, 30 * mm, 32 * mm, 55 * mm, 46 * mm]
    widths.append(FRAME_W - sum(widths))
    head = ["Indicator", "Latest", "Change", "Why it is here", "Target and trajectory", "Officer commentary"]
    rows: list[list[Any]] = [[_p(f"<b>{h}</b>", "cell") for h in head]]
    for i, item in enumerate(report.exceptions, start=1):
        note = (f"{_e(item.commentary)}<br/><font size=6.5 color='#555555'>saved {_e(item.commentary_saved)}</font>"
                if item.commentary else "<i>no commentary yet</i>")
        rows.append([
            _p(f"<b>{i}. {_e(item.short_title)}</b><br/><font size=6.5>{_e(item.priority_label)}</font>"
               + _local_line(report.local_labels.get(item.indicator_id, "")), "cell"),
            _p(f"{_e(item.latest)} ({_e(item.latest_period_label)})", "cell"),
            _p(_e(item.change or "–"), "cell"),
            _p("<br/>".join(_e(r) for r in item.why) or "–", "cell"),
            _p(_e(item.target or "no target set"), "cell"),
            _p(note, "cell"),
        ])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style())
    return [table]


def _local_line(label: str) -> str:
    """A local dataset's label as a second line under its title ('' for a national indicator)."""
    return f"<br/><font size=6.5><b>{_e(label)}</b></font>" if label else ""


def _matrix_blocks(report: BoardReport) -> list[Any]:
    """The matrix in blocks of ``MATRIX_COLUMNS_PER_BLOCK`` columns; the scope's own column starts every
    block, so each page compares the communities with the whole area."""
    if not report.matrix_rows:
        return [_p(_e(f"No {label_in_sentence(report.child_label)} with values in {report.area_name}."), "body")]
    out: list[Any] = []
    first = 44 * mm
    n = MATRIX_COLUMNS_PER_BLOCK
    lead = int(has_scope_column(report.matrix_frame))
    columns = list(range(len(report.matrix_areas)))
    for start in range(lead, max(len(columns), lead + 1), n - lead):
        shown = columns[:lead] + columns[start:start + n - lead]
        width = (FRAME_W - first) / n
        head = [_p("<b>Indicator</b>", "cell"), *[_p(f"<b>{_e(report.matrix_areas[i])}</b>", "cell") for i in shown]]
        body: list[list[Any]] = [head]
        style: list[tuple] = list(grid_style().getCommands())
        style.append(("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")))
        if lead:
            style.append(("LINEAFTER", (lead, 0), (lead, -1), 1.2, colors.HexColor("#555555")))
        for r, (title, cells) in enumerate(report.matrix_rows, start=1):
            line: list[Any] = [_p(_e(title) + _local_line(report.local_for_title(title)), "cell")]
            for c, cell in enumerate((cells[i] for i in shown), start=1):
                line.append(_p(f"<b>{_e(cell.words or cell.text)}</b>"
                               + "".join(f"<br/>{_e(part)}" for part in (cell.value, cell.target) if part), "cell"))
                style.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(FILLS.get(cell.colour, "#FFFFFF"))))
            body.append(line)
        table = Table(body, colWidths=[first] + [width] * len(shown), repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(style))
        out += [CondPageBreak(40 * mm), table, Spacer(1, 3 * mm)]
    return out


def board_report_pdf(report: BoardReport) -> bytes:
    """The report as a landscape A4 PDF: provenance, exception report with commentary, RAG matrix."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"Board report: {report.area_name}", author="cpop",
                            subject=f"{report.scope_label} {report.area_code}", creator="cpop", invariant=1)
    story: list[Any] = [_p(_e(f"Board report: {report.area_name}"), "h1"),
                        _p(_e(f"{report.scope_label}. Exception report, then the trend and the status against "
                              f"targets in the whole area and in each community ({label_in_sentence(report.child_label)})."),
                           "body"), Spacer(1, 2 * mm)]
    table = Table([[_p(f"<b>{_e(k)}</b>", "cell"), _p(_e(v), "cell")] for k, v in facts(report)],
                  colWidths=[50 * mm, FRAME_W - 50 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#CCCCCC")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story += [table, Spacer(1, 3 * mm), _p("Exception report", "h2"),
              _p("Indicators that are worsening, worse than Scotland, whose gap between the most and least "
                 "deprived is widening, or whose target is at risk or off track; most urgent first.", "small"),
              Spacer(1, 1.5 * mm), *_exception_table(report), Spacer(1, 3 * mm),
              CondPageBreak(50 * mm), _p(_e(f"Trend in each community and status against targets: {label_in_sentence(report.child_label)}"),
                                         "h2"),
              _p(_e(MATRIX_KEY), "small"), Spacer(1, 1.5 * mm), *_matrix_blocks(report),
              *spend_pdf_story(report.spend, FRAME_W)]

    class Canvas(NumberedCanvas):
        footer_chars = 160

    Canvas.footer = (f"{DEMO_SHORT + ' | ' if demo_line(report.build) else ''}cpop board report: {report.area_name} "
                     f"| build {report.build.get('build_id', '-')} ({report.built_on}) | data as at {report.data_as_of}")
    doc.build(story, canvasmaker=Canvas)
    return buf.getvalue()


# --- Excel -----------------------------------------------------------------------------------

EXCEPTION_COLUMNS = ["Indicator", "Local data", "SOA priority", "Latest value", "Latest period", "Change since baseline",
                     "Trend (last 5 periods)", "Compared with Scotland", "Scotland value", "Compared with council",
                     "Council value", "CPOP rating", "CPOP rating in words", "CPOP improvement rate (%)",
                     "Deprivation gap", "Target", "Target year", "Target status", "Trajectory now",
                     "Projected in target year", "Probability of meeting target", "Officer commentary",
                     "Commentary saved", "Summary"]


def _number(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def exception_rows(report: BoardReport) -> list[dict[str, Any]]:
    """One row per exception (the workbook's table); suppressed values are the word, never a number."""
    rows = []
    for item in report.exceptions:
        r = item.row
        latest = _number(r.get("latest_value"))
        target = _number(r.get("target_value"))
        rows.append({
            "Indicator": item.short_title, "Local data": report.local_labels.get(item.indicator_id, ""),
            "SOA priority": item.priority_label,
            "Latest value": "suppressed" if latest is None else latest, "Latest period": item.latest_period_label,
            "Change since baseline": item.change, "Trend (last 5 periods)": r.get("trend_verdict"),
            "Compared with Scotland": r.get("vs_scotland"), "Scotland value": _number(r.get("scotland_value")),
            "Compared with council": r.get("vs_council"), "Council value": _number(r.get("council_value")),
            "CPOP rating": r.get("cpop_rating"), "CPOP rating in words": r.get("cpop_rating_words"),
            "CPOP improvement rate (%)": _number(r.get("cpop_improvement_rate")),
            "Deprivation gap": r.get("gap_verdict"), "Target": target,
            "Target year": None if target is None else _number(r.get("target_year")),
            "Target status": r.get("target_status"), "Trajectory now": _number(r.get("trajectory_value_latest")),
            "Projected in target year": _number(r.get("projected_value")),
            "Probability of meeting target": _number(r.get("probability_of_meeting")),
            "Officer commentary": item.commentary, "Commentary saved": item.commentary_saved,
            "Summary": item.sentence,
        })
    return [{k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in row.items()} for row in rows]


def matrix_rows(report: BoardReport) -> list[dict[str, Any]]:
    """The matrix as the workbook shows it: one row per indicator (a local dataset's title carries its
    label), one column per community, words."""
    return [{"Indicator": with_local(title, report.local_for_title(title)),
             **{area: (f"{c.words or c.text} ({c.note})" if c.note else c.words or c.text)
                for area, c in zip(report.matrix_areas, cells, strict=True)}}
            for title, cells in report.matrix_rows]


def board_report_xlsx(report: BoardReport) -> bytes:
    """The report as a workbook: 'Exception report' (with commentary), 'RAG matrix', 'Matrix data'."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Exception report"
    lines = [("Board report", report.area_name), *facts(report)]
    for i, (k, v) in enumerate(lines, start=1):
        ws.cell(row=i, column=1, value=k).font = Font(bold=True)
        ws.cell(row=i, column=2, value=xlsx_text(v))
    rows = exception_rows(report)
    if rows:
        _write_table(ws, EXCEPTION_COLUMNS, rows, start_row=len(lines) + 2)
    else:
        ws.cell(row=len(lines) + 2, column=1, value="Nothing is worsening, worse than Scotland, widening or off track.")
    for row in ws.iter_rows(min_row=len(lines) + 3):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)

    grid = wb.create_sheet("RAG matrix")
    grid.cell(row=1, column=1, value=report.title).font = Font(bold=True)
    grid.cell(row=2, column=1, value=MATRIX_KEY)
    columns = ["Indicator", *report.matrix_areas]
    _write_table(grid, columns, matrix_rows(report), start_row=4)
    for r, (_title, cells) in enumerate(report.matrix_rows, start=5):
        for c, cell in enumerate(cells, start=2):
            grid.cell(row=r, column=c).fill = PatternFill("solid", fgColor=FILLS.get(cell.colour, "#FFFFFF")[1:])

    data = wb.create_sheet("Matrix data")
    keep = ["indicator_id", "short_title", "area_type", "area_code", "area_name", "latest_period_label",
            "latest_value", "trend_verdict", "vs_scotland", "target_value", "target_year", "target_status"]
    frame = report.matrix_frame
    records = [] if frame.empty else frame[[c for c in keep if c in frame.columns]].to_dict("records")
    keep.insert(2, LOCAL_COLUMN)
    for record in records:
        record[LOCAL_COLUMN] = report.local_labels.get(str(record.get("indicator_id")), "")
    _write_table(data, keep, [{k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in r.items()}
                              for r in records])
    add_spend_sheets(wb, report.spend, demo_line(report.build))
    if (line := demo_line(report.build)) is not None:
        for sheet in wb.worksheets:
            sheet.oddFooter.center.text = line
    wb.properties.creator = "cpop"
    wb.properties.title = f"Board report: {report.area_name}"
    buf = io.BytesIO()
    defuse_workbook(wb).save(buf)
    return buf.getvalue()


def render(report: BoardReport, fmt: str) -> bytes:
    """The report as 'pdf' or 'xlsx'."""
    if fmt == "pdf":
        return board_report_pdf(report)
    if fmt == "xlsx":
        return board_report_xlsx(report)
    raise BoardReportError(f"argument 'fmt' must be one of {', '.join(FORMATS)}, got {fmt!r}")


def board_report_file(queries: Any, council: str, area: str | None, child_type: str | None, fmt: str, *,
                      store: CommentaryStore | None = None) -> tuple[str, bytes]:
    """(file name, content): what the Dashboard's download buttons and ``cpop board-report`` write."""
    if fmt not in FORMATS:
        raise BoardReportError(f"argument 'fmt' must be one of {', '.join(FORMATS)}, got {fmt!r}")
    report = board_report_data(queries, council, area, child_type, store=store)
    return filename(report, fmt), render(report, fmt)
