"""Spend and need in the browser: a viewer opens the page, picks a need measure and sees the
chart, the ranked table and the lists (axe-clean); an officer adds a spend file and reads the
check's report (rows read = accepted + quarantined)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import e2e_user_dir
from dropdowns import option
from playwright.sync_api import expect

from dashboard import ids
from etl.spend.areas import warehouse_areas
from etl.spend.store import SpendStore
from tests.fixtures.spend.files import demo_localities, write_spend_csv

pytestmark = pytest.mark.e2e
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"


def _axe_serious(pg: Any) -> list[str]:
    pg.add_script_tag(path=str(AXE))
    return pg.evaluate("async () => (await axe.run(document)).violations.filter("
                       "v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)")


@pytest.fixture(scope="module")
def spend_file(e2e_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The realistic locality-by-service spend file (with the usual bad rows) for the demo's council."""
    localities = demo_localities(e2e_warehouse, indicator="econ_income_deprived")
    return write_spend_csv(tmp_path_factory.mktemp("spend") / "community-spend.csv", localities, with_errors=True)


def test_viewer_picks_a_need_measure_and_sees_chart_table_and_lists(page: Any, app_url: str, e2e_warehouse: Path,
                                                                     spend_file: Path) -> None:
    store = SpendStore(e2e_user_dir(e2e_warehouse))
    meta, _ = store.add(spend_file, warehouse_areas(e2e_warehouse), title="Community services spend (viewer)",
                        organisation="Glen Tannoch Council")
    try:
        pg, watch = page
        pg.goto(f"{app_url}/spend?dataset={meta.dataset_id}")
        expect(pg.get_by_role("heading", name="Spend and need")).to_be_visible()
        expect(pg.locator(f"#{ids.SPEND_HEADING}")).to_contain_text("Income deprivation")
        expect(pg.locator(f"#{ids.SPEND_GRAPH} .main-svg").first).to_be_visible()
        pg.click(f"#{ids.SPEND_MEASURE}")
        option(pg, "Crime rate").click()
        expect(pg.locator(f"#{ids.SPEND_HEADING}")).to_contain_text("Crime rate")
        expect(pg).to_have_url(re.compile(r"measure=ss_crime_rate"))
        expect(pg.locator(f"#{ids.SPEND_GRAPH} .annotation-text", has_text="Higher need, lower spend")).to_have_count(1)
        expect(pg.locator(f"#{ids.SPEND_GRID} .ag-center-cols-container .ag-row")).to_have_count(4)
        expect(pg.get_by_role("heading", name="Higher need, lower spend")).to_be_visible()
        expect(pg.get_by_role("heading", name="Lower need, higher spend")).to_be_visible()
        expect(pg.locator(f"#{ids.SPEND_ADD}")).to_be_disabled()  # viewers read only
        pg.wait_for_load_state("networkidle")
        if os.environ.get("CPOP_DOCS_SCREENSHOTS"):  # regenerate the officers' guide's picture
            SCREENSHOTS.mkdir(exist_ok=True)
            pg.locator("#_pages_content").screenshot(path=str(SCREENSHOTS / "spend-need.png"))
        assert _axe_serious(pg) == []
        assert watch.console_errors == [] and watch.remote_requests() == []
    finally:
        store.remove(meta.dataset_id)


def test_officer_adds_a_spend_file_and_reads_the_check(page: Any, app_url: str, e2e_warehouse: Path,
                                                         spend_file: Path, sign_in: Any) -> None:
    pg, _ = page
    sign_in(pg, app_url, "/spend")
    pg.fill(f"#{ids.SPEND_TITLE}", "Community services spend (officer)")
    pg.fill(f"#{ids.SPEND_ORGANISATION}", "Glen Tannoch Council")
    pg.locator(f"#{ids.SPEND_UPLOAD} input[type=file]").set_input_files(str(spend_file))
    pg.click(f"#{ids.SPEND_ADD}")
    expect(pg.locator(f"#{ids.SPEND_STATUS}")).to_contain_text("Added 'Community services spend (officer)'")
    expect(pg.locator(f"#{ids.SPEND_REPORT}")).to_contain_text("Rows read 41 = accepted 36 + quarantined 5")
    expect(pg.locator(f"#{ids.SPEND_REPORT}")).to_contain_text("unknown locality 'Nowhere Village'")
    expect(pg.locator(f"#{ids.SPEND_HEADING}")).to_contain_text("Community services spend (officer)")
    kept = [m for m in SpendStore(e2e_user_dir(e2e_warehouse)).list() if m.title.endswith("(officer)")]
    assert len(kept) == 1 and kept[0].added_by == "e2e-officer"
    pg.click(f"#{ids.SPEND_REMOVE}")
    expect(pg.locator(f"#{ids.SPEND_STATUS}")).to_contain_text("Removed 'Community services spend (officer)'")
    assert not [m for m in SpendStore(e2e_user_dir(e2e_warehouse)).list() if m.title.endswith("(officer)")]
