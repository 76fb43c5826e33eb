"""One real user journey per page, in headless Chromium, plus accessibility and offline checks.

Every page: no console errors, every request to 127.0.0.1, and axe-core (vendored, run in
the page) finds no serious or critical violation.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from dropdowns import option as dropdown_option
from lazy_charts import draw_lazy_charts
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from dashboard import ids
from dashboard.logic.provenance import release_words
from etl.warehouse_files import open_pair

pytestmark = pytest.mark.e2e
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def _assert_clean(watch: Any) -> None:
    assert watch.console_errors == []
    assert watch.remote_requests() == []


def _axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                           ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))")
    return [f"{v['id']} ({v['impact']}, {v['nodes']} nodes)" for v in result
            if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="module")
def council(e2e_warehouse: Path) -> tuple[str, str]:
    con = open_pair(e2e_warehouse)
    try:
        return con.execute("SELECT area_code, area_name FROM marts.areas WHERE area_type = 'council' "
                           "ORDER BY datazone_count DESC LIMIT 1").fetchall()[0]
    finally:
        con.close()


@pytest.mark.parametrize("path", ["/", "/profile", "/area", "/explorer", "/tables", "/dashboard", "/areas", "/spend", "/local",
                                  "/changes", "/about"])
def test_every_page_renders_clean_and_accessible(page: Any, app_url: str, path: str) -> None:
    pg, watch = page
    pg.goto(app_url + path)
    pg.wait_for_selector("h1")
    pg.wait_for_load_state("networkidle")
    assert _axe_violations(pg) == []
    _assert_clean(watch)


def test_an_unknown_address_says_so_and_offers_the_pages(page: Any, app_url: str) -> None:
    pg, watch = page
    pg.goto(app_url + "/quick?area=S12000901")  # an old or mistyped link
    expect(pg.get_by_role("heading", name="Page not found")).to_be_visible()
    main = pg.locator("#_pages_content")
    main.get_by_role("link", name="Quick profile").click()
    expect(pg).to_have_url(re.compile(r"/profile$"))
    expect(pg.get_by_role("heading", name="Page not found")).to_have_count(0)
    assert pg.locator("nav").get_by_text("Page not found").count() == 0  # not a page of the navigation
    assert _axe_violations(pg) == []
    _assert_clean(watch)


def test_explorer_search_finds_child_poverty(page: Any, app_url: str) -> None:
    pg, watch = page
    pg.goto(app_url + "/explorer")
    pg.fill(f"#{ids.EXPLORER_SEARCH}", "low-income")
    pg.press(f"#{ids.EXPLORER_SEARCH}", "Enter")
    # the search's own results (the same response sets the address): the first, unfiltered list also holds
    # this card, and a toggle opened there closed when the filtered list replaced it on a busy machine
    expect(pg).to_have_url(re.compile(r"q=low-income"))
    card = pg.locator("[data-indicator='ey_child_poverty']")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Children in low-income families")
    expect(card.get_by_text("Disclosure control", exact=True)).to_be_hidden()  # the full record opens on demand
    card.get_by_text("Definition, source and method").click()
    expect(card.get_by_text("Disclosure control", exact=True)).to_be_visible()
    _assert_clean(watch)


def test_explorer_is_a_short_list_whose_records_open_on_demand(browser: Any, app_url: str, e2e_warehouse: Path,
                                                               ) -> None:
    """Issue 13: the unfiltered explorer was a 17,000-pixel page of expanded cards with file paths and hashes."""
    con = open_pair(e2e_warehouse)
    try:
        [(definition,)] = con.execute("SELECT definition FROM meta.indicators "
                                      "WHERE indicator_id = 'ey_child_poverty'").fetchall()
    finally:
        con.close()
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        expect.set_options(timeout=30_000)
        pg.goto(app_url + "/explorer")
        expect(pg.locator(f"#{ids.EXPLORER_RESULTS}")).to_contain_text("datasets found")
        height = pg.evaluate("() => document.documentElement.scrollHeight")
        assert height < 4000, f"the unfiltered explorer is {height}px tall at 1366px"
        card = pg.locator("[data-indicator='ey_child_poverty']")
        expect(card.get_by_role("button", name="Open chart")).to_be_visible()  # the links need no opening
        expect(card.get_by_text(definition, exact=True)).to_be_hidden()
        card.locator("summary").focus()
        pg.keyboard.press("Enter")  # a keyboard user opens it too
        expect(card.get_by_text(definition, exact=True)).to_be_visible()
        assert not re.search(r"sha256|[0-9a-f]{12}|data/raw/", pg.locator("main").inner_text())
        assert _axe_violations(pg) == []
    finally:
        context.close()


def test_officer_downloads_exactly_what_the_table_shows(page: Any, app_url: str, council: tuple[str, str],
                                                        e2e_warehouse: Path) -> None:
    pg, watch = page
    code, _ = council
    pg.goto(f"{app_url}/tables?indicators=ey_child_poverty&area_type=ward&council={code}")
    status = pg.locator(f"#{ids.TABLES_STATUS}")
    expect(status).to_contain_text("rows")
    shown = int(re.search(r"([\d,]+) rows", status.inner_text()).group(1).replace(",", ""))
    # the download sends the grid's own rows: wait until the grid has drawn them
    expect(pg.locator(f"#{ids.TABLES_GRID} .ag-center-cols-container .ag-row").first).to_be_visible()
    with pg.expect_download() as info:
        pg.click(f"#{ids.TABLES_CSV}")
    demo_line, _, text = Path(info.value.path()).read_text(encoding="utf-8").partition("\n")
    assert demo_line.startswith("# DEMO DATA")  # the demo's files say so first
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == shown
    assert list(rows[0]) == ["Indicator", "Area", "Period", "Value", "Value type", "95% CI lower", "95% CI upper",
                             "Numerator", "Denominator", "Suppressed", "Source"]
    counts = [r["Numerator"] for r in rows if r["Numerator"]]
    assert counts and all(re.fullmatch(r"\d+", n) for n in counts)  # whole counts, as on screen
    # the grid draws only the columns in view: bring the numerator column into view first
    pg.evaluate(f"dash_ag_grid.getApi('{ids.TABLES_GRID}').ensureColumnVisible('numerator')")
    on_screen = pg.locator(".ag-center-cols-container .ag-cell[col-id='numerator']").first.inner_text()
    assert re.fullmatch(r"[\d,]*", on_screen), on_screen
    con = open_pair(e2e_warehouse)
    try:
        expected = {(r[0], r[1]): r[2] for r in con.execute(
            "SELECT a.area_name, v.period_label, v.value FROM marts.indicator_values AS v "
            "JOIN marts.areas AS a USING (area_type, area_code) WHERE v.indicator_id = 'ey_child_poverty' "
            "AND v.area_type = 'ward' AND a.council_code = ?", [code]).fetchall()}
    finally:
        con.close()
    assert len(expected) == shown
    for row in rows:
        value = expected[(row["Area"], row["Period"])]
        if value is None:
            assert row["Value"] == "" and row["Suppressed"] == "True"
        else:
            assert float(row["Value"]) == pytest.approx(value)
    _assert_clean(watch)


def test_board_dashboard_matrix_keeps_its_indicator_column_in_view(page: Any, app_url: str, council: tuple[str, str],
                                                                   e2e_warehouse: Path) -> None:
    """The matrix scrolls sideways with its indicator names in view; its first column is the council's own,
    each targeted cell saying the target's status (from marts.targets) beside the trend."""
    pg, watch = page
    con = open_pair(e2e_warehouse)
    try:
        targets = con.execute("SELECT i.short_title, t.status FROM marts.targets AS t JOIN meta.indicators AS i "
                              "USING (indicator_id) WHERE t.area_type = 'council' AND t.area_code = ?",
                              [council[0]]).fetchall()
    finally:
        con.close()
    pg.goto(f"{app_url}/dashboard?council={council[0]}&area_type=iz")
    region = pg.locator(f"#{ids.RAG_MATRIX}")
    expect(region.locator("table th[scope='row']").first).to_be_visible()
    expect(region.locator("thead th").nth(1)).to_have_text(f"{council[1]} (whole council)")
    for title, status in targets:
        row = region.locator("tbody tr").filter(has=pg.locator("th[scope='row']", has_text=title))
        expect(row.locator("td").first).to_contain_text(f"target {status}")
    # a matrix wider than the page, once scrolled to (a large table is drawn only near the window:
    # content-visibility in assets/app.css)
    region.scroll_into_view_if_needed()
    pg.wait_for_function("el => el.scrollWidth > el.clientWidth + 100", arg=region.element_handle())
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    gap = region.evaluate("""el => Math.abs(el.querySelector("th[scope='row']").getBoundingClientRect().left
                                            - el.getBoundingClientRect().left)""")
    assert gap < 2  # the row headers (indicator names) stay at the left edge
    _assert_clean(watch)


def _first_needing_attention(answer: dict) -> str:
    """The indicator of the first row of the exception report's "needs attention" table in a Dash answer."""
    def tables(node: Any) -> Any:
        if isinstance(node, dict):
            if "cpop-exceptions" in str(node.get("props", {}).get("className", "")):
                yield node
            for value in node.values():
                yield from tables(value)
        elif isinstance(node, list):
            for value in node:
                yield from tables(value)

    def rows(node: Any) -> Any:
        if isinstance(node, dict):
            if "data-indicator" in node.get("props", {}):
                yield node["props"]["data-indicator"]
            for value in node.values():
                yield from rows(value)
        elif isinstance(node, list):
            for value in node:
                yield from rows(value)

    found = [indicator for table in tables(answer) for indicator in rows(table)]
    assert found, "the locality's exception report has nothing needing attention"
    return str(found[0])


def test_board_dashboard_commentary_persists(page: Any, app_url: str, council: tuple[str, str], sign_in: Any,
                                            e2e_warehouse: Path) -> None:
    """A locality's officer opens its dashboard, saves commentary, sees it in the exception report at once,
    downloads the board report with it, and finds it again after a reload; the council's report is separate."""
    pg, watch = page
    code, name = council
    con = open_pair(e2e_warehouse)
    try:
        locality_code, locality_name = con.execute(
            "SELECT area_code, area_name FROM marts.areas WHERE area_type = 'locality' AND council_code = ? "
            "ORDER BY area_name LIMIT 1", [code]).fetchall()[0]
        titles = dict(con.execute("SELECT indicator_id, short_title FROM meta.indicators").fetchall())
    finally:
        con.close()
    sign_in(pg, app_url)  # only officers write commentary
    pg.goto(f"{app_url}/dashboard?council={code}&area_type=ward")
    expect(pg.locator(f"#{ids.RAG_MATRIX} table")).to_be_visible()
    expect(pg.locator(f"#{ids.RAG_EXCEPTIONS}")).to_contain_text("Child poverty")

    pg.click(f"#{ids.RAG_SCOPE}")
    # the locality's own exception report, not the council's still on screen until it arrives
    with pg.expect_response(lambda r: "_dash-update-component" in r.url
                            and f"{ids.RAG_EXCEPTIONS}.children" in (r.request.post_data or "")
                            and locality_code in (r.request.post_data or "")) as answer:
        dropdown_option(pg, f"Locality: {locality_name}", exact=True).click()
    expect(pg.locator(f"#{ids.RAG_HEADING}")).to_have_text(
        f"{locality_name} (locality in {name}): intermediate zones")
    expect(pg).to_have_url(re.compile(rf"council={code}&area={locality_code}&area_type=intermediate_zone"))
    expect(pg.locator(f"#{ids.RAG_MATRIX} table")).to_be_visible()
    indicator = _first_needing_attention(answer.value.json())
    expect(pg.locator(f"#{ids.RAG_EXCEPTIONS} .cpop-exceptions tr[data-indicator='{indicator}']")).to_be_visible()
    note = f"Income maximisation pilot in {locality_name} from April."
    pg.click(f"#{ids.RAG_COMMENT_INDICATOR}")
    # the indicator's saved note (none yet) is loaded into the box: type only once that has landed
    with pg.expect_response(lambda r: "_dash-update-component" in r.url
                            and f"{ids.RAG_COMMENT_TEXT}.value" in (r.request.post_data or "")):
        dropdown_option(pg, titles[indicator], exact=True).click()
    pg.fill(f"#{ids.RAG_COMMENT_TEXT}", note)
    pg.click(f"#{ids.RAG_COMMENT_SAVE}")
    expect(pg.locator(f"#{ids.RAG_COMMENT_STATUS}")).to_have_text("Saved.")
    # at once, without a reload
    expect(pg.locator(f"#{ids.RAG_EXCEPTIONS} tr[data-indicator='{indicator}']")).to_contain_text(note)

    with pg.expect_download() as info:
        pg.click(f"#{ids.RAG_REPORT_PDF}")
    assert info.value.suggested_filename == (
        f"cpop-board-report-locality-{locality_code.lower()}-intermediate_zone.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(info.value.path()).pages).split())
    assert f"Board report: {locality_name}" in text and note in text and f"Locality in {name}" in text
    expect(pg.locator(f"#{ids.RAG_REPORT_STATUS}")).to_contain_text("ready")

    pg.reload()
    expect(pg.locator(f"#{ids.RAG_EXCEPTIONS} tr[data-indicator='{indicator}']")).to_contain_text(note)
    pg.click(f"#{ids.RAG_SCOPE}")
    dropdown_option(pg, f"Whole council: {name}", exact=True).click()
    expect(pg.locator(f"#{ids.RAG_HEADING}")).to_have_text(f"{name}: intermediate zones")
    expect(pg.locator(f"#{ids.RAG_EXCEPTIONS}")).not_to_contain_text(note)
    _assert_clean(watch)


def test_explorer_finds_datasets_and_opens_a_map_with_data(page: Any, app_url: str, e2e_warehouse: Path) -> None:
    pg, watch = page
    con = open_pair(e2e_warehouse)
    try:
        first_council = con.execute(
            "SELECT a.area_code FROM marts.areas AS a JOIN marts.indicator_values AS v USING (area_type, area_code) "
            "WHERE a.area_type = 'council' AND v.indicator_id = 'ey_child_poverty' AND v.value IS NOT NULL "
            "ORDER BY a.area_code LIMIT 1").fetchall()[0][0]
        [(release,)] = con.execute("SELECT max(release) FROM meta.sources WHERE source = 'statistics_gov_scot' "
                                   "AND file_name = 'child-poverty.csv'").fetchall()
    finally:
        con.close()
    pg.goto(app_url + "/explorer?q=poverty")
    dataset = pg.locator("[data-dataset='statistics_gov_scot/child-poverty']")
    expect(dataset).to_contain_text(release_words(release))
    dataset.locator("summary").click()
    expect(dataset.get_by_text("Children in low-income families")).to_be_visible()
    expect(dataset).not_to_contain_text("sha256")
    card = pg.locator("[data-indicator='ey_child_poverty']")
    card.get_by_text("Definition, source and method").click()
    expect(card.get_by_text(re.compile("Community council areas"))).to_be_visible()  # meta.area_types' plural label, not the raw key
    card.locator("a", has_text="Open map").click()
    expect(pg).to_have_url(re.compile(rf"/area\?area_type=council&area={first_council}&.*#map$"))
    expect(pg.locator("[data-section='map'] .js-plotly-plot")).to_be_visible()
    expect(pg.locator("[data-section='map']")).to_be_in_viewport()
    # the areas are drawn (an SVG map draws nothing from GeoJSON's anticlockwise rings)
    expect(pg.locator("[data-section='map'] path.choroplethlocation").first).to_be_visible()
    _assert_clean(watch)


def test_quick_profile_exports_a_pdf(page: Any, app_url: str, council: tuple[str, str]) -> None:
    pg, watch = page
    code, name = council
    pg.goto(f"{app_url}/profile?area_type=council&area={code}")
    expect(pg.locator(f"#{ids.AREA_HEADING}")).to_contain_text(name)
    with pg.expect_download() as info:
        pg.click(f"#{ids.EXPORT_PDF}")
    assert Path(info.value.path()).read_bytes()[:5] == b"%PDF-"
    assert info.value.suggested_filename.endswith(".pdf")
    _assert_clean(watch)


def test_about_shows_the_build(page: Any, app_url: str, e2e_warehouse: Path) -> None:
    pg, watch = page
    con = open_pair(e2e_warehouse)
    try:
        build_id = con.execute("SELECT build_id FROM meta.build_info").fetchall()[0][0]
    finally:
        con.close()
    pg.goto(app_url + "/about")
    expect(pg.locator("body")).to_contain_text(build_id)
    expect(pg.locator("body")).to_contain_text("Disclosure control")
    _assert_clean(watch)


def test_area_profile_draws_the_charts_below_the_trend_when_scrolled_to(page: Any, app_url: str,
                                                                      council: tuple[str, str]) -> None:
    """Issue 13, finding 9: the page stops changing once the trend is drawn; the map is drawn when
    the reader scrolls to it, and again for the next indicator; its data table needs no drawing."""
    pg, watch = page
    code, _ = council
    pg.goto(f"{app_url}/area?area_type=council&area={code}&theme=early_years&indicator=ey_child_poverty")
    pg.wait_for_selector(f"#{ids.PROFILE_MAIN} [data-section='trend'] .main-svg")
    pg.wait_for_function("() => document.querySelector('._dash-loading-callback, .dash-graph--pending') === null")
    slot = pg.locator("[data-section='map'] [data-lazy-chart]")
    expect(slot).to_have_count(1)
    assert not slot.evaluate("(s) => { const r = s.getBoundingClientRect(); return r.top < innerHeight + 300; }")
    expect(slot.locator(".js-plotly-plot")).to_have_count(0)
    expect(pg.locator("[data-section='map'] details[data-table]")).to_have_count(1)
    height = slot.evaluate("(s) => s.getBoundingClientRect().height")
    slot.scroll_into_view_if_needed()
    expect(slot.locator("path.choroplethlocation").first).to_be_visible()
    assert slot.evaluate("(s) => s.getBoundingClientRect().height") == height  # nothing below it moved
    # another indicator chosen on the page (as its picker sets it): the new answer's map is drawn,
    # not the old one kept
    shown_is_sent = """(s) => { const gd = s.querySelector('.js-plotly-plot');
        const sent = JSON.parse(s.getAttribute('data-lazy-chart')).figure.data.map(t => t.z);
        return !!gd && JSON.stringify(gd.data.map(t => t.z)) === JSON.stringify(sent); }"""
    before = slot.get_attribute("data-lazy-chart")
    pg.evaluate(f"() => window.dash_clientside.set_props('{ids.PROFILE_INDICATOR}', {{value: 'ey_healthy_birthweight'}})")
    pg.wait_for_function("(old) => { const s = document.querySelector(\"[data-section='map'] [data-lazy-chart]\");"
                         " return s && s.getAttribute('data-lazy-chart') !== old; }", arg=before)
    slot.scroll_into_view_if_needed()
    pg.wait_for_function(shown_is_sent, arg=slot.element_handle())
    _assert_clean(watch)


def test_area_profile_states_its_verdicts(page: Any, app_url: str, council: tuple[str, str]) -> None:
    """A board member opens the early-years profile of their council and reads the verdicts."""
    pg, watch = page
    code, name = council
    pg.goto(f"{app_url}/area?area_type=council&area={code}&theme=early_years&indicator=ey_child_poverty")
    body = pg.locator(f"#{ids.PROFILE_BODY}")
    expect(body).to_contain_text(f"Children in low-income families in {name}")
    expect(body).to_contain_text("ranks")
    expect(body).to_contain_text("The gap between the most and least deprived fifth")
    charts = pg.locator(f"#{ids.PROFILE_BODY} .js-plotly-plot")
    assert draw_lazy_charts(pg) == 5  # every chart below the trend draws when scrolled to
    expect(charts).to_have_count(6)  # the further inequality measures are drawn when opened
    expect(pg.locator(f"#{ids.PROFILE_MORE_INEQUALITY_BODY}")).to_be_empty()
    pg.locator(f"#{ids.PROFILE_MORE_INEQUALITY}").focus()
    pg.keyboard.press("Enter")  # a keyboard user opens them too
    expect(charts).to_have_count(9)
    for section in ("trend", "rank", "map", "spine", "inequality", "extremes", "sii", "duncan", "bestworst",
                    "communities"):
        expect(pg.locator(f"[data-section='{section}'] .cpop-caption")).not_to_be_empty()
    assert _axe_violations(pg) == []
    _assert_clean(watch)


#: a point inside one zone's outline as drawn (page coordinates), found by the browser itself:
#: the first point of a grid over the outline's box that lies in its fill
ZONE_POINT_SCRIPT = """([selector, code]) => {
  const gd = document.querySelector(selector);
  const path = Array.from(gd.querySelectorAll('path.choroplethlocation')).find(p => p.__data__ && p.__data__.loc === code);
  if (!path) return null;
  const box = path.getBBox(), screen = path.getScreenCTM();
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
    const point = new DOMPoint(box.x + box.width * i / 20, box.y + box.height * j / 20);
    if (path.isPointInFill(point)) { const p = point.matrixTransform(screen); return [p.x, p.y]; }
  }
  return null;
}"""


def _map_pixel(pg: Page, code: str) -> tuple[float, float]:
    """Page coordinates of a point inside zone ``code`` on the My areas map (an SVG map)."""
    found = pg.evaluate(ZONE_POINT_SCRIPT, [f"#{ids.MY_MAP} .js-plotly-plot", code])
    assert found, f"zone {code} is not drawn on the map"
    return found[0], found[1]


def _map_shows(pg: Page, count: int) -> None:
    """Wait until the map draws ``count`` zones (it redraws after a mode or council change)."""
    pg.wait_for_function("([sel, n]) => { const gd = document.querySelector(sel);"
                         " return gd && gd.data && gd.data[0].locations.length === n; }",
                         arg=[f"#{ids.MY_MAP} .js-plotly-plot", count])


def test_user_made_area_saved_and_reopened_from_its_url(page: Any, app_url: str, e2e_warehouse: Path,
                                                       sign_in: Any) -> None:
    """An officer builds an area (paste two IZ codes and two postcodes, click one more data zone on
    the map), names it, saves it, and reloads the page from its URL: the same profile appears."""
    from shapely.geometry import shape

    pg, watch = page
    con = open_pair(e2e_warehouse)
    try:
        izs = [r[0] for r in con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'intermediate_zone' "
                                         "ORDER BY area_code LIMIT 2").fetchall()]
        postcodes, postcode_zones = zip(*con.execute(
            "SELECT postcode, datazone_code FROM core.dim_postcode WHERE datazone_code NOT IN "
            "(SELECT datazone_code FROM core.bridge_datazone_area WHERE area_code IN (SELECT unnest(?))) "
            "ORDER BY datazone_code, postcode LIMIT 2", [izs]).fetchall(), strict=True)
        iz_zones = {r[0] for r in con.execute("SELECT datazone_code FROM core.bridge_datazone_area "
                                              "WHERE area_code IN (SELECT unnest(?))", [izs]).fetchall()}
        # the map opens on the first council by name; click its largest data zone not yet chosen
        drawn = con.execute(
            "SELECT b.area_code, b.geojson FROM marts.area_boundaries b JOIN marts.areas a USING (area_type, area_code) "
            "WHERE b.area_type = 'datazone' AND a.council_code = (SELECT area_code FROM marts.areas WHERE "
            "area_type = 'council' ORDER BY area_name, area_code LIMIT 1)").fetchall()
    finally:
        con.close()
    chosen = iz_zones | set(postcode_zones)
    expected_zones = len(chosen)
    target = max(((code, shape(json.loads(g))) for code, g in drawn if code not in chosen), key=lambda c: c[1].area)[0]
    sign_in(pg, app_url, "/areas")  # only officers save areas
    pg.wait_for_selector(f"#{ids.MY_MAP} path.choroplethlocation")
    _map_shows(pg, len(drawn))
    # postcodes as officers paste them from a client list: any case, with or without the space
    pg.fill(f"#{ids.MY_CODES}", f"{izs[0]}, {izs[1]}\n{postcodes[0].lower()}\n{postcodes[1].replace(' ', '')}")
    pg.press(f"#{ids.MY_CODES}", "Tab")
    expect(pg.locator(f"#{ids.MY_STATUS}")).to_contain_text(
        f"Read 2 area codes and 2 postcodes: {expected_zones} data zones.")
    summary = pg.locator(f"#{ids.MY_SUMMARY}")
    expect(summary).to_contain_text(f"{expected_zones} data zones selected, population")
    profile = pg.locator(f"#{ids.MY_PROFILE}")
    expect(profile).to_contain_text(f"{expected_zones} data zones, population")  # the pasted codes' profile
    pg.mouse.click(*_map_pixel(pg, target))
    expect(summary).to_contain_text(f"{expected_zones + 1} data zones selected, population")  # exactly one more
    expect(profile).to_contain_text(f"{expected_zones + 1} data zones, population")
    pg.fill(f"#{ids.MY_NAME}", "Riverside regeneration zone")
    pg.click(f"#{ids.MY_SAVE}")
    expect(pg.locator(f"#{ids.MY_STATUS}")).to_contain_text("Saved 'Riverside regeneration zone'")
    expect(pg).to_have_url(re.compile(r"/areas\?id=\w+"))
    expect(profile).to_contain_text("Child poverty")
    saved_profile = profile.text_content()
    sent: list[str] = []
    pg.on("request", lambda r: sent.append(r.post_data or "") if "_dash-update-component" in r.url else None)
    pg.goto(pg.url)
    expect(pg.locator(f"#{ids.MY_NAME}")).to_have_value("Riverside regeneration zone")
    expect(summary).to_contain_text(f"{expected_zones + 1} data zones selected")
    expect(profile).to_contain_text("Child poverty")
    expect(profile).to_have_text(saved_profile)  # waits out any re-render of the profile
    area_id = pg.url.rpartition("id=")[2]
    # the saved list comes with the page; the save callback is not run as it loads, so the profile
    # (which reads the save callback's output, the address) is asked for with the first callbacks
    expect(pg.locator(f"#{ids.MY_LIST}").get_by_role("link", name=re.compile("Riverside regeneration zone"))).to_be_visible()
    assert sent and not [body for body in sent if f"{ids.MY_LIST}.children" in body]
    # a board member finds the saved area from Home's type-ahead and reads its six tiles
    pg.goto(app_url + "/")
    pg.click(f"#{ids.HOME_TYPE}")
    dropdown_option(pg, "My saved areas").click()
    pg.click(f"#{ids.HOME_AREA}")
    pg.get_by_role("searchbox").press_sequentially("riverside")
    dropdown_option(pg, re.compile(r"Riverside regeneration zone \(saved area")).click()
    tiles = pg.locator(f"#{ids.HOME_TILES}")
    expect(tiles.get_by_role("heading", name="Riverside regeneration zone: is it improving?")).to_be_visible()
    expect(tiles.locator("[data-priority]")).to_have_count(6)
    expect(tiles.locator("[data-priority='early_years']")).to_contain_text(re.compile(r"\d+ of \d+ measures? improving"))
    expect(pg).to_have_url(re.compile(rf"area_type=user&area={area_id}"))
    tiles.locator("[data-priority='early_years']").get_by_role("link").click()
    expect(pg).to_have_url(re.compile(rf"/areas\?id={area_id}$"))
    expect(profile).to_have_text(saved_profile)
    _assert_clean(watch)


def test_user_made_area_lassoed_from_intermediate_zones(page: Any, app_url: str, e2e_warehouse: Path,
                                                       sign_in: Any) -> None:
    """An officer switches the map to intermediate zones, draws a lasso with the mouse, names and
    saves the area, and reopens it from its URL: whole IZs were added and the profile is the same."""
    from dashboard.data.user_store import UserAreaStore

    pg, watch = page
    con = open_pair(e2e_warehouse)
    try:
        council = con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'council' "
                              "ORDER BY area_name, area_code LIMIT 1").fetchall()[0][0]
        members: dict[str, set[str]] = {}
        for iz, dz in con.execute(
                "SELECT i.area_code, i.datazone_code FROM core.bridge_datazone_area i JOIN core.bridge_datazone_area c "
                "ON c.datazone_code = i.datazone_code AND c.area_type = 'council' AND c.area_code = ? "
                "WHERE i.area_type = 'intermediate_zone'", [council]).fetchall():
            members.setdefault(iz, set()).add(dz)
    finally:
        con.close()
    sign_in(pg, app_url, "/areas")  # only officers save areas
    pg.wait_for_selector(f"#{ids.MY_MAP} path.choroplethlocation")
    # the tools the page's help names: + and − zoom, the pan tool, the lasso (box select too)
    titles = pg.locator(f"#{ids.MY_MAP} .modebar-btn").evaluate_all("els => els.map(e => e.dataset.title)")
    assert {"Zoom in", "Zoom out", "Pan", "Lasso Select"} <= set(titles), titles
    summary = pg.locator(f"#{ids.MY_SUMMARY}")
    expect(summary).to_have_text("No data zones selected.")
    pg.get_by_label("Intermediate zones").check()
    _map_shows(pg, len(members))
    # a lasso drawn with the mouse: an octagon round the middle of the map (its SVG frame)
    box = pg.locator(f"#{ids.MY_MAP} .main-svg").first.bounding_box()
    cx, cy, r = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, box["height"] / 4
    pg.mouse.move(cx + r, cy)
    pg.mouse.down()
    for step in range(1, 9):
        pg.mouse.move(cx + r * math.cos(step * math.pi / 4), cy + r * math.sin(step * math.pi / 4))
    pg.mouse.up()
    expect(summary).to_contain_text(re.compile(r"^[\d,]+ data zones selected, population"))
    pg.fill(f"#{ids.MY_NAME}", "Harbour intermediate zones")
    pg.click(f"#{ids.MY_SAVE}")
    expect(pg.locator(f"#{ids.MY_STATUS}")).to_contain_text("Saved 'Harbour intermediate zones'")
    expect(pg).to_have_url(re.compile(r"/areas\?id=\w+"))
    profile = pg.locator(f"#{ids.MY_PROFILE}")
    expect(profile).to_contain_text("Child poverty")
    saved_profile, saved_summary = profile.text_content(), summary.text_content()
    area = UserAreaStore(e2e_warehouse.parent / "e2e-user").get(pg.url.rsplit("id=", 1)[1])
    saved = set(area.datazones)
    whole = [iz for iz, dzs in members.items() if dzs <= saved]
    assert whole and saved == set().union(*(members[iz] for iz in whole))  # whole IZs only
    assert saved_summary.startswith(f"{len(saved)} data zones selected")
    pg.goto(pg.url)
    expect(pg.locator(f"#{ids.MY_NAME}")).to_have_value("Harbour intermediate zones")
    expect(summary).to_have_text(saved_summary)
    expect(profile).to_contain_text("Child poverty")
    expect(profile).to_have_text(saved_profile)
    _assert_clean(watch)


def test_my_areas_map_zooms_with_the_wheel_while_the_lasso_is_on(page: Any, app_url: str) -> None:
    """The SVG map opens with the lasso on, and plotly's SVG maps zoom with the wheel only in pan
    mode: ``assets/map_wheel_zoom.js`` makes a wheel turn press the map's own zoom buttons. The zoom
    then survives the redraw a click brings (``assets/map_keep_view.js``)."""
    pg, watch = page
    pg.goto(app_url + "/areas")
    pg.wait_for_selector(f"#{ids.MY_MAP} path.choroplethlocation")
    scale = ("() => document.querySelector('#" + ids.MY_MAP + " .js-plotly-plot')"
             "._fullLayout.geo._subplot.projection.scale()")
    start = pg.evaluate(scale)
    assert pg.evaluate(f"() => document.querySelector('#{ids.MY_MAP} .js-plotly-plot')._fullLayout.dragmode") == "lasso"
    box = pg.locator(f"#{ids.MY_MAP} .main-svg").first.bounding_box()
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pg.mouse.wheel(0, -200)
    pg.wait_for_function(f"() => ({scale[6:]}) > {start} * 1.5")  # plotly's zoom step is 2
    zoomed = pg.evaluate(scale)
    # a click re-shades the zones (the server sends the map again): the zoom stays (assets/map_keep_view.js)
    pg.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(pg.locator(f"#{ids.MY_SUMMARY}")).to_contain_text("1 data zone selected")
    pg.wait_for_function(f"() => Math.abs(({scale[6:]}) - {zoomed}) < {zoomed} * 0.01")
    _assert_clean(watch)


def test_trend_chart_downloads_as_svg_and_png(page: Any, app_url: str, council: tuple[str, str]) -> None:
    pg, watch = page
    code, _ = council
    pg.goto(f"{app_url}/profile?area_type=council&area={code}&indicator=ey_child_poverty")
    pg.wait_for_selector(f"#{ids.TREND} .js-plotly-plot")
    with pg.expect_download() as info:
        pg.click(f"#{ids.CHART_SVG}")
    assert b"<svg" in Path(info.value.path()).read_bytes()[:2000]
    with pg.expect_download() as info:
        pg.click(f"#{ids.CHART_PNG}")
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    _assert_clean(watch)


def test_board_member_sees_priority_tiles(page: Any, app_url: str, council: tuple[str, str]) -> None:
    """At a glance: one sentence per national priority saying how many measures improve."""
    pg, watch = page
    code, _ = council
    pg.goto(f"{app_url}/?area_type=council&area={code}")
    tiles = pg.locator(".cpop-tiles .cpop-tile")
    expect(tiles).to_have_count(6)
    expect(tiles.first).to_contain_text("measures improving")
    # each measure: a headline figure, a sparkline with alt text, its trend in words; one gap line
    first = tiles.first
    expect(first.locator(".cpop-tile-measure").first.locator(".cpop-tile-value strong")).to_have_text(
        re.compile(r"\d|suppressed"))
    alt = first.locator(".cpop-tile-spark").first.get_attribute("alt") or ""
    assert alt and "sparkline" not in alt.lower() or alt.count(" ") > 2, alt
    expect(first.locator(".cpop-tile-trend").first).to_contain_text(
        re.compile("improving|worsening|no significant change|cannot be calculated"))
    expect(first.locator(".cpop-tile-gap")).to_contain_text(re.compile("deprived|deprivation"))
    expect(pg.locator(".cpop-legend")).to_contain_text("▲ improving")
    _assert_clean(watch)


def test_any_chart_downloads_as_svg(page: Any, app_url: str, council: tuple[str, str]) -> None:
    pg, watch = page
    code, _ = council
    pg.goto(f"{app_url}/area?area_type=council&area={code}&theme=safer_communities&indicator=ss_crime_rate")
    buttons = pg.locator(".cpop-svg-download")
    expect(buttons).to_have_count(1)  # the trend; the charts below it draw when scrolled to
    draw_lazy_charts(pg)
    expect(buttons).to_have_count(6)
    pg.locator(f"#{ids.PROFILE_MORE_INEQUALITY}").click()  # the further inequality measures, on demand
    expect(buttons).to_have_count(9)
    with pg.expect_download() as info:
        buttons.nth(1).click()
    content = Path(info.value.path()).read_bytes()
    assert b"<svg" in content[:3000]
    assert b"FICTIONAL DEMO DATA" in content  # the demo's images say so in their title
    pg.wait_for_load_state("networkidle")
    # every chart has one PNG and one SVG button
    charts = pg.locator(".js-plotly-plot").count()
    expect(pg.locator(".cpop-png-download")).to_have_count(charts)
    expect(buttons).to_have_count(charts)
    _assert_clean(watch)


def test_area_profile_adds_a_comparator_and_explains_a_term_from_the_keyboard(
        page: Any, app_url: str, e2e_warehouse: Path) -> None:
    """An officer adds a second council to the trend chart (the link keeps it), draws the target
    and trajectory, and opens "statistically significant" from the keyboard; axe stays clean."""
    pg, watch = page
    con = open_pair(e2e_warehouse)
    try:
        (code, other, other_name), = con.execute(
            "SELECT t.area_code, o.area_code, o.area_name FROM marts.targets AS t JOIN marts.areas AS o "
            "ON o.area_type = 'council' AND o.area_code <> t.area_code WHERE t.area_type = 'council' "
            "AND t.indicator_id = 'hi_early_mortality' ORDER BY 1, 2 LIMIT 1").fetchall()
    finally:
        con.close()
    pg.goto(f"{app_url}/area?area_type=council&area={code}&theme=health&indicator=hi_early_mortality"
            "&compare=scotland:S92000003,ward:S13999999")
    trend = pg.locator("[data-section='trend']")
    expect(pg.locator(f"#{ids.PROFILE_COMPARATOR_NOTICE}")).to_contain_text("ward:S13999999")
    expect(trend.locator(".legendtext", has_text="Target for 2030")).to_have_count(1)
    expect(trend.locator(".legendtext", has_text="Trajectory to target")).to_have_count(1)
    expect(trend.locator("[data-target-status]")).to_contain_text("if the recent trend continues")

    pg.click(f"#{ids.PROFILE_COMPARATORS}")
    pg.get_by_role("searchbox").press_sequentially(other_name)
    dropdown_option(pg, f"{other_name} (Council area (CPP))", exact=True).click()
    pg.keyboard.press("Escape")
    expect(trend.locator(".legendtext", has_text=other_name)).to_have_count(1)
    expect(pg).to_have_url(re.compile(rf"compare=scotland%3AS92000003,council%3A{other}$"))

    term = pg.locator("[data-section='trend'] .cpop-caption button[data-glossary='significant']")
    term.focus()
    pg.keyboard.press("Enter")
    expect(pg.locator(".popover")).to_contain_text("too large to be explained by chance")
    assert _axe_violations(pg) == []
    _assert_clean(watch)
