"""One deprivation-gap verdict per indicator and area, whatever page or export shows it.

A review found Home, the Quick profile and the Area profile gap card saying "gap widening"
while the SII card and the PDF said "no significant change" for the same gap. Every surface
now reads the build's headline rows (``marts.inequality_trend.is_headline``); this test reads
each surface for every council of the demo (and one ward of each, which shows its council's
gap) and fails on any disagreement with the mart.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.components.area_profile_view import profile_inequality
from dashboard.data.queries import Queries
from dashboard.exports import profile_data
from dashboard.exports.tables import summary_rows
from dashboard.home_state import load_profile
from dashboard.logic.gap_verdict import gap_verdict_sentence
from dashboard.logic.quick_profile import gap_words
from tests.fixtures.dash_callbacks import component_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def queries(demo_queries: Queries) -> Queries:
    return demo_queries


@pytest.fixture(scope="module")
def headline(demo_warehouse: Path) -> dict[str, dict[str, str]]:
    """council code -> indicator -> the headline verdict, straight from the mart."""
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        rows = con.execute("""SELECT area_code, indicator_id, verdict FROM marts.inequality_trend
                              WHERE is_headline AND area_type = 'council'""").fetchall()
        counts = con.execute("""SELECT count(*), count(DISTINCT (indicator_id, area_type, area_code))
                                FROM marts.inequality_trend WHERE is_headline""").fetchone()
        grouped = con.execute("""SELECT count(DISTINCT (indicator_id, area_type, area_code))
                                 FROM marts.inequality_groups WHERE basis = 'national_quintile'""").fetchone()
    finally:
        con.close()
    # one headline row per indicator and parent area that has deprivation groups (an indicator
    # published only for communities has a Duncan index but no groups, so no gap verdict)
    assert counts[0] == counts[1] == grouped[0]
    out: dict[str, dict[str, str]] = {}
    for code, indicator, verdict in rows:
        out.setdefault(code, {})[indicator] = verdict
    return out


def _councils(queries: Queries) -> list[str]:
    return [str(c) for c in queries.reader.query(
        "SELECT area_code FROM marts.areas WHERE area_type = 'council' ORDER BY 1").area_code]


def _ward_of(queries: Queries, council: str) -> str:
    return str(queries.reader.query("SELECT min(area_code) AS c FROM marts.areas WHERE area_type = 'ward' "
                                    "AND council_code = $c", {"c": council}).c.iloc[0])


def test_the_mart_has_a_mixture_of_verdicts(headline: dict[str, dict[str, str]]) -> None:
    """A test over verdicts that are all the same could not catch a surface reading another measure."""
    verdicts = {v for by_indicator in headline.values() for v in by_indicator.values()}
    assert {"narrowing", "widening"} <= verdicts


def test_home_tiles_and_profile_gaps_agree(queries: Queries, headline: dict[str, dict[str, str]]) -> None:
    for council in _councils(queries):
        assert queries.tile_gaps("council", council) == headline[council]
        for area_type, code in (("council", council), ("ward", _ward_of(queries, council))):
            profile = load_profile(queries, area_type, code)
            assert profile is not None
            assert profile.gaps == headline[council], (area_type, code)
            verdicts = queries.inequality_verdicts("council", council)
            for indicator, verdict in headline[council].items():
                assert gap_words(verdicts, indicator) == {
                    "narrowing": "gap narrowing", "widening": "gap widening",
                    "no significant change": "gap: no significant change"}.get(verdict, "gap: cannot be tested")


def test_area_profile_gap_card_agrees_in_every_basis(queries: Queries, headline: dict[str, dict[str, str]]) -> None:
    for council in _councils(queries):
        for indicator, verdict in headline[council].items():
            groups = queries.inequality_groups(indicator, "council", council)
            assert set(groups.gap_verdict.dropna()) <= {verdict}, (council, indicator)


def test_area_profile_most_vs_least_deprived_caption_agrees(queries: Queries,
                                                            headline: dict[str, dict[str, str]]) -> None:
    """The chart of the most and least deprived over time is captioned with the headline verdict."""
    for council in _councils(queries):
        name = queries.area("council", council)["area_name"]
        for indicator, verdict in headline[council].items():
            for basis in ("national_quintile", "local_quintile"):
                section = _extremes_section(queries, council, indicator, basis)
                assert gap_verdict_sentence(verdict, name)[:-1] in section, (council, indicator, basis)


def _extremes_section(queries: Queries, council: str, indicator: str, basis: str) -> str:
    sections = profile_inequality(queries, "council", council, indicator, basis)
    card = next(s for s in sections if s.to_plotly_json()["props"].get("data-section") == "extremes")
    caption = card.children.children[1].children[0]
    return component_text(caption)


def test_exception_report_agrees(queries: Queries, headline: dict[str, dict[str, str]]) -> None:
    for council in _councils(queries):
        rows = queries.exceptions(council)
        for r in rows.itertuples(index=False):
            shown = r.gap_verdict if isinstance(r.gap_verdict, str) else None
            assert shown == headline[council].get(r.indicator_id), (council, r.indicator_id)


def test_pdf_xlsx_and_csv_agree(queries: Queries, headline: dict[str, dict[str, str]]) -> None:
    """The PDF once showed the SII's verdict: the profile data behind PDF, XLSX and CSV."""
    for council in _councils(queries):
        for area_type, code in (("council", council), ("ward", _ward_of(queries, council))):
            data = profile_data(queries, area_type, code)
            shown = {ind.indicator_id: ind.inequality_verdict for ind in data.indicators
                     if ind.inequality is not None}
            assert shown == headline[council], (area_type, code)
            rows = {r["indicator_id"]: r["inequality_verdict"] for r in summary_rows(data)
                    if r["indicator_id"] in shown}
            assert rows == headline[council], (area_type, code)


def test_pages_and_exports_read_series_through_one_query(demo_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13, "one source per figure": the trend charts (``Queries.series``) and the exports
    (``profile_data``) ran two copies of one query (``series.sql``, ``profile_series.sql``); both now run
    ``area_series.sql``, and the page's rows are the export's rows for that indicator."""
    from dashboard.data.reader import WarehouseReader
    from dashboard.data.sqlfiles import load_sql

    queries = Queries(WarehouseReader(demo_warehouse))
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        [(ward,)] = con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'ward' ORDER BY area_code "
                                "LIMIT 1").fetchall()
    finally:
        con.close()
    ran: list[str] = []
    original = queries.reader.query
    monkeypatch.setattr(queries.reader, "query", lambda sql, params=None: ran.append(sql) or original(sql, params))
    page = queries.series("ey_child_poverty", "ward", ward)
    data = profile_data(queries, "ward", ward)
    assert ran.count(load_sql("area_series")) >= 1 and not [sql for sql in ran if "v.indicator_id = $indicator_id" in sql]
    exported = next(i for i in data.indicators if i.indicator_id == "ey_child_poverty")
    page_values = [None if v != v else float(v) for v in page[page.role == "area"].value]
    assert len(page_values) > 1 and [p.value for p in exported.series if p.role == "area"] == page_values
    queries.reader.close()
