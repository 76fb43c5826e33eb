"""Glossary popovers from the keyboard on the Quick profile and the Dashboard, in real Chromium.

A statistical term in a note is a real button: Enter or Space opens its definition, Escape closes
it, and the page stays axe-clean with the popover open. On the Dashboard the button is drawn by a
callback (the matrix key), so this also proves popovers work inside callback outputs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from keyboard_driver import axe_violations
from playwright.sync_api import expect

from dashboard import ids
from etl.warehouse_files import open_pair

pytestmark = pytest.mark.e2e
WAIT = 60_000  # ms: a busy two-core machine draws a first profile in seconds, not milliseconds


def _first_council(warehouse: Path) -> str:
    con = open_pair(warehouse)
    try:
        (code,), = con.execute("SELECT min(area_code) FROM marts.areas WHERE area_type = 'council'").fetchall()
    finally:
        con.close()
    return str(code)


def _open_from_keyboard(pg: Any, term: Any, key: str, definition: str) -> None:
    """Focus the term, open it with ``key``, read the definition, close it with Escape."""
    expect(term).to_be_visible(timeout=WAIT)
    term.focus()
    pg.keyboard.press(key)
    popover = pg.locator(".popover.cpop-glossary")
    expect(popover).to_contain_text(definition, timeout=WAIT)
    assert axe_violations(pg) == []
    pg.keyboard.press("Escape")
    expect(popover).to_have_count(0, timeout=WAIT)
    expect(term).to_be_focused()  # Escape gives focus back to the term


def test_quick_profile_terms_open_from_the_keyboard(page: Any, app_url: str, e2e_warehouse: Path) -> None:
    pg, watch = page
    council = _first_council(e2e_warehouse)
    pg.goto(f"{app_url}/profile?area_type=council&area={council}")
    key = pg.locator(f"#{ids.LATEST} p").first  # the value key above the tables
    _open_from_keyboard(pg, key.locator("button[data-glossary='confidence-interval']"), "Enter",
                        "The range within which the true value very probably lies")
    _open_from_keyboard(pg, key.locator("button[data-glossary='trend']"), "Space",
                        "steady rise or fall that is unlikely to be chance")
    assert watch.console_errors == []
    assert watch.remote_requests() == []


def test_dashboard_matrix_key_terms_open_from_the_keyboard(page: Any, app_url: str, e2e_warehouse: Path) -> None:
    pg, watch = page
    pg.goto(f"{app_url}/dashboard?council={_first_council(e2e_warehouse)}")
    term = pg.locator(f"#{ids.RAG_MATRIX} button[data-glossary='significant']")
    _open_from_keyboard(pg, term, "Enter", "too large to be explained by chance alone")
    _open_from_keyboard(pg, pg.locator("button[data-glossary='target-status']").first, "Space",
                        "How likely the area is to meet its target")
    # by mouse: beside the term and inside the window, not over it; a click elsewhere closes it
    term.click()
    popover = pg.locator(".popover.cpop-glossary")
    expect(popover).to_be_visible(timeout=WAIT)
    expect(term).to_have_attribute("aria-describedby", re.compile(".+-definition$"))
    box, word = popover.bounding_box(), term.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= pg.viewport_size["width"]
    assert box["y"] >= word["y"] + word["height"] or box["y"] + box["height"] <= word["y"]
    pg.locator("h1").click()
    expect(popover).to_have_count(0, timeout=WAIT)
    expect(term).to_have_attribute("aria-expanded", "false")
    assert watch.console_errors == []
    assert watch.remote_requests() == []
