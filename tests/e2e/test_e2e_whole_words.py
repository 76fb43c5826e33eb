"""No word is broken across two lines on the profile pages (issue 13, finding 8: "suppresse d").

Why a browser test: whether a word breaks depends on the column widths the browser lays out,
and the table cells allow a break anywhere (``overflow-wrap: anywhere``) so that a long code or
URL never widens the page. Named column widths keep ordinary words whole; without them the
council's Quick profile breaks 'Improvement' in its CPOP column at 1366 px. The check measures
every word of at least four letters in visible text: a word whose pieces sit on more than one
line is broken (hyphenated words may wrap at their hyphen and are checked piece by piece).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from keyboard_driver import wait_settled

from tests.fixtures.warehouse_sql import read_rows

pytestmark = pytest.mark.e2e

BROKEN_WORDS = """() => {
  const hidden = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      if (e.getBoundingClientRect().width < 3) return true;  // visually hidden (e.g. a phone's table head)
    }
    return false;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('svg, script, style, .js-plotly-plot') || !el.offsetParent || hidden(el)) continue;
    const words = /[A-Za-z][A-Za-z'\u2019]{3,}/g;
    for (let m = words.exec(node.textContent); m; m = words.exec(node.textContent)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) out.push(`${m[0]} (in ${el.tagName.toLowerCase()}.${el.className})`);
    }
  }
  return out;
}"""


def _pages(warehouse: Path) -> list[str]:
    """A council's Quick profile (the widest table, with CPOP's columns), and the Quick and Area
    profiles of the ward and the data zone with the most withheld values (most 'suppressed')."""
    council = read_rows(warehouse, "SELECT min(area_code) FROM marts.areas WHERE area_type = 'council'")[0][0]
    paths = [f"/profile?area_type=council&area={council}"]
    for area_type in ("ward", "datazone"):
        code, indicator = read_rows(warehouse, """
            SELECT area_code, min(indicator_id) FROM marts.indicator_values WHERE area_type = ? AND is_suppressed
            GROUP BY area_code ORDER BY count(*) DESC, area_code LIMIT 1""", [area_type])[0]
        paths += [f"/profile?area_type={area_type}&area={code}",
                  f"/area?area_type={area_type}&area={code}&indicator={indicator}"]
    return paths


@pytest.mark.parametrize("width", [1366, 390])
def test_no_word_is_broken_across_lines(browser: Any, app_url: str, e2e_warehouse: Path, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        pg = context.new_page()
        broken: dict[str, list[str]] = {}
        for path in _pages(e2e_warehouse):
            pg.goto(app_url + path)
            wait_settled(pg)
            pg.wait_for_selector("main table, main .js-plotly-plot")
            if found := pg.evaluate(BROKEN_WORDS):
                broken[path] = found
        assert broken == {}, f"words broken across lines at {width} px: {broken}"
    finally:
        context.close()
