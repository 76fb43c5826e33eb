"""`make bench` prints a first render for every page a user can open (issue 13's acceptance), so a
page added later cannot escape the speed figures unnoticed."""

from __future__ import annotations

import re
from pathlib import Path

from bench.dashboard_bench import page_urls

PAGES = Path(__file__).resolve().parents[3] / "dashboard" / "pages"
NOT_MEASURED = {"/404", "/sign-in"}  # an error page and a form: no data behind them


def registered_paths() -> set[str]:
    found = set()
    for module in PAGES.glob("*.py"):
        found.update(re.findall(r'register_page\(\s*__name__,\s*path="([^"]+)"', module.read_text()))
    return found


def test_every_page_has_a_first_render_figure() -> None:
    places = {"council": "C", "ward": "W", "datazone": "D", "locality": "L", "locality_council": "C",
              "saved_area": "A"}
    measured = {url.split("?")[0] for url in page_urls(places).values()}
    assert registered_paths() - NOT_MEASURED <= measured
    assert len(registered_paths()) >= 12  # the pattern still finds the pages
