"""Quick Profile (/profile) journey in real Chromium: pick an area by typing, read values, share a link.

Also the offline guarantee (CONVENTIONS 12): no console errors and no request leaving
127.0.0.1 (plotly.js, Dash bundles and Bootstrap are all served by the app; no MathJax).
Expectations come from the ``e2e_case`` fixture, so the suite runs on any warehouse.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from dropdowns import option as dropdown_option
from e2e_case import E2ECase
from playwright.sync_api import Page, Request, expect

from dashboard import ids

pytestmark = pytest.mark.e2e


def _css(component_id: str) -> str:
    return f"#{component_id}"


def _row(page: Page, indicator_id: str) -> Any:
    return page.locator(f"{_css(ids.LATEST)} tr[data-indicator='{indicator_id}']")


def _choose(page: Page, dropdown_id: str, option: str) -> None:
    """Open a Dash 4 dropdown and click the option with this exact label."""
    page.click(_css(dropdown_id))
    dropdown_option(page, option, exact=True).click()


def _assert_clean(watch: Any) -> None:
    assert watch.console_errors == []
    assert watch.remote_requests() == []
    assert not [u for u in watch.requests if "mathjax" in u.lower()]


def _trace_count(page: Page) -> int:
    selector = f"{_css(ids.TREND)} .js-plotly-plot"
    expect(page.locator(selector)).to_be_visible()
    page.wait_for_function(f"() => (document.querySelector('{selector}').data || []).length > 0")
    return int(page.evaluate(f"() => document.querySelector('{selector}').data.length"))


def test_pick_area_by_typing(page: tuple[Page, Any], app_url: str, e2e_case: E2ECase) -> None:
    pg, watch = page
    case = e2e_case
    searches: list[str] = []

    def record_search(request: Request) -> None:
        if request.method == "POST" and "_dash-update-component" in request.url:
            body = json.loads(request.post_data or "{}")
            for item in body.get("inputs", []):
                if item.get("property") == "search_value" and item.get("value"):
                    searches.append(item["value"])

    pg.on("request", record_search)
    pg.goto(app_url + "/profile")
    expect(pg.locator("h1")).to_contain_text("Quick profile")

    _choose(pg, ids.AREA_TYPE, case.area_type_label)
    pg.click(_css(ids.AREA))
    search_box = pg.get_by_role("searchbox")  # the dropdown's search input, once open
    expect(search_box).to_be_focused()
    search_box.press_sequentially(case.search_text)
    option = dropdown_option(pg, case.area_label, exact=True)
    expect(option).to_be_visible()
    option.click()

    row = _row(pg, case.indicator_id)
    expect(row.locator(".cpop-value")).to_have_text(case.value_text)
    expect(row).to_contain_text(case.ci_text)
    assert _trace_count(pg) >= 2  # the area, plus its comparators and CI band
    expect(pg.locator(f"{_css(ids.TREND)} [data-title='Share chart...']")).to_have_count(0)
    assert case.search_text in searches, "the area options were not searched server-side"
    expect(pg).to_have_url(re.compile(rf"area_type={case.area_type}&area={case.area_code}"))
    _assert_clean(watch)


def test_shared_link_restores_the_view(
    page: tuple[Page, Any], app_url: str, e2e_case: E2ECase
) -> None:
    pg, watch = page
    case = e2e_case
    pg.goto(f"{app_url}/profile?area_type={case.area_type}&area={case.area_code}"
            f"&indicator={case.other_indicator_id}")

    expect(pg.locator(f"#{ids.AREA}-value")).to_have_text(case.area_label)
    expect(pg.locator(f"#{ids.INDICATOR}-value")).to_contain_text(case.other_indicator_label)
    expect(_row(pg, case.indicator_id).locator(".cpop-value")).to_have_text(case.value_text)
    assert _trace_count(pg) >= 2
    _assert_clean(watch)


def test_suppressed_latest_value_is_text_not_a_number(
    page: tuple[Page, Any], app_url: str, e2e_case: E2ECase
) -> None:
    if e2e_case.suppressed is None:
        pytest.skip("no suppressed latest value in this warehouse")
    area_type, area_code, indicator_id = e2e_case.suppressed
    pg, watch = page
    pg.goto(f"{app_url}/profile?area_type={area_type}&area={area_code}&indicator={indicator_id}")
    expect(_row(pg, indicator_id).locator(".cpop-value")).to_have_text("suppressed")
    expect(pg.locator(f"{_css(ids.TREND)} .js-plotly-plot")).to_contain_text("suppressed")
    _assert_clean(watch)


def test_missing_warehouse_shows_how_to_build(
    page: tuple[Page, Any], unavailable_app_url: str
) -> None:
    pg, watch = page
    pg.goto(unavailable_app_url + "/profile?area_type=ward&area=S13002883")
    status = pg.locator(_css(ids.HOME_STATUS))
    expect(status).to_contain_text("not built yet")
    expect(status).to_contain_text("cpop build")
    _assert_clean(watch)
