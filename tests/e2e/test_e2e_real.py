"""Every page on real Scotland (the warehouse built from the committed snapshot), in real Chromium.

Why: the pages were first built on a fictional country; real published data brings figures without
intervals, imputed and projected values, estimates where data zones were withheld at source, revised
releases, CPOP's own ratings and indicators published for councils only. These journeys walk every
page for Fife (and a ward, an intermediate zone, a data zone and an HSCP locality of it) and check
that the publishers' own figures appear as published, with their source and value types, that no
chart is drawn empty, that the fictional-demo banner is absent, and that nothing errs in the console
or asks anything of a host other than 127.0.0.1.

The expected figures are the publishers' (the Improvement Service's CPOP September 2023 release in
data/snapshot/), not the code's own output: Fife's child poverty in 2021/22 is 23.2 %, projected
27.3 % for 2024/25. One server reads the warehouse for the whole module.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dashboard import ids

pytestmark = pytest.mark.e2e

FIFE = "S12000047"
WARD = "S13002962"  # St. Andrews: child poverty estimated (9 of its 20 data zones withheld at source)
IZ = "S02001795"  # Kirkcaldy Gallatown and Sinclairtown: CPOP's own intermediate zone figures, revised
DATAZONE = "S01009340"  # Abbeyview Central: CPOP's data zone figures (August 2022)
LOCALITY = "S99000074"  # Kirkcaldy HSCP locality: built by cpop from data zone counts
CP = "ey_child_poverty"
CPOP_SEP_2023 = "Improvement Service, CPOP September 2023"
PRIORITIES = ("economy", "employment", "early_years", "safer_communities", "health", "older_people")


@pytest.fixture(scope="module")
def real_url(real_app_url: str) -> str:
    """The app on real Scotland (one server for the module, see tests/e2e/conftest.py)."""
    return real_app_url


def _assert_clean(pg: Page, watch: Any) -> None:
    """No console error, no request off 127.0.0.1, no demo banner, no empty chart, no 'nan' or '±nan' among
    the page's figures."""
    pg.wait_for_load_state("networkidle")
    assert watch.console_errors == []
    assert watch.remote_requests() == []
    assert pg.locator(f"#{ids.DEMO_BANNER}").count() == 0
    empty = pg.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                        ".filter(gd => !(gd.data || []).some(t => (t.y || t.z || t.x || t.locations || [])"
                        ".some(v => v !== null))).length")
    assert empty == 0, "a chart is drawn without data"
    # the page's figures (the methods text on About explains formulas, 'nan' and '±' included)
    text = pg.evaluate("() => { const m = document.querySelector('main').cloneNode(true);"
                       " m.querySelectorAll('.cpop-methods').forEach(e => e.remove()); return m.innerText; }")
    assert not re.search(r"\bnan\b|±", text, re.IGNORECASE)


def _row(pg: Page, indicator: str) -> Any:
    return pg.locator(f"#{ids.LATEST} tr[data-indicator='{indicator}']")


PAGES = [
    ("/", "cpop – community outcomes profile"),
    (f"/?area_type=council&area={FIFE}", "Fife: is it improving?"),
    (f"/?area_type=ward&area={WARD}", "St. Andrews: is it improving?"),
    ("/profile?area_type=scotland&area=S92000003", "Scotland"),
    (f"/area?area_type=intermediate_zone&area={IZ}&theme=early_years&indicator={CP}", "Trend"),
    (f"/area?area_type=hsc_locality&area={LOCALITY}&theme=early_years&indicator={CP}", "Trend"),
    (f"/area?area_type=datazone&area={DATAZONE}&theme=employment&indicator=emp_out_of_work_benefits", "Trend"),
    ("/explorer", "Data explorer"),
    (f"/dashboard?council={FIFE}&area_type=intermediate_zone", "Fife: intermediate zones"),
    (f"/tables?indicators={CP}&area_type=ward&council={FIFE}", "Advanced tables"),
    ("/areas", "My areas"),
    ("/about", "Built from the publishers' files"),
]


@pytest.mark.parametrize(("path", "shows"), PAGES)
def test_every_page_works_on_real_data(page: tuple[Page, Any], real_url: str, path: str, shows: str) -> None:
    pg, watch = page
    pg.goto(real_url + path)
    expect(pg.locator("main")).to_contain_text(shows)
    _assert_clean(pg, watch)


@pytest.mark.parametrize("theme", PRIORITIES)
def test_fifes_area_profile_of_each_priority(page: tuple[Page, Any], real_url: str, theme: str) -> None:
    pg, watch = page
    pg.goto(f"{real_url}/area?area_type=council&area={FIFE}&theme={theme}")
    main = pg.locator(f"#{ids.PROFILE_MAIN}")
    expect(main.locator("[data-provenance]")).to_contain_text("Source: ")
    expect(main.locator("[data-cpop-rating]")).to_contain_text("Improvement Service's CPOP rating")
    expect(pg.locator(f"#{ids.PROFILE_SPINE}")).to_contain_text("Spine chart")
    expect(pg.locator(f"#{ids.PROFILE_INEQUALITY}")).to_contain_text("Deprivation gap in Fife")
    _assert_clean(pg, watch)


def test_fifes_quick_profile_shows_the_published_figures(page: tuple[Page, Any], real_url: str) -> None:
    pg, watch = page
    pg.set_viewport_size({"width": 1366, "height": 900})
    pg.goto(f"{real_url}/profile?area_type=council&area={FIFE}&indicator={CP}")
    row = _row(pg, CP)
    expect(row).to_contain_text("2021/22")
    expect(row).to_contain_text("23.2%")  # the publisher's figure, to its precision
    expect(row).to_contain_text(CPOP_SEP_2023)
    expect(row).to_contain_text("projected 27.3% in 2024/25")
    expect(row).to_contain_text("none published")  # CPOP gives no interval: none is shown
    expect(row).to_contain_text("Scotland 20.8%")  # the comparator's figure, since no test can be made
    expect(row).to_contain_text("yellow")  # CPOP's own rating, beside cpop's verdict
    expect(row).to_contain_text("Worse than Scotland but improving faster")
    expect(row).to_contain_text("+74.4 % from 2010/11 to 2021/22")
    expect(pg.locator(f"#{ids.QP_WHY_DIFFER}")).to_contain_text("why they can differ")
    expect(_row(pg, "emp_youth_employment_rate")).to_contain_text("Public Health Scotland, ScotPHO profiles")
    # the trend chart draws the publisher's imputed and projected values apart from its observations
    graph = f"#{ids.TREND_GRAPH} .js-plotly-plot"
    pg.wait_for_function(f"() => (document.querySelector('{graph}') || {{}}).data")
    names = pg.evaluate(f"() => document.querySelector('{graph}').data.map(t => t.name)")
    assert {"Fife: imputed by the publisher", "Fife: projected by the publisher"} <= set(names)
    expect(pg.locator(f"#{ids.TREND_GRAPH}")).to_contain_text("projected by the publisher")
    _assert_clean(pg, watch)


def test_phone_width_quick_profile_stacks_the_published_figure(page: tuple[Page, Any], real_url: str) -> None:
    pg, watch = page
    pg.set_viewport_size({"width": 390, "height": 900})
    pg.goto(f"{real_url}/profile?area_type=council&area={FIFE}")
    value = _row(pg, CP).locator("td[data-label='Value']")
    expect(value).to_contain_text("23.2%")
    box = value.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390  # nothing runs off a phone screen
    _assert_clean(pg, watch)


@pytest.mark.parametrize(("area_type", "area", "value", "words"), [
    ("ward", WARD, "9.7%", "Estimated: 9 of 20 data zones withheld at source"),
    ("hsc_locality", LOCALITY, "21.3%", "Estimated: 1 of 80 data zones withheld at source"),
    ("intermediate_zone", IZ, "35.2%", CPOP_SEP_2023),
    ("datazone", DATAZONE, "24.3%", "Improvement Service, CPOP August 2022"),
])
def test_areas_below_the_council(page: tuple[Page, Any], real_url: str, area_type: str, area: str, value: str,
                                 words: str) -> None:
    pg, watch = page
    pg.goto(f"{real_url}/profile?area_type={area_type}&area={area}")
    row = _row(pg, CP)
    expect(row).to_contain_text(value)
    expect(row).to_contain_text(words)
    if area_type == "intermediate_zone":
        expect(row).to_contain_text("revised")  # the September 2023 release revised August 2022's figure
    if area_type in ("ward", "hsc_locality"):
        expect(row).to_contain_text("estimated")
    # council-only indicators are not offered, and the page says why in plain words
    expect(pg.locator(f"#{ids.QP_MISSING}")).to_contain_text("council areas (CPPs)")
    expect(_row(pg, "econ_business_survival")).to_have_count(0)
    _assert_clean(pg, watch)


def test_a_council_only_indicator_asked_for_a_ward_says_why(page: tuple[Page, Any], real_url: str) -> None:
    pg, watch = page
    pg.goto(f"{real_url}/area?area_type=ward&area={WARD}&theme=early_years&indicator=ey_healthy_birthweight")
    expect(pg.locator(f"#{ids.PROFILE_NOTICE}")).to_contain_text(
        "published for council areas (CPPs) and Scotland only: showing Fife")
    _assert_clean(pg, watch)


def test_explorer_lists_publisher_releases_and_geographies(page: tuple[Page, Any], real_url: str) -> None:
    pg, watch = page
    pg.goto(f"{real_url}/explorer?q=low-income")
    card = pg.locator(f"[data-indicator='{CP}']")
    card.get_by_text("Definition, source and method").click()
    expect(card.get_by_text("Improvement Service (CPOP)", exact=False).first).to_be_visible()
    expect(card).to_contain_text("Improvement Service (CPOP)")
    expect(card).to_contain_text("Improvement Service, CPOP August 2022 (data zone workbook, shown)")
    expect(card).to_contain_text("Imputed by the publisher: 2010/11 to 2013/14")
    expect(card).to_contain_text("computed by cpop from summed counts for multi-member wards")
    _assert_clean(pg, watch)


def test_dashboard_of_fife_its_locality_and_an_hscp_locality(page: tuple[Page, Any], real_url: str) -> None:
    pg, watch = page
    pg.goto(f"{real_url}/dashboard?council={FIFE}")
    expect(pg.locator(f"#{ids.RAG_EXCEPTIONS}")).to_contain_text("CPOP rating red (Worse than Scotland")
    expect(pg.locator(f"#{ids.RAG_EXCEPTIONS}")).to_contain_text("why they can differ")
    # Fife has localities of its own (its strategic areas) ...
    pg.goto(f"{real_url}/dashboard?council={FIFE}&area=S12000047-kirkcaldy&area_type=datazone")
    expect(pg.locator(f"#{ids.RAG_HEADING}")).to_have_text("Kirkcaldy (locality in Fife): data zones")
    expect(pg.locator(f"#{ids.RAG_MATRIX} table")).to_contain_text("Child poverty")
    # ... Glasgow has none: its HSCP localities stand in
    pg.goto(f"{real_url}/dashboard?council=S12000049&area=S99000056&area_type=datazone")
    expect(pg.locator(f"#{ids.RAG_HEADING}")).to_have_text("Glasgow North East (HSCP locality in Glasgow City): "
                                                           "data zones")
    expect(pg.locator(f"#{ids.RAG_MATRIX} table")).to_contain_text("Child poverty")
    _assert_clean(pg, watch)


def test_tables_label_value_types_and_sources(page: tuple[Page, Any], real_url: str) -> None:
    pg, watch = page
    pg.goto(f"{real_url}/tables?indicators={CP}&area_type=council&council={FIFE}")
    expect(pg.locator(f"#{ids.TABLES_STATUS}")).to_contain_text("15 rows")
    expect(pg.locator(f"#{ids.TABLES_GRID} .ag-center-cols-container .ag-row").first).to_be_visible()
    with pg.expect_download() as info:
        pg.click(f"#{ids.TABLES_CSV}")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert not text.startswith("#")  # no demo line on real data
    rows = {r["Period"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["2010/11"]["Value type"] == "imputed by the publisher"
    assert rows["2021/22"]["Value type"] == "observed" and rows["2021/22"]["Source"] == CPOP_SEP_2023
    assert rows["2024/25"]["Value type"] == "projected by the publisher"
    assert float(rows["2021/22"]["Value"]) == pytest.approx(23.23, abs=0.01)
    _assert_clean(pg, watch)


def test_a_user_made_area_in_fife(page: tuple[Page, Any], real_url: str) -> None:
    """Pasting an intermediate zone's code makes an area of its data zones; its values are computed by
    cpop from the publishers' counts and the page lists what a user-made area cannot have, and why."""
    pg, watch = page
    pg.goto(f"{real_url}/areas")
    pg.fill(f"#{ids.MY_CODES}", IZ)
    pg.press(f"#{ids.MY_CODES}", "Tab")
    profile = pg.locator(f"#{ids.MY_PROFILE}")
    expect(profile).to_contain_text("data zones, population")
    expect(profile).to_contain_text("computed by cpop from Improvement Service CPOP counts (August 2022)")
    expect(profile).to_contain_text("Not available for a user-made area: ")
    expect(profile).to_contain_text("published for council areas (CPPs) and Scotland only")
    _assert_clean(pg, watch)
