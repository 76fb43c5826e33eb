"""Profile exports on the demo warehouse: the files' numbers match marts, suppression holds.

Statistics marts land over time: a copy of the warehouse with them removed must say
"not available", and a copy with hand-made rows must show exactly those rows' verdicts.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader
from dashboard.exports import ProfileError, profile_data, profile_file
from dashboard.formatting import format_value
from etl.warehouse_files import internal_path, open_pair

pytestmark = pytest.mark.slow
STAT_MARTS = ("comparisons", "inequality", "inequality_trend")


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture(scope="module")
def suppressed_case(demo_warehouse: Path) -> tuple[str, str, str]:
    """A ward whose latest value of some indicator is suppressed: (ward code, indicator, period)."""
    con = open_pair(demo_warehouse)
    try:
        row = con.execute("""
            WITH latest AS (
                SELECT *, row_number() OVER (PARTITION BY indicator_id, area_code ORDER BY period_year DESC) AS k
                FROM marts.indicator_values WHERE area_type = 'ward')
            SELECT area_code, indicator_id, period_label FROM latest WHERE k = 1 AND is_suppressed
            ORDER BY area_code LIMIT 1""").fetchall()
    finally:
        con.close()
    assert row, "the demo should have a ward with a suppressed latest value"
    return row[0]


@pytest.fixture(scope="module")
def queries(demo_warehouse: Path):
    reader = WarehouseReader(demo_warehouse)
    yield Queries(reader)
    reader.close()


def _latest(demo_warehouse: Path, area_code: str) -> dict[str, tuple]:
    con = open_pair(demo_warehouse)
    try:
        rows = con.execute("""
            SELECT v.indicator_id, v.period_label, v.value, v.ci_lower, v.ci_upper, v.is_suppressed, i.unit_label
            FROM marts.indicator_values v JOIN meta.indicators i USING (indicator_id)
            WHERE v.area_type = 'ward' AND v.area_code = ?
            QUALIFY row_number() OVER (PARTITION BY v.indicator_id ORDER BY v.period_year DESC) = 1""",
                           [area_code]).fetchall()
    finally:
        con.close()
    return {r[0]: r[1:] for r in rows}


def test_pdf_numbers_match_the_warehouse(queries: Queries, demo_warehouse: Path,
                                         suppressed_case: tuple[str, str, str]) -> None:
    ward, hidden_indicator, hidden_period = suppressed_case
    name, content = profile_file(queries, "ward", ward, "pdf")  # its speed: bench/export_bench.py
    assert name.startswith(f"cpop-profile-ward-{ward.lower()}-") and name.endswith(".pdf")
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    area_name = queries.area("ward", ward)["area_name"]
    assert area_name in text and "Page 1 of" in text
    for indicator, (period, value, lo, hi, suppressed, unit) in _latest(demo_warehouse, ward).items():
        if suppressed:
            assert f"suppressed ({period})" in text, indicator
        else:
            assert f"{format_value(value, unit)} ({period})" in text, indicator
            assert f"{lo:,.1f} – {hi:,.1f}" in text, indicator
    assert f"suppressed ({hidden_period})" in text
    for section in ("Employment", "Early years", "Outcomes for older people", "Methods and sources"):
        assert section in text


def test_xlsx_and_csv_match_the_warehouse_and_never_show_suppressed_numbers(
        queries: Queries, demo_warehouse: Path, suppressed_case: tuple[str, str, str]) -> None:
    ward, _indicator, _period = suppressed_case
    _name, xlsx = profile_file(queries, "ward", ward, "xlsx")
    wb = load_workbook(io.BytesIO(xlsx))
    assert wb.sheetnames[0] == "Summary" and wb.sheetnames[-1] == "Metadata"
    rows = []
    for ws in wb.worksheets[1:-2]:
        assert ws.freeze_panes == "A2"
        header = [c.value for c in ws[1]]
        rows += [dict(zip(header, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=2)]
    con = open_pair(demo_warehouse)
    try:
        truth = {(r[0], r[1], r[2]): r[3:] for r in con.execute("""
            SELECT indicator_id, area_code, period_label, numerator, denominator, value, ci_lower, ci_upper,
                   is_suppressed
            FROM marts.indicator_values""").fetchall()}
    finally:
        con.close()
    assert rows
    suppressed_seen = 0
    for r in rows:
        numerator, denominator, value, lo, hi, suppressed = truth[(r["indicator_id"], r["area_code"],
                                                                   r["period_label"])]
        if suppressed:
            suppressed_seen += 1
            assert r["status"] == "suppressed"
            assert [r["numerator"], r["value"], r["ci_lower"], r["ci_upper"]] == ["suppressed"] * 4
        else:
            assert r["value"] == pytest.approx(value) and r["ci_lower"] == pytest.approx(lo)
            assert r["ci_upper"] == pytest.approx(hi)
            if numerator is None:
                assert r["numerator"] is None
            else:
                assert r["numerator"] == pytest.approx(numerator)
            if denominator is None:
                assert r["denominator"] is None
            else:
                assert r["denominator"] == pytest.approx(denominator)
    assert suppressed_seen >= 1
    _name, content = profile_file(queries, "ward", ward, "csv")
    demo_line, _, table = content.decode("utf-8-sig").partition("\n")
    assert demo_line.startswith("# DEMO DATA")  # the demo's files say so first
    csv_rows = list(csv.DictReader(io.StringIO(table)))
    assert len(csv_rows) == len(rows)
    for r in csv_rows:
        if r["status"] == "suppressed":
            assert r["value"] == r["numerator"] == r["ci_lower"] == "suppressed"


def test_unknown_area_and_format_are_clear_errors(queries: Queries) -> None:
    with pytest.raises(ProfileError, match="no area of type 'ward'"):
        profile_file(queries, "ward", "S13999999", "pdf")
    with pytest.raises(ValueError, match="fmt"):
        profile_file(queries, "ward", "S13999999", "docx")  # type: ignore[arg-type]


def _copy(demo_warehouse: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.duckdb"
    shutil.copy(demo_warehouse, target)
    shutil.copy(internal_path(demo_warehouse), internal_path(target))
    return target


def test_absent_statistics_marts_say_not_available(demo_warehouse: Path, tmp_path: Path) -> None:
    path = _copy(demo_warehouse, tmp_path)
    con = duckdb.connect(str(path))
    for mart in (*STAT_MARTS, "trend"):
        con.execute(f"DROP TABLE IF EXISTS marts.{mart}")
    council = con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'council' ORDER BY 1").fetchall()[0][0]
    con.close()
    reader = WarehouseReader(path)
    try:
        data = profile_data(reader, "council", council)
        assert data.improving is None and data.worsening is None
        for ind in data.indicators:
            assert ind.trend_verdict == ind.inequality_verdict == "not available"
            assert all(c.verdict == "not available" for c in ind.comparisons)
        _name, content = profile_file(reader, "council", council, "pdf")
    finally:
        reader.close()
    text = _pdf_text(content)
    assert "not available" in text and "trend verdicts are not available in this build" in text
    assert "marts." not in text  # no internal table names on a board paper


def test_present_statistics_marts_are_used(demo_warehouse: Path, tmp_path: Path) -> None:
    path = _copy(demo_warehouse, tmp_path)
    con = duckdb.connect(str(path))
    ward, council, council_name = con.execute(
        "SELECT area_code, council_code, council_name FROM marts.areas WHERE area_type = 'ward' ORDER BY 1 LIMIT 1"
    ).fetchall()[0]
    con.execute("""
        CREATE OR REPLACE TABLE marts.comparisons AS
        SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.period_year, c.comparator,
               'scotland' AS comparator_area_type, 'S92000003' AS comparator_area_code,
               v.period_label AS comparator_period_label, 4321.5 AS comparator_value,
               c.verdict AS verdict_95, c.verdict AS verdict_998
        FROM marts.indicator_values v
        CROSS JOIN (VALUES ('scotland', 'worse'), ('council', 'better')) AS c(comparator, verdict)
        WHERE v.area_type = 'ward' AND v.area_code = ?""", [ward])
    con.execute("""
        CREATE OR REPLACE TABLE marts.inequality_trend AS
        SELECT indicator_id, 'council' AS area_type, ?::VARCHAR AS area_code, 'national_quintile' AS basis,
               'absolute_gap' AS measure, 'widening' AS verdict, '2015' AS first_period_label,
               '2024' AS last_period_label,
               0.01 AS p_value
        FROM meta.indicators""", [council])
    con.execute("""
        CREATE OR REPLACE TABLE marts.inequality AS
        SELECT indicator_id, 'council' AS area_type, ?::VARCHAR AS area_code, '2024' AS period_label,
               2024 AS period_year, 'national_quintile' AS basis, 7.5 AS most_deprived_value,
               2.5 AS least_deprived_value, 5.0 AS absolute_gap, 3.0 AS relative_gap, 8765.4 AS sii,
               8000.0 AS sii_lower, 9000.0 AS sii_upper
        FROM meta.indicators""", [council])
    con.close()
    reader = WarehouseReader(path)
    try:
        data = profile_data(reader, "ward", ward)
        _name, content = profile_file(reader, "ward", ward, "pdf")
    finally:
        reader.close()
    with_values = [i for i in data.indicators if i.latest is not None]
    assert with_values
    for ind in with_values:
        assert ind.comparison("scotland").verdict == "worse"
        assert ind.comparison("council").verdict == "better"
        assert ind.inequality_verdict == "widening" and ind.inequality.parent_name == council_name
    text = _pdf_text(content)
    assert "4,321.5" in text or "4321.5" in text
    assert "widening" in text and "8,765.4" in text


def test_user_made_area_profile(queries: Queries, demo_warehouse: Path) -> None:
    con = open_pair(demo_warehouse)
    codes = [r[0] for r in con.execute(
        "SELECT datazone_code FROM core.bridge_datazone_area WHERE area_type = 'intermediate_zone' "
        "AND area_code = (SELECT min(area_code) FROM core.bridge_datazone_area WHERE area_type = 'intermediate_zone')"
    ).fetchall()]
    iz = con.execute("SELECT area_code FROM core.bridge_datazone_area WHERE area_type = 'intermediate_zone' "
                     "AND datazone_code = ?", [codes[0]]).fetchall()[0][0]
    truth = dict(con.execute(
        "SELECT indicator_id, value FROM marts.indicator_values WHERE area_type = 'intermediate_zone' "
        "AND area_code = ? AND NOT is_suppressed QUALIFY row_number() OVER (PARTITION BY indicator_id "
        "ORDER BY period_year DESC) = 1", [iz]).fetchall())
    con.close()
    assert len(codes) >= 3
    data = profile_data(queries, "user", codes, area_name="My IZ copy")
    assert data.area_name == "My IZ copy" and data.datazone_count == len(codes)
    # a user area made of one IZ's data zones reproduces that IZ's extensive values
    checked = 0
    for ind in data.indicators:
        if ind.latest is not None and not ind.latest.is_suppressed and ind.indicator_id in truth:
            assert ind.latest.value == pytest.approx(truth[ind.indicator_id]), ind.indicator_id
            checked += 1
    assert checked >= 5
    name, content = profile_file(queries, "user", codes, "xlsx", area_name="My IZ copy")
    assert name == "cpop-profile-user-my-iz-copy.xlsx" and content[:2] == b"PK"
    with pytest.raises(ProfileError, match="at least"):
        profile_data(queries, "user", codes[:1])
