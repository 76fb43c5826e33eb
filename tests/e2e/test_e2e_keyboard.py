"""Keyboard-only journeys and screen-reader structure (issue 18, WCAG 2.2 AA), in real Chromium.

Every journey uses only Tab, Shift+Tab, arrows, Enter, Space, Escape and typing (no mouse), asserts
where focus goes, that every stop on the way has a visible focus outline (2 px, 3:1 against its
surroundings) and that its target is reached within the stated number of key presses; axe-core
checks the page in its main states, drop-down lists open included.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import dash
import duckdb
import pytest
from dropdowns import OPTION
from dropdowns import option as dropdown_option
from keyboard_driver import (
    Keys,
    assert_focus_visible,
    axe_violations,
    background,
    by_id,
    by_name,
    contrast_ratio,
    focus,
    wait_focus_within,
    wait_settled,
)
from playwright.sync_api import Page, expect

from dashboard import ids

pytestmark = pytest.mark.e2e

PAGES = ["/", "/profile", "/area", "/explorer", "/dashboard", "/tables", "/areas", "/about", "/accessibility"]
# the most key presses each journey may take (the numbers a user lives with)
FIND_AREA_BUDGET = 45
EXPORT_BUDGET = 20
TABLES_TO_DOWNLOAD_BUDGET = 31  # from the skip link to "Download CSV" (the status line's glossary term is one);
# the grid used to be ~500 Tab stops
USER_AREA_BUDGET = 45


@pytest.fixture(scope="module")
def places(e2e_warehouse: Path) -> dict[str, str]:
    """The first council by name (as the pickers list it), and an intermediate zone inside it."""
    con = duckdb.connect(str(e2e_warehouse), read_only=True)
    try:
        code, name = con.execute("SELECT area_code, area_name FROM marts.areas WHERE area_type = 'council' "
                                 "ORDER BY area_name, area_code LIMIT 1").fetchone()
        iz_code, iz_name = con.execute("SELECT area_code, area_name FROM marts.areas WHERE area_type = "
                                       "'intermediate_zone' AND council_code = ? ORDER BY area_name LIMIT 1",
                                       [code]).fetchone()
    finally:
        con.close()
    return {"council": code, "council_name": name, "iz": iz_code, "iz_name": iz_name}


# a table sent as JSON is shown as built from it: the same column headings, row headings and badges
TABLE_BUILT_FROM_ITS_JSON = """(selector) => {
  const div = document.querySelector(selector);
  if (!div || !div.querySelector('table')) return false;
  const spec = JSON.parse(div.getAttribute('data-html-table'));
  const texts = (cells) => JSON.stringify([...cells].map((c) => c.textContent));
  const badges = spec.rows.flatMap((r) => r[1].filter(Array.isArray).map((c) => c[0]));
  return texts(div.querySelectorAll('thead th')) === JSON.stringify(spec.columns)
    && texts(div.querySelectorAll('tbody th')) === JSON.stringify(spec.rows.map((r) => r[0]))
    && texts(div.querySelectorAll('tbody .cpop-badge')) === JSON.stringify(badges);
}"""


def _open_page(pg: Page, url: str) -> Keys:
    pg.goto(url)
    wait_settled(pg)
    return Keys(pg)


def _assert_accessible_and_clean(pg: Page, watch: Any) -> None:
    assert axe_violations(pg) == []
    assert watch.console_errors == []


ACTIVE_OPTION = "(document.activeElement.closest('.dash-dropdown-option') || {}).innerText || ''"


def _pick_option(keys: Keys, label: str, *, limit: int = 12) -> None:
    """In an open drop-down list, ArrowDown to the option labelled ``label`` (exactly).

    After each press it waits for focus to leave the option it was on: the list moves focus a frame
    after the key, and reading too early saw the old option, so the next press went two options on
    and skipped the wanted one (a clean clone's CI run used 54 presses against a budget of 45).
    """
    dropdown_option(keys.page, label).wait_for()
    was = ""
    for _ in range(limit):
        keys.press("ArrowDown")
        keys.page.wait_for_function(f"(was) => {{ const now = {ACTIVE_OPTION}; return now !== '' && now !== was; }}",
                                    arg=was)
        was = keys.page.evaluate(ACTIVE_OPTION)
        if was.strip() == label:
            return
    raise AssertionError(f"option {label!r} not reached with the arrow keys")


def test_find_an_area_read_its_tiles_and_open_its_profile(page: Any, app_url: str, places: dict[str, str]) -> None:
    pg, watch = page
    keys = _open_page(pg, app_url + "/")
    keys.skip_to_main()
    keys.until(by_id(ids.HOME_AREA), limit=3)  # area type, then area
    keys.press("Enter")  # opens the list with its search box
    expect(pg.get_by_role("searchbox")).to_be_focused()
    keys.type(places["council_name"][:4].lower())
    _pick_option(keys, f"{places['council_name']} ({places['council']})")
    keys.press("Enter")
    expect(pg).to_have_url(re.compile(f"area={places['council']}"))
    assert focus(pg).id == ids.HOME_AREA  # focus returns to the picker
    # past "Clear area", the Quick profile link and the glossary buttons of the key and the first tile's gap line
    link = keys.until(by_name("Open the "), limit=10)
    keys.press("Enter")
    # focus moves to the new page's h1, so a screen reader announces the page (finding 5)
    pg.wait_for_function("document.activeElement.tagName === 'H1'")
    expect(pg).to_have_url(re.compile(r"/area\?"))
    assert pg.evaluate("document.activeElement.innerText") == "Area profiles", link
    # a reader waits for the profile to appear before tabbing into it: on a busy machine its charts
    # came after 25 Tabs had run past the empty page to its end (a fresh clone's CI run)
    wait_settled(pg)
    assert pg.evaluate("document.activeElement.innerText") == "Area profiles"  # drawing it moved no focus
    first = keys.press("Tab")
    assert first is not None and first.id == ids.PROFILE_THEME  # the next Tab is the page's first control
    keys.until(by_name("Show the data as a table"), limit=25)  # the trend chart's data (finding 6)
    keys.press("Enter")
    table = pg.locator(".cpop-chart-data[open] table").first
    expect(table).to_be_visible()
    expect(table.locator("th").first).to_have_text("Series")
    assert keys.count <= FIND_AREA_BUDGET, keys.count
    _assert_accessible_and_clean(pg, watch)


def test_quick_profile_trend_has_a_summary_and_table_and_the_profile_exports(
        page: Any, app_url: str, places: dict[str, str]) -> None:
    pg, watch = page
    keys = _open_page(pg, f"{app_url}/profile?area_type=council&area={places['council']}")
    chart = pg.locator(f"#{ids.TREND} .cpop-chart")
    expect(chart.locator("[role=figure]")).to_have_attribute("aria-label", re.compile(places["council_name"]))
    expect(chart).to_contain_text(re.compile(rf"in {places['council_name']} (is|shows|has|cannot)"))
    keys.skip_to_main()
    keys.until(by_name("Clear area"), limit=3)  # the picker's clear is a Tab stop (finding 7)
    keys.until(by_id(ids.EXPORT_PDF), limit=3)
    with pg.expect_download() as info:
        keys.press("Enter")
    assert info.value.suggested_filename.endswith(".pdf")
    expect(pg.locator(f"#{ids.EXPORT_STATUS}")).not_to_be_empty()  # announced (role=status)
    assert keys.count <= EXPORT_BUDGET, keys.count
    # the trend chart's data as a table: its toggle follows the chart in the Tab order
    pg.locator(f"#{ids.TREND} summary").focus()
    keys.press("Space")
    rows = pg.locator(f"#{ids.TREND} .cpop-chart-data[open] tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 2
    _assert_accessible_and_clean(pg, watch)


IN_TOOLBAR = "() => !!document.activeElement.closest('.modebar')"


def test_a_charts_toolbar_is_one_tab_stop_with_arrow_keys_inside(page: Any, app_url: str,
                                                                  places: dict[str, str]) -> None:
    """Plotly made each of a chart's up to 8 toolbar buttons a Tab stop of its own."""
    pg, watch = page
    keys = _open_page(pg, f"{app_url}/profile?area_type=council&area={places['council']}")
    toolbar = pg.locator(f"#{ids.TREND} .modebar")
    expect(toolbar).to_have_attribute("role", "toolbar")
    names = toolbar.locator("button.modebar-btn").evaluate_all("(bs) => bs.map((b) => b.getAttribute('aria-label'))")
    assert len(names) >= 4, names
    pg.locator(f"#{ids.EXPORT_PDF}").focus()
    entered = keys.until(lambda _: pg.evaluate(IN_TOOLBAR), limit=30)
    assert entered.name == names[0]
    assert keys.press("ArrowRight").name == names[1]
    assert_focus_visible(pg)
    assert keys.press("End").name == names[-1]
    assert keys.press("ArrowRight").name == names[0]  # round to the start
    assert keys.press("ArrowLeft").name == names[-1]
    left = keys.press("Tab")
    assert left is not None and not pg.evaluate(IN_TOOLBAR)  # one Tab leaves the whole toolbar
    assert keys.press("Shift+Tab").name == names[-1]  # back in at the button last used
    assert toolbar.locator("button.modebar-btn[tabindex='0']").count() == 1
    _assert_accessible_and_clean(pg, watch)


def test_clear_area_button_clears_the_picker(page: Any, app_url: str, places: dict[str, str]) -> None:
    pg, _ = page
    keys = _open_page(pg, f"{app_url}/profile?area_type=council&area={places['council']}")
    keys.skip_to_main()
    keys.until(by_name("Clear area"), limit=3)
    # tabbing through the picker can start its search callback: let every answer land first, or a
    # late one puts the area back after the clear (seen on a busy machine)
    wait_settled(pg)
    keys.press("Enter")
    expect(pg).not_to_have_url(re.compile("area=S"))
    expect(pg.locator(f"#{ids.AREA_HEADING}")).to_contain_text("Choose an area")


def test_read_the_rag_matrix_and_write_commentary(page: Any, app_url: str, places: dict[str, str],
                                                  sign_in: Any) -> None:
    pg, watch = page
    sign_in(pg, app_url)  # only officers write commentary (docs/security.md, roles)
    keys = _open_page(pg, f"{app_url}/dashboard?council={places['council']}")
    expect(pg.locator(f"#{ids.RAG_MATRIX} table")).to_be_visible()
    keys.skip_to_main()
    radio = keys.until(lambda f: f.type == "radio", limit=5)
    # the Communities radio buttons are one group: one Tab stop (finding 9), arrows inside
    after = keys.press("Tab")
    assert after is not None and after.type != "radio", after
    keys.press("Shift+Tab")
    assert focus(pg).id == radio.id
    heading = pg.locator(f"#{ids.RAG_HEADING}").inner_text()
    keys.press("ArrowRight")
    assert focus(pg).id != radio.id and focus(pg).type == "radio"
    expect(pg.locator(f"#{ids.RAG_HEADING}")).not_to_have_text(heading)
    # the matrix the browser builds from its JSON (assets/data_tables.js) follows the new communities
    pg.wait_for_function(TABLE_BUILT_FROM_ITS_JSON, arg=f"#{ids.RAG_MATRIX} [data-html-table]")
    assert pg.locator(f"#{ids.RAG_MATRIX} tbody .cpop-badge").count() > 0
    assert pg.get_by_role("group", name="Communities").count() == 1
    keys.until(by_id(ids.RAG_COMMENT_INDICATOR), limit=40)
    keys.press("Enter")
    expect(pg.locator(".dash-dropdown-content")).to_be_visible()
    assert axe_violations(pg) == []  # with the drop-down list open
    wait_focus_within(pg, ".dash-dropdown-content")
    keys.press("ArrowDown")
    wait_focus_within(pg, OPTION)
    option = pg.evaluate("document.activeElement.closest('.dash-dropdown-option').innerText").strip()
    keys.press("Enter")
    expect(pg.locator(f"#{ids.RAG_COMMENT_INDICATOR}")).to_contain_text(option)
    # the list closes and hands focus back to its button a frame later: only then Tab on
    expect(pg.locator(".dash-dropdown-content")).to_have_count(0)
    wait_focus_within(pg, f"#{ids.RAG_COMMENT_INDICATOR}")
    keys.until(by_id(ids.RAG_COMMENT_TEXT), limit=2)
    # the saved note (none yet) is loaded into the box by a callback: type only once it has landed
    wait_settled(pg)
    keys.type("Keyboard-only note")
    keys.until(by_id(ids.RAG_COMMENT_SAVE), limit=2)
    keys.press("Enter")
    expect(pg.locator(f"#{ids.RAG_COMMENT_STATUS}")).to_contain_text(re.compile("[Ss]aved"))
    region = keys.until(lambda f: f.role == "region", limit=5)  # the matrix scrolls sideways: focusable
    assert "Trend in each community" in pg.evaluate("document.activeElement.getAttribute('aria-label')"), region
    _assert_accessible_and_clean(pg, watch)


def test_advanced_tables_grid_is_one_tab_stop_with_arrow_keys_inside(
        page: Any, app_url: str, places: dict[str, str]) -> None:
    pg, watch = page
    keys = _open_page(pg, f"{app_url}/tables?indicators=ey_child_poverty&area_type=ward&council={places['council']}")
    expect(pg.locator(f"#{ids.TABLES_GRID} .ag-center-cols-container .ag-row").first).to_be_visible()
    keys.skip_to_main()
    stops: list[Any] = []
    keys.until(lambda f: stops.append(f) or f.id == ids.TABLES_CSV, limit=TABLES_TO_DOWNLOAD_BUDGET)
    assert sum(1 for s in stops if s.in_grid) == 1, [s.name for s in stops if s.in_grid]  # finding 1
    # back into the grid, then through it with the arrow keys
    keys.until(lambda f: f.in_grid, key="Shift+Tab", limit=8)
    cell = assert_focus_visible(pg)  # a solid ring on the cell (finding 8)
    assert cell.role == "gridcell" and cell.in_grid
    assert axe_violations(pg) == []  # with a grid cell focused
    beside = keys.press("ArrowLeft")
    assert beside is not None and beside.role == "gridcell" and beside.column != cell.column, (cell, beside)
    below = keys.press("ArrowDown")
    assert below is not None and below.role == "gridcell" and below.column == beside.column
    left_grid = keys.press("Tab")
    assert left_grid is not None and not left_grid.in_grid  # one Tab leaves the grid
    keys.until(by_id(ids.TABLES_CSV), limit=8)
    with pg.expect_download() as info:
        keys.press("Enter")
    shown = int(re.search(r"([\d,]+) rows", pg.locator(f"#{ids.TABLES_STATUS}").inner_text()).group(1)
                .replace(",", ""))
    text = Path(info.value.path()).read_text(encoding="utf-8").partition("\n")[2]
    assert len(list(csv.DictReader(io.StringIO(text)))) == shown
    # filter a column with the keyboard: back into the grid, up to its filter row, Enter, type, Escape
    keys.until(lambda f: f.in_grid, key="Shift+Tab", limit=8)
    for _ in range(60):  # up the column to its filter cell
        keys.press("ArrowUp")
        if pg.evaluate("document.activeElement.classList.contains('ag-floating-filter')"):
            break
    keys.press("Enter")
    typed = assert_focus_visible(pg)
    assert typed.tag == "INPUT" and "Filter" in typed.name, typed
    keys.type("zzzz-no-such-value")
    expect(pg.locator(f"#{ids.TABLES_GRID} .ag-center-cols-container .ag-row")).to_have_count(0)
    keys.press("Escape")
    assert focus(pg).in_grid
    assert watch.console_errors == []


def test_build_and_save_a_user_area_without_the_map(page: Any, app_url: str, places: dict[str, str],
                                                   sign_in: Any) -> None:
    pg, watch = page
    sign_in(pg, app_url, "/areas")  # only officers save areas
    keys = _open_page(pg, app_url + "/areas")
    keys.skip_to_main()
    keys.until(by_id(ids.MY_PICK), limit=3)  # council, then "Add zones by name" (finding 11)
    keys.press("Enter")
    expect(pg.get_by_role("searchbox")).to_be_focused()
    keys.type(places["iz_name"][:5])
    expect(pg.get_by_role("searchbox")).to_have_value(places["iz_name"][:5])  # every key arrived
    wait_settled(pg)
    _pick_option(keys, f"{places['iz_name']} ({places['iz']}) – Intermediate zone", limit=20)
    picked = keys.count  # 12 here, every run
    assert axe_violations(pg) == []  # with the list open
    keys.press("Space")  # tick it (the list stays open for more)
    expect(pg.locator(f"#{ids.MY_PICK}")).to_contain_text(places["iz_name"])
    keys.press("Escape")
    expect(pg.locator(".dash-dropdown-content")).to_have_count(0)
    wait_focus_within(pg, f"#{ids.MY_PICK}")
    keys.until(by_name("Add to selection"), limit=2)
    keys.press("Enter")
    expect(pg.locator(f"#{ids.MY_STATUS}")).to_contain_text(re.compile(r"Added \d+ data zones? from 1 area"))
    expect(pg.locator(f"#{ids.MY_SUMMARY}")).to_contain_text("selected")
    wait_settled(pg)  # the selection's map and profile drawn: the map is 2 Tab stops (itself, its toolbar)
    radio = keys.until(lambda f: f.type == "radio", limit=3)  # "Select on the map": one group
    after = keys.press("Tab")
    assert after is not None and after.type != "radio" and after.id != radio.id
    keys.until(by_id(ids.MY_NAME), limit=25)
    keys.type("Keyboard zone")
    keys.until(by_id(ids.MY_SAVE), limit=2)
    keys.press("Enter")
    expect(pg.locator(f"#{ids.MY_STATUS}")).to_contain_text("Saved 'Keyboard zone'")
    assert keys.count <= USER_AREA_BUDGET, f"{keys.count} presses, {picked} of them to pick the zone"
    _assert_accessible_and_clean(pg, watch)


@pytest.mark.parametrize("path", PAGES)
def test_every_tab_stop_shows_its_focus_and_the_skip_link_comes_first(page: Any, app_url: str, path: str) -> None:
    """The first 25 Tab stops of each page (the menu, then the page) all show a 3:1 outline."""
    pg, _ = page
    keys = _open_page(pg, app_url + path)
    first = keys.press("Tab")
    assert first is not None and first.id == ids.SKIP_LINK
    assert_focus_visible(pg)
    menu = keys.press("Tab")
    assert menu is not None and menu.name == "cpop"
    assert contrast_ratio(menu.outline_color, menu.against) >= 3  # on the dark menu bar (finding 2)
    for _ in range(23):
        if keys.press("Tab") is None:  # past the last stop: the browser's own controls
            break
        assert_focus_visible(pg)


@pytest.mark.parametrize("path", [p for p in PAGES if p not in ("/about", "/accessibility")])
def test_pages_stay_accessible_with_a_drop_down_open(page: Any, app_url: str, path: str) -> None:
    pg, _ = page
    keys = _open_page(pg, app_url + path)
    pg.wait_for_selector("main .dash-dropdown")  # the page's pickers are drawn (a busy machine draws late)
    keys.skip_to_main()
    keys.until(lambda f: f.tag == "BUTTON" and f.id and pg.locator(f"[id='{f.id}'].dash-dropdown").count() == 1,
               limit=6)
    keys.press("Enter")
    expect(pg.locator(".dash-dropdown-content")).to_be_visible()
    wait_focus_within(pg, ".dash-dropdown-content")
    for _ in range(3):  # from the search box (if any) into the options
        keys.press("ArrowDown")
        if pg.evaluate("!!document.activeElement.closest('.dash-dropdown-option')"):
            break
    wait_focus_within(pg, OPTION)
    focused = pg.evaluate("getComputedStyle(document.activeElement.closest('.dash-dropdown-option')).color")
    bar = background(pg)
    plain = background(pg, ".dash-dropdown-option:not(:focus-within)")
    # the highlighted option is a filled bar, not a change of text colour only (finding 7)
    assert contrast_ratio(bar, plain) >= 3 and contrast_ratio(focused, bar) >= 4.5, (focused, bar, plain)
    assert axe_violations(pg) == []
    keys.press("Escape")
    expect(pg.locator(".dash-dropdown-content")).to_have_count(0)


@pytest.mark.parametrize("path", ["/dashboard", "/tables", "/areas", "/area"])
def test_unselected_radio_buttons_and_checkboxes_stand_out(page: Any, app_url: str, path: str) -> None:
    pg, _ = page
    _open_page(pg, app_url + path)
    found = pg.evaluate("""() => Array.from(document.querySelectorAll('.form-check-input:not(:checked)'))
        .map(el => [getComputedStyle(el).borderTopColor, getComputedStyle(el).backgroundColor])""")
    assert found, "no unselected radio button or checkbox on the page"
    weak = [f for f in found if contrast_ratio(f[0], f[1]) < 3]  # finding 4: #dee2e6 was 1.3:1
    assert weak == []


def test_every_page_has_exactly_one_h1(page: Any, app_url: str) -> None:
    pg, _ = page
    paths = sorted({p["path"] for p in dash.page_registry.values()})
    assert "/accessibility" in paths and "/about" in paths
    for path in paths:
        _open_page(pg, app_url + path)
        assert pg.locator("h1").count() == 1, path  # About had two (finding 10)


def test_the_footer_links_to_the_accessibility_statement(page: Any, app_url: str) -> None:
    pg, watch = page
    keys = _open_page(pg, app_url + "/about")
    pg.locator(f"#{ids.FOOTER_ACCESSIBILITY}").focus()
    keys.press("Enter")
    pg.wait_for_function("document.activeElement.tagName === 'H1'")
    expect(pg.locator("h1")).to_have_text("Accessibility statement for cpop")
    for heading in ("How accessible this website is", "Reporting accessibility problems with this website",
                    "Compliance status", "Preparation of this accessibility statement"):
        expect(pg.get_by_role("heading", name=heading)).to_be_visible()
    expect(pg.locator("main")).to_contain_text(re.compile(r"last tested on \d+ \w+ \d{4}"))
    expect(pg.locator("nav").get_by_text("Accessibility statement")).to_have_count(0)
    _assert_accessible_and_clean(pg, watch)


def test_phone_width_menu_works_with_the_keyboard(browser: Any, app_url: str) -> None:
    """At 320 px the menu is behind its toggle button: a Tab stop with a visible ring that opens it."""
    context = browser.new_context(viewport={"width": 320, "height": 800})
    try:
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        keys = _open_page(pg, app_url + "/")
        keys.until(by_id(ids.SKIP_LINK), limit=1)
        keys.until(by_id(ids.NAVBAR_TOGGLER), limit=2)
        keys.press("Enter")
        expect(pg.locator(f"#{ids.NAVBAR_COLLAPSE}")).to_have_class(re.compile(r"\bshow\b"))
        link = keys.until(by_name("Quick profile"), limit=3)
        keys.press("Enter")
        pg.wait_for_function("document.activeElement.tagName === 'H1'")
        assert pg.evaluate("document.activeElement.innerText") == "Quick profile", link
        assert axe_violations(pg) == []
    finally:
        context.close()
