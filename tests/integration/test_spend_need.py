"""Spend alongside need end to end on the demo warehouse: ``cpop spend add`` → the page's data
(figures recomputed here by hand from the file and the population table), the Excel download,
and the server refusing a viewer's add or remove."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from dashboard import ids
from dashboard.app import create_app
from dashboard.auth.users import UserStore
from dashboard.data.context import queries_of
from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader
from dashboard.data.spend import spend_view
from dashboard.exports.spend_need import spend_need_xlsx
from dashboard.logic.spend_need import ranked_rows
from etl.cli import app as cli
from etl.settings import Settings
from etl.spend.areas import warehouse_areas
from etl.spend.need import HIGH_NEED_LOW_SPEND, LOW_NEED_HIGH_SPEND, is_higher_need
from etl.spend.store import SpendStore
from etl.warehouse_files import open_pair
from tests.fixtures.dash_callbacks import callback_key, form_value, post, response_props, text_of
from tests.fixtures.spend.files import demo_localities, write_spend_csv

PASSWORD = "a long enough password"
OFFICER = "spend-officer"


@pytest.fixture(scope="module")
def added(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The realistic spend file added with the CLI into a fresh user folder."""
    root = tmp_path_factory.mktemp("spend")
    path = write_spend_csv(root / "spend.csv", demo_localities(demo_warehouse, indicator="econ_income_deprived"),
                           with_errors=True)
    result = CliRunner().invoke(cli, ["spend", "add", str(path), "--title", "Community services spend",
                                      "--organisation", "Glen Tannoch Council", "--licence", "CPP partners only",
                                      "--warehouse", str(demo_warehouse), "--user-dir", str(root / "user")])
    assert result.exit_code == 0, result.output
    return {"path": path, "user_dir": root / "user", "output": result.output}


def test_cli_add_counts_every_row_and_lists_the_quarantine(added: dict) -> None:
    out = " ".join(added["output"].split())
    assert "rows read 41 = accepted 36 + quarantined 5" in out
    assert "unknown locality 'Nowhere Village'" in out and "'tbc' is not a number" in out
    listing = CliRunner().invoke(cli, ["spend", "list", "--user-dir", str(added["user_dir"])])
    assert listing.exit_code == 0 and "community-services-spend" in listing.output


def test_cli_refuses_a_file_it_cannot_read_with_file_row_and_column(demo_warehouse: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Locality,Year,Amount\nSomewhere,2023\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["spend", "add", str(bad), "--title", "x", "--organisation", "y",
                                      "--warehouse", str(demo_warehouse), "--user-dir", str(tmp_path / "user")])
    message = " ".join(result.output.split())
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "bad.csv" in message and "row 2" in message and "column 'Amount'" in message
    assert SpendStore(tmp_path / "user").list() == []


def _hand_figures(path: Path, warehouse: Path, year_label: str) -> dict[str, tuple[float, int]]:
    """Each locality's total spend in ``year_label`` (from the file itself, good rows only) and its
    population that year (summed from the data zones' estimates)."""
    totals: dict[str, float] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in list(csv.DictReader(handle))[:36]:  # the 36 good rows come first
            if row["Financial year"] == year_label:
                totals[row["Locality"]] = totals.get(row["Locality"], 0.0) + float(row["Amount"].replace(",", ""))
    with open_pair(warehouse) as con:
        pops = dict(con.execute(
            "select a.area_name, sum(p.population) from core.fct_population_datazone p "
            "join core.bridge_datazone_area b using (datazone_code) join marts.areas a "
            "on a.area_type = b.area_type and a.area_code = b.area_code "
            "where b.area_type = 'locality' and p.sex = 'All' and p.year = 2023 group by 1").fetchall())
    return {name: (amount, int(pops[name])) for name, amount in totals.items()}


def test_page_data_is_spend_per_head_against_need(added: dict, demo_warehouse: Path) -> None:
    reader = WarehouseReader(demo_warehouse)
    try:
        view = spend_view(Queries(reader), SpendStore(added["user_dir"]), "community-services-spend",
                          indicator="econ_income_deprived")
    finally:
        reader.close()
    assert view.year == 2023 and view.meta.period_label(2023) == "2023/24" and view.population_year == 2023
    hand = _hand_figures(added["path"], demo_warehouse, "2023/24")
    areas = view.result.areas.set_index("area_name")
    assert set(areas.index) == set(hand)
    for name, (amount, population) in hand.items():
        assert areas.loc[name, "amount"] == pytest.approx(amount)
        assert areas.loc[name, "spend_per_head"] == pytest.approx(amount / population)
    total = sum(a for a, _ in hand.values()) / sum(p for _, p in hand.values())
    assert view.result.council_spend_per_head == pytest.approx(total)
    with open_pair(demo_warehouse) as con:
        council_value = con.execute(
            "select value from marts.indicator_values where area_type = 'council' and area_code = ? "
            "and indicator_id = 'econ_income_deprived' and period_label = ?",
            [view.council_code, view.need_period]).fetchall()[0][0]
    assert view.result.council_need_value == pytest.approx(council_value)
    for row in view.result.areas.itertuples():
        high_need = is_higher_need(row.need_value, council_value, "low_is_good")
        high_spend = row.spend_per_head > total
        assert row.quadrant.startswith("Higher need" if high_need else "Lower need")
        assert row.quadrant.endswith("higher spend" if high_spend else "lower spend")
    assert {HIGH_NEED_LOW_SPEND, LOW_NEED_HIGH_SPEND} <= set(view.result.areas.quadrant)  # the fixture fills both lists

    book = openpyxl.load_workbook(io.BytesIO(spend_need_xlsx(view, "Fictional demo data")))
    sheet = book["Spend and need"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["Licence or restriction", "CPP partners only"] in [r[:2] for r in cells]
    header = next(i for i, r in enumerate(cells) if r[0] == "Rank (spend per head)")
    first = cells[header + 1]
    assert first[0] == 1 and first[4] == pytest.approx(round(areas.spend_per_head.max(), 2))
    assert any(r[0] == "Higher need, lower spend" for r in cells)


@pytest.fixture(scope="module")
def served(added: dict, demo_warehouse: Path) -> Any:
    UserStore(added["user_dir"]).add(OFFICER, PASSWORD)
    app = create_app(Settings(warehouse_path=demo_warehouse, user_dir=added["user_dir"]))
    yield app
    queries_of(app.server).reader.close()


def _change(client: Any, app: Any, trigger: str, values: dict[str, Any]) -> str:
    key = callback_key(app, ids.SPEND_STATUS)
    response = post(client, app, key, {f"{trigger}.n_clicks": 1, **values}, changed=[f"{trigger}.n_clicks"])
    assert response.status_code == 200, response.get_data(as_text=True)
    return text_of(response_props(response)[ids.SPEND_STATUS]["children"])


def test_a_viewer_reads_the_view_but_cannot_add_or_remove(served: Any, added: dict) -> None:
    client = served.server.test_client()
    key = callback_key(served, ids.SPEND_GRID, "rowData")
    response = post(client, served, key, {f"{ids.SPEND_DATASET}.value": "community-services-spend",
                                          f"{ids.SPEND_MEASURE}.value": "ey_child_poverty"})
    assert response.status_code == 200
    assert len(response_props(response)[ids.SPEND_GRID]["rowData"]) == 4
    download = post(client, served, callback_key(served, ids.SPEND_DOWNLOAD),
                    {f"{ids.SPEND_QUARANTINE}.n_clicks": 1, f"{ids.SPEND_DATASET}.value": "community-services-spend"},
                    changed=[f"{ids.SPEND_QUARANTINE}.n_clicks"])
    sent = response_props(download)[ids.SPEND_DOWNLOAD]["data"]
    assert sent["filename"] == "spend-not-used-community-services-spend.csv"
    assert "unknown locality 'Nowhere Village'" in __import__("base64").b64decode(sent["content"]).decode()
    upload = "data:text/csv;base64," + __import__("base64").b64encode(added["path"].read_bytes()).decode()
    assert "Only a signed-in officer" in _change(client, served, ids.SPEND_ADD, {
        f"{ids.SPEND_UPLOAD}.contents": upload, f"{ids.SPEND_UPLOAD}.filename": "spend.csv",
        f"{ids.SPEND_TITLE}.value": "Forged", f"{ids.SPEND_ORGANISATION}.value": "Nobody",
        f"{ids.SPEND_KIND}.value": "expenditure"})
    assert "Only a signed-in officer" in _change(client, served, ids.SPEND_REMOVE,
                                                 {f"{ids.SPEND_DATASET}.value": "community-services-spend"})
    assert [m.dataset_id for m in SpendStore(added["user_dir"]).list()] == ["community-services-spend"]


def test_an_officer_adds_and_removes_and_each_change_is_audited(served: Any, added: dict) -> None:
    client = served.server.test_client()
    key = callback_key(served, "_pages_content")
    page = post(client, served, key, {"_pages_location.pathname": "/sign-in", "_pages_location.search": ""})
    token = form_value(page.get_data(as_text=True), "csrf_token")
    client.post("/auth/sign-in", data={"username": OFFICER, "password": PASSWORD, "csrf_token": token, "next": "/spend"})
    upload = "data:text/csv;base64," + __import__("base64").b64encode(added["path"].read_bytes()).decode()
    status = _change(client, served, ids.SPEND_ADD, {
        f"{ids.SPEND_UPLOAD}.contents": upload, f"{ids.SPEND_UPLOAD}.filename": "=spend.csv",
        f"{ids.SPEND_TITLE}.value": "Grants to groups", f"{ids.SPEND_ORGANISATION}.value": "Glen Tannoch TSI",
        f"{ids.SPEND_KIND}.value": "grants"})
    assert "Added 'Grants to groups'" in status
    meta = SpendStore(added["user_dir"]).get("grants-to-groups")
    assert meta.measure_label == "Grants (£)" and meta.added_by == OFFICER and meta.source_file == "=spend.csv"
    assert "Removed 'Grants to groups'" in _change(client, served, ids.SPEND_REMOVE,
                                                   {f"{ids.SPEND_DATASET}.value": "grants-to-groups"})
    log = (added["user_dir"] / "audit.log").read_text(encoding="utf-8") if (added["user_dir"] / "audit.log").exists() \
        else "".join(p.read_text(encoding="utf-8") for p in added["user_dir"].glob("audit*"))
    assert "add spend dataset" in log and "remove spend dataset" in log


def test_board_report_and_council_profile_carry_the_spend_view(added: dict, demo_warehouse: Path) -> None:
    from pypdf import PdfReader

    from dashboard.data.commentary import CommentaryStore
    from dashboard.exports import profile_file
    from dashboard.exports.board_report import board_report_file

    store = SpendStore(added["user_dir"])
    council = store.get("community-services-spend").councils[0]
    reader = WarehouseReader(demo_warehouse)
    try:
        queries = Queries(reader)
        _, xlsx = board_report_file(queries, council, None, None, "xlsx", store=CommentaryStore(added["user_dir"]))
        _, pdf = board_report_file(queries, council, None, None, "pdf", store=CommentaryStore(added["user_dir"]))
        _, profile = profile_file(queries, "council", council, "xlsx", spend_store=store)
        _, profile_pdf = profile_file(queries, "council", council, "pdf", spend_store=store)
        other = next(c for c in queries.search_areas("council", None, limit=100).area_code if c != council)
        _, other_profile = profile_file(queries, "council", other, "xlsx", spend_store=store)
        _, other_pdf = profile_file(queries, "council", other, "pdf", spend_store=store)
        _, no_spend = board_report_file(queries, other, None, None, "xlsx", store=CommentaryStore(added["user_dir"]))
    finally:
        reader.close()
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["Spend and need"]
    assert ["Spend dataset", "Community services spend"] in [[c.value for c in r][:2] for r in sheet.iter_rows()]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Spend and need: Community services spend" in " ".join(text.split())
    assert "Higher need, lower spend" in text
    assert "Spend and need" in openpyxl.load_workbook(io.BytesIO(profile)).sheetnames
    assert "Spend and need" not in openpyxl.load_workbook(io.BytesIO(other_profile)).sheetnames
    # the council's Quick profile PDF: the board report's section (chart, lists, ranked table); none elsewhere
    words = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(profile_pdf)).pages).split())
    assert "Spend alongside need" in words and "Spend and need: Community services spend" in words
    assert "Higher need, lower spend" in words and "Rank (spend per head)" in words
    assert "Spend alongside need" not in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(other_pdf)).pages)
    assert "Spend and need" not in openpyxl.load_workbook(io.BytesIO(no_spend)).sheetnames


def test_cpop_profile_of_a_council_with_spend_adds_the_sheet(added: dict, demo_warehouse: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPOP_USER_DIR", str(added["user_dir"]))
    council = SpendStore(added["user_dir"]).get("community-services-spend").councils[0]
    out = tmp_path / "profile.xlsx"
    result = CliRunner().invoke(cli, ["profile", "--area", council, "--format", "xlsx", "--out", str(out),
                                      "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0, result.output
    assert "Spend and need" in openpyxl.load_workbook(out).sheetnames


def test_a_data_zone_file_shows_withheld_need_as_words_never_a_number(demo_warehouse: Path, tmp_path: Path) -> None:
    """At data zone level many values are suppressed: such zones are listed, not placed, and the
    withheld value appears nowhere as a number."""
    with open_pair(demo_warehouse) as con:
        council, indicator = con.execute(
            "select a.council_code, v.indicator_id from marts.indicator_values v join marts.areas a "
            "using (area_type, area_code) where v.area_type = 'datazone' and v.is_suppressed "
            "group by all order by count(*) desc limit 1").fetchall()[0]
        zones = [r[0] for r in con.execute("select area_code from marts.areas where area_type = 'datazone' "
                                           "and council_code = ? order by 1", [council]).fetchall()]
    path = tmp_path / "zones.csv"
    path.write_text("Data zone,Year,Staff hours\n" + "".join(f"{z},2023,{10 + i % 7}\n" for i, z in enumerate(zones)),
                    encoding="utf-8")
    store = SpendStore(tmp_path / "user")
    meta, _ = store.add(path, warehouse_areas(demo_warehouse), title="Outreach hours", organisation="HSCP",
                        measure_kind="staff_hours")
    assert meta.area_type == "datazone" and meta.units == "hours" and meta.rows_accepted == len(zones)
    reader = WarehouseReader(demo_warehouse)
    try:
        view = spend_view(Queries(reader), store, meta.dataset_id, indicator=indicator)
    finally:
        reader.close()
    areas = view.result.areas
    with open_pair(demo_warehouse) as con:
        withheld = {r[0] for r in con.execute(
            "select area_code from marts.indicator_values where area_type = 'datazone' and indicator_id = ? "
            "and period_label = ? and is_suppressed", [indicator, view.need_period]).fetchall()}
    shown = areas[areas.area_code.isin(withheld)]
    assert len(shown) and shown.need_value.isna().all() and (shown.quadrant == "Not placed").all()
    assert all(r["Need measure"] is None for r in ranked_rows(view) if r["Area"] in set(shown.area_name))
