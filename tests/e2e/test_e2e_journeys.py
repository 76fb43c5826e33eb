"""Issue 5's proof in real Chromium: one board member, one officer, shared links, a phone.

Expectations are read from the warehouse the app serves (marts.trend, marts.indicator_values),
never from the page's own code.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from dropdowns import option as dropdown_option
from e2e_case import E2ECase
from playwright.sync_api import Page, expect

from dashboard import ids
from tests.fixtures.warehouse_sql import read_rows as _sql

pytestmark = pytest.mark.e2e
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
VERDICT_PHRASES = {
    "improving": "is improving",
    "worsening": "is getting worse",
    "no significant change": "shows no statistically significant change",
    "cannot be calculated": "has too few recent values",
}


def _assert_clean(watch: Any) -> None:
    assert watch.console_errors == []
    assert watch.remote_requests() == []


def _serious(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".map(v => ({id: v.id, impact: v.impact}))")
    return [v["id"] for v in found if v["impact"] in ("serious", "critical")]


def _choose(page: Page, dropdown_id: str, option: str) -> None:
    page.click(f"#{dropdown_id}")
    dropdown_option(page, option, exact=True).click()


def test_board_member_finds_their_ward_and_reads_whether_child_poverty_is_improving(
        page: Any, app_url: str, e2e_case: E2ECase, e2e_warehouse: Path) -> None:
    pg, watch = page
    case = e2e_case
    pg.goto(app_url + "/")
    _choose(pg, ids.HOME_TYPE, case.area_type_label)
    pg.click(f"#{ids.HOME_AREA}")
    pg.get_by_role("searchbox").press_sequentially(case.search_text)
    dropdown_option(pg, case.area_label, exact=True).click()
    tile = pg.locator("[data-priority='early_years']")
    expect(tile).to_contain_text("measures improving")
    expect(pg).to_have_url(re.compile(rf"area_type={case.area_type}&area={case.area_code}"))
    tile.get_by_role("link").click()

    expect(pg).to_have_url(re.compile(r"/area\?"))
    expect(pg.locator(f"#{ids.PROFILE_INDICATOR}")).to_contain_text("Child poverty")
    [(verdict,)] = _sql(e2e_warehouse, "SELECT trend_verdict FROM marts.trend WHERE indicator_id = 'ey_child_poverty' "
                                       "AND area_type = ? AND area_code = ?", [case.area_type, case.area_code])
    caption = pg.locator("[data-section='trend'] .cpop-caption")
    expect(caption).to_contain_text(f"Children in low-income families in {case.area_label.split(' (')[0]} "
                                    f"{VERDICT_PHRASES[verdict]}")
    expect(pg).to_have_url(re.compile(rf"area_type={case.area_type}&area={case.area_code}&theme=early_years"
                                      r"&indicator=ey_child_poverty&basis=national_quintile"))

    # the link they paste into a board paper reopens the same view, local quintiles included
    shared = pg.url.replace("national_quintile", "local_quintile")
    other = pg.context.new_page()
    other.goto(shared)
    expect(other.locator("[data-section='trend'] .cpop-caption")).to_have_text(caption.inner_text())
    expect(other.locator(f"#{ids.PROFILE_BASIS} input[value='local_quintile']")).to_be_checked()
    expect(other.locator("[data-section='inequality']")).to_contain_text("local quintiles")
    _assert_clean(watch)


def test_officer_pivots_filters_and_downloads_exactly_what_is_shown(
        page: Any, app_url: str, e2e_warehouse: Path) -> None:
    pg, watch = page
    [(council,)] = _sql(e2e_warehouse, "SELECT area_code FROM marts.areas WHERE area_type = 'council' "
                                       "ORDER BY datazone_count DESC LIMIT 1")
    pg.goto(f"{app_url}/tables?indicators=ey_child_poverty&area_type=ward&council={council}&layout=periods")
    expect(pg.locator(f"#{ids.TABLES_STATUS}")).to_contain_text("rows")
    expect(pg.locator(f"#{ids.TABLES_PIVOT}")).to_contain_text("Periods as columns")
    wards = _sql(e2e_warehouse, "SELECT area_code, area_name FROM marts.areas WHERE area_type = 'ward' "
                                "AND council_code = ? ORDER BY area_name", [council])
    needle = wards[0][1].split()[0].lower()
    expected_codes = {code for code, name in wards if needle in name.lower()}
    area_filter = pg.locator(".ag-floating-filter input").nth(1)  # the Area column's filter
    area_filter.click()
    area_filter.press_sequentially(needle)
    expect(pg.locator(".ag-paging-row-summary-panel")).to_contain_text(f"of {len(expected_codes)}")
    pg.wait_for_timeout(500)  # the grid reports its filtered rows (virtualRowData) to the server
    with pg.expect_download() as info:
        pg.click(f"#{ids.TABLES_XLSX}")
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    assert str(sheet["A1"].value).startswith("DEMO DATA")  # the demo's workbook says so first
    header = [c.value for c in sheet[2]]
    periods = [p for (p,) in _sql(e2e_warehouse, "SELECT period_label FROM marts.indicator_values WHERE "
                                                 "indicator_id = 'ey_child_poverty' AND area_type = 'ward' "
                                                 "GROUP BY period_label ORDER BY max(period_year)")]
    assert header == ["Indicator", "Area", "Code", *periods]
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert {row[2] for row in body} == expected_codes and len(body) == len(expected_codes)
    values = {(c, p): v for c, p, v in _sql(
        e2e_warehouse, "SELECT area_code, period_label, value FROM marts.indicator_values WHERE "
                       "indicator_id = 'ey_child_poverty' AND area_type = 'ward'")}
    for row in body:
        for period, cell in zip(periods, row[3:], strict=True):
            expected = values.get((row[2], period))
            assert cell == (None if expected is None else pytest.approx(expected)), (row[2], period)
    _assert_clean(watch)


def test_quick_profile_table_downloads_as_csv(page: Any, app_url: str, e2e_case: E2ECase) -> None:
    pg, watch = page
    case = e2e_case
    pg.goto(f"{app_url}/profile?area_type={case.area_type}&area={case.area_code}")
    row = pg.locator(f"#{ids.LATEST} tr[data-indicator='{case.indicator_id}']")
    expect(row.locator(".cpop-value")).to_have_text(case.value_text)
    expect(row.locator("img")).to_have_attribute("alt", re.compile(r" from .* to "))
    with pg.expect_download() as info:
        pg.click(f"#{ids.QP_TABLE_CSV}")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][0].startswith("DEMO DATA")  # the demo's file says so first
    assert rows[2][:7] == ["Priority", "Indicator", "Direction", "Latest period", "Value", "Value type", "95% CI"]
    assert any(r[4] == case.value_text and r[6] == case.ci_text for r in rows[3:])
    _assert_clean(watch)


def test_area_types_without_the_indicator_are_offered_disabled_with_the_reason(page: Any, app_url: str) -> None:
    pg, watch = page
    pg.goto(f"{app_url}/area?area_type=ward&theme=economy&indicator=econ_median_earnings")
    expect(pg.locator(f"#{ids.PROFILE_AREA_TYPE}")).to_contain_text("Council")  # ward is not published
    pg.click(f"#{ids.PROFILE_AREA_TYPE}")
    # the reason in plain words: where the indicator is published
    expect(dropdown_option(pg, re.compile("ward.*published for .*council.* only", re.I))).to_be_visible()
    pg.keyboard.press("Escape")
    _assert_clean(watch)


@pytest.mark.parametrize("path", ["/", "/profile", "/area", "/explorer", "/dashboard", "/tables", "/areas", "/about"])
def test_phone_width_has_no_page_overflow_and_stays_accessible(browser: Any, app_url: str, e2e_case: E2ECase,
                                                               path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        query = f"?area_type={e2e_case.area_type}&area={e2e_case.area_code}" if path in ("/", "/profile", "/area") else ""
        pg.goto(app_url + path + query)
        pg.wait_for_selector("h1")
        pg.wait_for_load_state("networkidle")
        width = pg.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 392, f"{path} is {width}px wide on a 390px screen"
        if path == "/profile":  # the profile stacks each indicator: every verdict readable without scrolling
            sideways = pg.evaluate("""() => [...document.querySelectorAll('.cpop-latest')]
                .filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1).length""")
            assert pg.locator(".cpop-latest").count() > 0 and sideways == 0
            expect(pg.locator(".cpop-latest td[data-label='vs Scotland']").first).to_be_visible()
        assert _serious(pg) == []
        assert errors == []
    finally:
        context.close()


def test_quick_profile_badges_stay_inside_their_cells_at_laptop_width(browser: Any, app_url: str,
                                                                      e2e_case: E2ECase) -> None:
    """At 1366 × 768 a long trend verdict ("● no significant change") wraps inside its cell instead of
    running over the next column (the deprivation gap), and no cell's text is clipped."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        pg = context.new_page()
        pg.goto(f"{app_url}/profile?area_type={e2e_case.area_type}&area={e2e_case.area_code}")
        pg.wait_for_selector(f"#{ids.LATEST} table")
        pg.wait_for_load_state("networkidle")
        spill = pg.evaluate("""() => [...document.querySelectorAll('.cpop-latest td')].flatMap(td => {
            const cell = td.getBoundingClientRect();
            return [...td.querySelectorAll('.badge, img')].filter(el => {
                const box = el.getBoundingClientRect();
                return box.right > cell.right + 0.5 || box.left < cell.left - 0.5;
            }).map(el => el.textContent || el.alt);
        })""")
        assert spill == []
        clipped = pg.evaluate("""() => [...document.querySelectorAll('.cpop-latest td')]
            .filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.textContent)""")
        assert clipped == []  # e.g. a rate's CI "29,450.5 – 31,500.9" once lost its upper limit
        assert pg.locator(f"#{ids.LATEST} .badge").count() > 0
    finally:
        context.close()
