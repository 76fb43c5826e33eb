"""Every page at a laptop's 1366 px and a phone's 390 px: nothing clipped, nothing drawn over a title.

Why (issue 13, finding 8): a review of screenshots found clipped tick labels ("40" read "ł0"), the
plotly toolbar over chart titles and the colour-bar label, a trend legend over "Period" on a phone
and headings cut off. What a browser can measure is checked here, on every page of the registry:

* no sideways scrolling of the page (``scrollWidth <= innerWidth``);
* headings and table headers are not cut (``scrollWidth > clientWidth`` means clipped text), and no
  grid squeezes its column headings to a sliver (a wide table scrolls sideways in its own region);
* no chart's toolbar (``.modebar``) overlaps its title (``.gtitle``) or colour-bar title;
* no legend overlaps an axis title or a tick label, and no two labels written on a chart
  (annotations: "worse" and "better" under the spine chart, say) overlap;
* no tick label runs outside its chart's drawing.

One browser context for the module (resized per width); each page is loaded afresh. The screenshots
go to a temporary folder (printed by ``pytest -s``), and to ``docs/images/layout-*.png`` as well with
``CPOP_DOCS_SCREENSHOTS=1``; look at them too: overlaps inside one SVG text, say, are not measured.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from lazy_charts import draw_lazy_charts
from playwright.sync_api import Page

from etl.warehouse_files import open_pair

pytestmark = pytest.mark.e2e
WIDTHS = (1366, 390)
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
#: pages that are not a place to lay out (no content of their own)
NOT_PAGES = {"/404", "/sign-in"}

#: Every box a check found wrong, as "what: detail" lines (the JS returns [] when the page is right).
LAYOUT_PROBLEMS = r"""() => {
  const out = [];
  const box = el => el.getBoundingClientRect();
  const shown = el => { const r = box(el); return r.width > 0 && r.height > 0; };
  const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const name = el => (el.textContent || '').trim().slice(0, 40);
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) out.push(`page: ${doc.scrollWidth}px wide in ${window.innerWidth}px`);
  document.querySelectorAll('h1, h2, h3, h4, h5, h6, th, .ag-header-cell-text').forEach(el => {
    if (shown(el) && el.scrollWidth > el.clientWidth + 1) out.push(`clipped text: "${name(el)}"`);
  });
  // a grid squeezed to fit a phone leaves its column headings a few pixels wide (or none)
  document.querySelectorAll('.ag-header-cell').forEach(cell => {
    const text = cell.querySelector('.ag-header-cell-text');
    if (shown(cell) && text && name(text) && box(text).width < 24) out.push(`squeezed heading: "${name(text)}"`);
  });
  document.querySelectorAll('.js-plotly-plot').forEach(gd => {
    if (!shown(gd)) return;
    const chart = (gd.querySelector('.gtitle') && name(gd.querySelector('.gtitle'))) || gd.id || 'a chart';
    const svg = box(gd.querySelector('.main-svg'));
    const bar = gd.querySelector('.modebar');
    const titles = [...gd.querySelectorAll('.gtitle, .cbtitle text, .colorbar .cbtitle')].filter(shown);
    if (bar && shown(bar)) titles.forEach(t => {
      if (meets(box(bar), box(t))) out.push(`toolbar over title: ${chart} / "${name(t)}"`);
    });
    const ticks = [...gd.querySelectorAll('.xtick text, .ytick text, .x2tick text, .y2tick text')].filter(shown);
    const axisTitles = [...gd.querySelectorAll('.xtitle, .ytitle, .x2title, .y2title')].filter(shown);
    gd.querySelectorAll('.legend').forEach(legend => {
      const items = [...legend.querySelectorAll('.traces')].filter(shown);
      items.forEach(item => [...axisTitles, ...ticks].forEach(t => {
        if (meets(box(item), box(t))) out.push(`legend over axis text: ${chart} / "${name(item)}" on "${name(t)}"`);
      }));
    });
    const notes = [...gd.querySelectorAll('.annotation-text')].filter(shown);
    gd.querySelectorAll('.legend .traces').forEach(item => notes.forEach(note => {
      if (shown(item) && meets(box(item), box(note))) out.push(`legend over a label: ${chart} / "${name(item)}" on "${name(note)}"`);
    }));
    notes.forEach((a, i) => notes.slice(i + 1).forEach(b => {
      if (meets(box(a), box(b))) out.push(`labels over each other: ${chart} / "${name(a)}" on "${name(b)}"`);
    }));
    ticks.forEach(t => {
      const r = box(t);
      if (r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1 || r.bottom > svg.bottom + 1) {
        out.push(`tick label outside the chart: ${chart} / "${name(t)}"`);
      }
    });
  });
  return out;
}"""

#: Every chart drawn and no callback pending (a chart is drawn when plotly has added its SVG).
SETTLED = """() => document.querySelector('._dash-loading-callback') === null
  && [...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.main-svg') !== null)"""


@pytest.fixture(scope="module")
def council(e2e_warehouse: Path) -> str:
    """The largest council (the one a review would open)."""
    con = open_pair(e2e_warehouse)
    try:
        return str(con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'council' "
                               "ORDER BY datazone_count DESC, area_code LIMIT 1").fetchall()[0][0])
    finally:
        con.close()


def page_paths(council: str) -> list[str]:
    """Every page of the registry, at a council where the page is about an area (so its charts draw)."""
    at_council = {"/": f"?area_type=council&area={council}", "/profile": f"?area_type=council&area={council}",
                  "/area": f"?area_type=council&area={council}", "/dashboard": f"?council={council}",
                  "/tables": f"?indicators=ey_child_poverty&area_type=ward&council={council}"}
    paths = [p["path"] for p in dash.page_registry.values() if p["path"] not in NOT_PAGES]
    return [path + at_council.get(path, "") for path in paths]


@pytest.fixture(scope="module")
def layout_page(browser: Any, app_url: str) -> Iterator[Page]:
    """One browser context and page for the module (``app_url`` first: it fills the page registry)."""
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Where this run's screenshots go (the temporary folder, and docs/images when asked)."""
    out = [tmp_path_factory.mktemp("layout")]
    if os.environ.get("CPOP_DOCS_SCREENSHOTS") == "1":
        out.append(DOCS_IMAGES)
    return out


def _open_on_demand(pg: Page) -> None:
    """Open every part drawn on demand (the Area profile's further inequality measures), so that
    what it draws is laid out and checked too."""
    closed = pg.locator("details[data-on-demand]:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.click()
    if pg.locator("details[data-on-demand]").count():
        pg.wait_for_function("() => [...document.querySelectorAll('details[data-on-demand]')]"
                             ".every(d => d.open && d.querySelector('.js-plotly-plot, .alert, p'))")
        pg.wait_for_function(SETTLED)


def _file_name(path: str, width: int) -> str:
    stem = path.split("?")[0].strip("/").replace("/", "-") or "home"
    return f"layout-{stem}-{width}.png"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_has_nothing_clipped_or_drawn_over_a_title(layout_page: Page, app_url: str, council: str,
                                                              shots: list[Path], width: int) -> None:
    pg = layout_page
    pg.set_viewport_size({"width": width, "height": 900})
    problems: dict[str, list[str]] = {}
    paths = page_paths(council)
    assert {"/", "/profile", "/area", "/explorer", "/about", "/accessibility"} <= {p.split("?")[0] for p in paths}
    for path in paths:
        pg.goto(app_url + path)
        pg.wait_for_selector("h1")
        pg.wait_for_load_state("networkidle")
        pg.wait_for_function(SETTLED)
        _open_on_demand(pg)
        draw_lazy_charts(pg)  # the charts below the first screen, drawn as a reader scrolls to them
        for folder in shots:
            pg.screenshot(path=str(folder / _file_name(path, width)), full_page=True)
        found = pg.evaluate(LAYOUT_PROBLEMS)
        if found:
            problems[path] = found
    print(f"\nscreenshots at {width}px: {shots[0]}")
    assert problems == {}, "\n".join(f"{path}: {line}" for path, lines in problems.items() for line in lines)


def test_dashboard_exception_report_reads_without_scrolling_sideways_on_a_phone(layout_page: Page, app_url: str,
                                                                                  council: str) -> None:
    """At 390 px each row of the exception report (needs attention, going well) is a card of 'heading:
    value' lines: neither table is wider than its region (only the matrix scrolls sideways, in its own)."""
    pg = layout_page
    pg.set_viewport_size({"width": 390, "height": 900})
    pg.goto(f"{app_url}/dashboard?council={council}")
    pg.wait_for_selector(".cpop-exceptions tbody tr")
    pg.wait_for_selector(".cpop-going-well tbody tr")
    pg.wait_for_function(SETTLED)
    wide = pg.evaluate("""() => [...document.querySelectorAll('.cpop-exceptions, .cpop-going-well')]
        .map(t => [t.className, t.parentElement.scrollWidth, t.parentElement.clientWidth])
        .filter(([, scroll, client]) => scroll > client + 1)""")
    assert wide == []
    assert pg.evaluate(LAYOUT_PROBLEMS) == []


#: The matrix's scrolling region reaches its table's far edge (its drawn box is as wide as its table).
MATRIX_SCROLLS_IN_FULL = """() => {
  const region = document.querySelector('#rag-matrix'), table = region.querySelector('table');
  return region.scrollWidth + 1 >= table.getBoundingClientRect().width;
}"""

#: The matrix scrolled to its far end: whether its last column heading can be seen there (the element
#: at the heading's centre is the heading) and lies inside the scrolling region.
LAST_COLUMN_SHOWN = """() => {
  const region = document.querySelector('#rag-matrix');
  region.scrollLeft = region.scrollWidth;
  const heads = region.querySelectorAll('thead th');
  const last = heads[heads.length - 1], box = last.getBoundingClientRect(), frame = region.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {wide: region.scrollWidth > region.clientWidth + 1, seen: last.contains(hit),
          inside: box.right <= frame.right + 1 && box.left >= frame.left - 1, name: last.textContent};
}"""


def test_a_matrix_wider_than_a_phone_scrolls_to_its_last_column(layout_page: Page, app_url: str, council: str) -> None:
    """A large table is drawn only when it nears the window (content-visibility in app.css), which also
    clips its painting to its own box: that box must be as wide as the table, or the columns past the
    window's width would scroll into view blank."""
    pg = layout_page
    pg.set_viewport_size({"width": 390, "height": 900})
    pg.goto(f"{app_url}/dashboard?council={council}&area_type=intermediate_zone")
    pg.wait_for_selector("#rag-matrix thead th")
    pg.wait_for_function(SETTLED)
    pg.locator("#rag-matrix").scroll_into_view_if_needed()
    pg.wait_for_function(MATRIX_SCROLLS_IN_FULL)  # drawn in the frame after it nears the window
    shown = pg.evaluate(LAST_COLUMN_SHOWN)
    assert shown["wide"] and shown["inside"], shown
    assert shown["seen"], f"the matrix's last column ({shown['name']!r}) is scrolled to but not drawn"
