"""The "Local data" badge in real Chromium: shown in words beside a local indicator's title on the
Quick profile (table and trend), the Area profile and the Data explorer, and axe-clean (issue 15).

The app serves the small contract warehouse with one indicator made local (``mark_local``), so
this needs no demo build.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import serve_app
from contract_warehouse import EM, LOCAL_LABEL, build_contract_warehouse, mark_local
from keyboard_driver import axe_violations, wait_settled
from playwright.sync_api import expect

from dashboard import ids

pytestmark = pytest.mark.e2e

WARD = "S13002883"


@pytest.fixture(scope="module")
def local_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = mark_local(build_contract_warehouse(tmp_path_factory.mktemp("local") / "cpop.duckdb"))
    with serve_app(path) as url:
        yield url


@pytest.mark.parametrize(("path", "where"), [
    (f"/profile?area_type=ward&area={WARD}&indicator={EM}", f"#{ids.TREND}"),
    (f"/profile?area_type=ward&area={WARD}&indicator={EM}", f"tr[data-indicator={EM}]"),
    (f"/area?area_type=ward&area={WARD}&theme=health&indicator={EM}", "main"),
    ("/explorer", f"[data-indicator={EM}]"),
])
def test_the_badge_is_shown_in_words_and_the_page_is_axe_clean(page: Any, local_url: str, path: str,
                                                                 where: str) -> None:
    pg, watch = page
    pg.goto(local_url + path)
    badge = pg.locator(f"{where} .cpop-local-badge").first
    expect(badge).to_have_text(LOCAL_LABEL)
    expect(badge).to_be_visible()
    wait_settled(pg)  # axe reads the whole page: every section drawn, none half-way (busy machines)
    assert pg.locator(".cpop-local-badge").count() == pg.locator(".cpop-local-badge", has_text=LOCAL_LABEL).count()
    assert axe_violations(pg) == []
    assert watch.console_errors == []
