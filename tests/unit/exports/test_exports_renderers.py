"""The export renderers on a hand-made profile: suppressed values never become numbers."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from dashboard.exports import chart_file, profile_filename, slug
from dashboard.exports.charts import chart_png, chart_svg, nice_ticks, trend_chart
from dashboard.exports.pdf import profile_pdf
from dashboard.exports.profile import (
    Change,
    Comparison,
    IndicatorProfile,
    ProfileData,
    SeriesPoint,
    TrendInfo,
)
from dashboard.exports.tables import profile_csv, profile_rows, profile_xlsx, sheet_title
from dashboard.logic.provenance import DEMO_LINE

HIDDEN = 4242.4242  # a number that must never appear: it sits behind a suppressed row


def _point(role: str, year: int, value: float | None, *, suppressed: bool = False) -> SeriesPoint:
    return SeriesPoint(
        indicator_id="ss_fires", role=role, area_code={"area": "S13000001", "scotland": "S92000003"}[role],
        area_name={"area": "Glen Test", "scotland": "Scotland"}[role], period_label=f"{year}/{str(year + 1)[2:]}",
        period_year=year, numerator=None if suppressed else 12.0, denominator=10_000.0,
        value=None if suppressed else value, ci_lower=None if suppressed else (value or 0) - 10,
        ci_upper=None if suppressed else (value or 0) + 10, is_suppressed=suppressed,
        suppression_reason="primary: a count between 1 and 4" if suppressed else None, value_type="raw",
        source_release="2025-09")


def _indicator() -> IndicatorProfile:
    series = [_point("area", y, 100.0 + y - 2015) for y in range(2015, 2020)]
    series.append(_point("area", 2020, HIDDEN, suppressed=True))
    series += [_point("scotland", y, 150.0) for y in range(2015, 2021)]
    latest = series[5]
    return IndicatorProfile(
        indicator_id="ss_fires", title="Dwelling fires per 100,000", short_title="Dwelling fires",
        soa_priority="safer_communities", soa_priority_label="Safer and stronger communities",
        definition="Fires.", unit_label="per 100,000", polarity="low_is_good", measure_type="crude_rate",
        source="SFRS", ci_method="byar", disclosure_rule="counts of 1 to 4 are suppressed", caveats="",
        last_update="2025-08-01", latest=latest,
        comparisons=(Comparison("scotland", "Scotland", "2020/21", 150.0, False, "not comparable"),),
        trend=TrendInfo("cannot be calculated", "2015/16", 100.0, "2019/20", 104.0, 4.0, 4.0, -4.0, "grey",
                        None, None, 4),
        inequality=None, series=tuple(series))


def _profile() -> ProfileData:
    return ProfileData(
        area_type="ward", area_type_label="Multi-member ward", area_code="S13000001", area_name="Glen Test",
        council_code="S12000001", council_name="Testshire", population=9000, datazone_count=12,
        build={"build_id": "abc123", "schema_version": "1.0.0", "demo": True}, as_of="1 January 2026",
        priorities=(("safer_communities", "Safer and stronger communities"),), indicators=(_indicator(),),
        improving=(Change("ss_fires", "Dwelling fires", "per 100,000", "improving", "2015/16", 100.0, "2019/20",
                          90.0, 10.0),),
        worsening=(), boundary={"type": "Polygon", "coordinates": [[[-3, 56], [-3.1, 56], [-3.1, 56.1], [-3, 56]]]},
        context_boundary=None, sources=({"source": "sfrs", "release": "2025-09", "file_name": "fires.csv",
                                         "sha256": "ab" * 32},),
        available_marts=frozenset({"indicator_values", "trend"}))


def test_nice_ticks_cover_the_range_with_round_steps() -> None:
    assert nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    ticks = nice_ticks(13.2, 27.9)
    assert ticks[0] <= 13.2 and ticks[-1] >= 27.9
    assert len({round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}) == 1


def test_chart_has_a_gap_not_a_zero_where_suppressed() -> None:
    chart = trend_chart(_indicator())
    area = chart.lines[0]
    assert area.values[-1] is None and area.suppressed == (False,) * 5 + (True,)
    assert 0.0 not in area.values and HIDDEN not in area.values


def test_png_is_high_resolution_and_svg_is_vector() -> None:
    png = chart_png(_indicator())
    image = Image.open(io.BytesIO(png))
    assert image.size == (2400, 1200)
    svg = chart_svg(_indicator())
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and b"<path" in svg
    name, _content = chart_file(_indicator(), "svg", area_name="Glen Test")
    assert name == "cpop-chart-glen-test-ss_fires.svg"


def test_rows_write_suppressed_as_the_word() -> None:
    rows = profile_rows(_profile())
    hidden = [r for r in rows if r["status"] == "suppressed"]
    assert len(hidden) == 1
    assert all(hidden[0][c] == "suppressed" for c in ("numerator", "value", "ci_lower", "ci_upper"))
    assert hidden[0]["denominator"] == 10_000.0  # a denominator is published


def test_csv_has_the_same_rows_and_no_hidden_number() -> None:
    content = profile_csv(_profile())
    assert content.startswith(b"\xef\xbb\xbf")
    first, _, rest = content.decode("utf-8-sig").partition("\n")
    assert first == f"# {DEMO_LINE}"  # the fixture's build is the demo: its files say so first
    rows = list(csv.DictReader(io.StringIO(rest)))
    assert len(rows) == len(profile_rows(_profile()))
    assert "4242" not in content.decode()
    assert rows[0]["value"] == "100" and rows[0]["numerator"] == "12"


def test_xlsx_sheets_formats_and_suppression() -> None:
    wb = load_workbook(io.BytesIO(profile_xlsx(_profile())))
    assert wb.sheetnames == ["Summary", "Safer communities", "Better or worse", "Metadata"]
    ws = wb["Safer communities"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    values = [dict(zip(header, [c.value for c in row], strict=True)) for row in ws.iter_rows(min_row=2)]
    suppressed = [v for v in values if v["status"] == "suppressed"]
    assert suppressed and suppressed[0]["value"] == "suppressed"
    numbers = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, float)]
    assert HIDDEN not in [c.value for c in numbers]
    value_col = header.index("value")
    assert ws.cell(row=2, column=value_col + 1).number_format == "#,##0.0"


def test_pdf_text_pages_and_suppression() -> None:
    reader = PdfReader(io.BytesIO(profile_pdf(_profile())))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Glen Test" in text and "1 January 2026" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "suppressed (2020/21)" in text
    assert "4,242" not in text and "4242" not in text
    assert "Methods and sources" in text and "DEMO DATA" in text
    assert "Getting better" in text and "Dwelling fires" in text


def test_names_are_safe() -> None:
    assert slug("Brae of Mirkie & Tordorran!") == "brae-of-mirkie-tordorran"
    assert profile_filename(_profile(), "pdf") == "cpop-profile-ward-s13000001-glen-test.pdf"
    used: set[str] = set()
    assert sheet_title("safer_communities", used) == "Safer communities"
    assert sheet_title("safer_communities", used) == "Safer communities 2"
    assert len(sheet_title("x" * 50, used)) <= 31
