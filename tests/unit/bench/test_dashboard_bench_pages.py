"""`make bench` prints a first render for every page a user can open (issue 13's acceptance), so a
page added later cannot escape the speed figures unnoticed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.dashboard_bench import page_urls
from bench.real_render_bench import fife_urls
from dashboard.data.reader import WarehouseReader

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


@pytest.mark.real
def test_the_real_render_bench_measures_every_page_and_fifes_revisions(real_warehouse: Path) -> None:
    reader = WarehouseReader(real_warehouse)
    try:
        urls = fife_urls(reader)
    finally:
        reader.close()
    assert registered_paths() - NOT_MEASURED <= {url.split("?")[0] for url in urls.values()}
    assert "/changes?since=2022-08&council=S12000047" in urls.values()  # the snapshot's oldest CPOP release
    assert "/area?area_type=ward&area=S13" in " ".join(urls.values())  # one of Fife's wards
