"""The Quick profile before and after an area is chosen (issue 13, finding 8): an empty page
shows a sentence, not a blank chart, and no live export button; a chosen area's trend chart
has one pair of download buttons, not the page's own and a second pair from chart_download.js."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from keyboard_driver import wait_settled
from playwright.sync_api import expect

from dashboard import ids
from tests.fixtures.warehouse_sql import read_rows

pytestmark = pytest.mark.e2e
NO_TREND_YET = "Choose an area and an indicator to see the trend."  # the page's sentence
BUTTONS = (ids.EXPORT_PDF, ids.EXPORT_XLSX, ids.EXPORT_CSV, ids.QP_TABLE_CSV, ids.CHART_PNG, ids.CHART_SVG)


def test_an_empty_quick_profile_has_no_chart_and_no_live_export(page: Any, app_url: str) -> None:
    pg, watch = page
    pg.goto(f"{app_url}/profile")
    wait_settled(pg)
    expect(pg.locator(f"#{ids.TREND}")).to_contain_text(NO_TREND_YET)
    expect(pg.locator(f"#{ids.TREND} .js-plotly-plot")).to_have_count(0)
    for button in BUTTONS:
        expect(pg.locator(f"#{button}")).to_be_disabled()
    assert watch.console_errors == []


def test_a_chosen_areas_trend_has_one_pair_of_download_buttons(page: Any, app_url: str,
                                                               e2e_warehouse: Path) -> None:
    pg, watch = page
    council = read_rows(e2e_warehouse, "SELECT min(area_code) FROM marts.areas WHERE area_type = 'council'")[0][0]
    pg.goto(f"{app_url}/profile?area_type=council&area={council}&indicator=ey_child_poverty")
    pg.wait_for_selector(f"#{ids.TREND} .js-plotly-plot")
    wait_settled(pg)
    for button in BUTTONS:
        expect(pg.locator(f"#{button}")).to_be_enabled()
    svg = pg.locator("main button").filter(has_text=re.compile(r"\bSVG\b"))
    expect(svg).to_have_count(1)  # the page's own; chart_download.js adds none to this chart
    expect(pg.locator(f"#{ids.TREND} .cpop-downloads")).to_have_count(0)
    assert watch.console_errors == []
