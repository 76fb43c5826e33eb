"""The "What changed" page and Home's summary on real Scotland, in real Chromium.

The committed snapshot holds two CPOP releases (August 2022 and September 2023), so the page has
real revisions to list: Fife's intermediate zones' child poverty, early deaths, ... revised by the
September 2023 release. No earlier build was kept, so the page must say verdict changes are not known.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from dashboard import ids

pytestmark = pytest.mark.e2e

FIFE = "S12000047"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def _clean(pg: Any, watch: Any) -> None:
    pg.wait_for_load_state("networkidle")
    assert watch.console_errors == []
    assert watch.remote_requests() == []
    pg.add_script_tag(path=str(AXE))
    serious = pg.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)")
    assert serious == []


def test_changes_page_lists_fifes_revisions_and_downloads_them(page: Any, real_app_url: str) -> None:
    pg, watch = page
    pg.goto(f"{real_app_url}/changes?since=2022-08&council={FIFE}")
    # the first comparison of a build reads every release of every figure (seconds; more on a busy machine)
    expect(pg.locator(f"#{ids.CHANGES_HEADLINE}")).to_contain_text("compared with release 2022-08", timeout=120_000)
    expect(pg.get_by_role("heading", name="Revised values in Fife")).to_be_visible()
    revised = pg.get_by_role("region", name="Revised values")
    expect(revised).to_contain_text("Children in low-income families")
    expect(revised).to_contain_text("(2022-08)")
    expect(pg.get_by_text("Whether verdicts changed is not known")).to_be_visible()
    _clean(pg, watch)
    with pg.expect_download(timeout=120_000) as info:  # every revision of Scotland: a few seconds
        pg.click(f"#{ids.CHANGES_XLSX}")
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()), read_only=True)
    assert book.sheetnames == ["Summary", "Revised values", "New periods", "Verdicts changed", "Indicators"]
    assert sum(1 for _ in book["Revised values"].iter_rows()) > 50_000  # every revision of Scotland, not only those shown


def test_home_says_what_changed_and_links_to_the_page(page: Any, real_app_url: str) -> None:
    pg, watch = page
    pg.goto(f"{real_app_url}/?area_type=council&area={FIFE}")
    note = pg.locator(f"#{ids.HOME_CHANGES}")
    expect(note).to_contain_text(re.compile(r"What changed: \d+ indicators updated on \d+ \w+ \d{4}"), timeout=120_000)
    note.get_by_role("link", name="See what changed").click()
    expect(pg).to_have_url(re.compile(rf"/changes\?council={FIFE}$"))
    expect(pg.locator(f"#{ids.CHANGES_HEADLINE}")).to_contain_text("indicators updated", timeout=120_000)
    expect(pg.get_by_role("heading", name="Revised values in Fife")).to_be_visible()
    _clean(pg, watch)
