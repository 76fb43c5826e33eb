"""Exports of Fife's profile on real Scotland (the warehouse built from the committed snapshot).

``cpop profile --area-type council --area Fife`` must give Fife's real CPOP indicators with the
publisher's values, source and value types, in the PDF, the workbook and the CSV; ``cpop
board-report --council Fife`` must work. The expected figures are the Improvement Service's own
(CPOP, September 2023 release: Fife's child poverty 23.2 % in 2021/22, projected 27.3 % for
2024/25; imputed back to 2010/11), read from its file, not from cpop's output.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from etl.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()
CPOP_SEP_2023 = "Improvement Service, CPOP September 2023"


def _export(real_warehouse: Path, tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"fife.{fmt}"
    result = runner.invoke(app, ["profile", "--area-type", "council", "--area", "Fife", "--format", fmt,
                                 "--out", str(out), "--warehouse", str(real_warehouse)])
    assert result.exit_code == 0, result.output
    return out


def test_fife_pdf_has_the_published_child_poverty_figure(real_warehouse: Path, tmp_path: Path) -> None:
    text = "\n".join(p.extract_text() for p in PdfReader(_export(real_warehouse, tmp_path, "pdf")).pages)
    words = " ".join(text.split())
    start = words.index("Children in low-income families Percentage")  # the title, then its definition
    block = words[words.index("Latest value", start):][:1400]
    assert "23.2% (2021/22)" in block
    assert f"Source {CPOP_SEP_2023}" in block
    assert "Publisher's projection 27.3% (2024/25)" in block
    assert "no interval published" in block and "nan" not in block.lower()
    assert "Worse than Scotland but improving faster" in block  # CPOP's own rating of Fife
    assert "Fife (imputed)" in block and "Fife (projected)" in block  # the chart's legend
    assert "DEMO" not in words  # real data carries no demo line
    assert "Why they can differ" in words  # CPOP's rating beside cpop's verdict, explained


def test_fife_pdf_page_one_summarises_every_indicator_and_methods_are_plain(real_warehouse: Path,
                                                                          tmp_path: Path) -> None:
    """Page 1 is the board's summary of every indicator; no hashes or table names anywhere."""
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(_export(real_warehouse, tmp_path, "pdf")).pages]
    con = duckdb.connect(str(real_warehouse), read_only=True)
    try:
        titles, newest = con.execute("""
            SELECT list(DISTINCT i.short_title), max(i.last_update) FROM meta.indicators AS i
            JOIN marts.indicator_values AS v USING (indicator_id)
            JOIN marts.areas AS a USING (area_type, area_code)
            WHERE v.area_type = 'council' AND a.area_name = 'Fife' AND v.value IS NOT NULL""").fetchone()
    finally:
        con.close()
    assert len(titles) >= 30
    missing = [t for t in titles if t not in pages[0]]
    assert not missing, f"not on page 1: {missing}"
    assert "vs Scotland" in pages[0] and "Deprivation gap" in pages[0]
    assert f"Data as at {newest.day} {newest:%B %Y}" in pages[0]  # the data's date, not the build's
    methods = next(i for i, page in enumerate(pages) if "Methods and sources" in page)
    assert methods > 1 and all("Trend (last 5 points)" not in page for page in pages[methods:])  # last
    whole = " ".join(pages)
    for internal in ("sha256", "marts.", "Marts in this build", "low_is_good", "high_is_good", "wilson", "byar"):
        assert internal not in whole, internal


def test_fife_workbook_and_csv_have_value_types_and_sources(real_warehouse: Path, tmp_path: Path) -> None:
    wb = load_workbook(_export(real_warehouse, tmp_path, "xlsx"))
    summary = wb["Summary"]
    header_row = next(r for r in summary.iter_rows(values_only=True) if r and r[0] == "soa_priority")
    rows = [dict(zip(header_row, r, strict=False)) for r in summary.iter_rows(values_only=True)
            if r and r[1] == "ey_child_poverty"]
    [cp] = rows
    assert cp["period_label"] == "2021/22" and round(cp["value"], 1) == 23.2
    assert cp["published_by"] == CPOP_SEP_2023 and cp["value_type"] == "observed"
    assert round(cp["projected_value"], 1) == 27.3 and cp["projected_period_label"] == "2024/25"
    assert cp["cpop_rating"] == "yellow" and round(cp["cpop_improvement_rate_pct"], 1) == 74.4
    assert cp["ci_lower"] is None  # CPOP publishes no interval: none is made up
    content = _export(real_warehouse, tmp_path, "csv").read_text(encoding="utf-8-sig")
    assert not content.startswith("#")  # real data: the header first
    series = {r["period_label"]: r for r in csv.DictReader(io.StringIO(content))
              if r["indicator_id"] == "ey_child_poverty" and r["role"] == "area"}
    assert series["2010/11"]["flags"] == "imputed by the publisher"
    assert series["2024/25"]["flags"] == "projected by the publisher"
    assert round(float(series["2021/22"]["value"]), 1) == 23.2
    assert series["2021/22"]["published_by"] == CPOP_SEP_2023 and series["2021/22"]["ci_lower"] == ""


def test_fife_board_report(real_warehouse: Path, tmp_path: Path) -> None:
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"board.{fmt}"
        result = runner.invoke(app, ["board-report", "--council", "Fife", "--format", fmt, "--out", str(out),
                                     "--warehouse", str(real_warehouse), "--user-dir", str(tmp_path / "user")])
        assert result.exit_code == 0, result.output
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / "board.pdf").pages).split())
    assert "Board report: Fife" in words and "CPOP rating red (Worse than Scotland" in words
    sheet = load_workbook(tmp_path / "board.xlsx")["Exception report"]
    assert "CPOP rating" in [c.value for row in sheet.iter_rows() for c in row]


def test_board_report_of_a_locality_own_or_hscp(real_warehouse: Path, tmp_path: Path) -> None:
    # Fife's own strategic areas and every council's HSCP localities are both localities here
    for council, locality, expected in (("Fife", "Levenmouth", "Levenmouth (Fife)"),
                                        ("Glasgow", "Glasgow South", "Glasgow South (Glasgow City)")):
        out = tmp_path / "locality.pdf"
        result = runner.invoke(app, ["board-report", "--council", council, "--locality", locality, "--out", str(out),
                                     "--warehouse", str(real_warehouse), "--user-dir", str(tmp_path / "user")])
        assert result.exit_code == 0, result.output
        assert f"Board report of {expected}" in " ".join(result.output.split())
    result = runner.invoke(app, ["board-report", "--council", "Glasgow", "--locality", "Glasgow North", "--out",
                                 str(tmp_path / "x.pdf"), "--warehouse", str(real_warehouse)])
    out = " ".join(result.output.split())
    assert result.exit_code == 1 and "matches 2 localities of Glasgow City" in out and "Glasgow North East" in out
