"""Draw the charts a page draws only when scrolled to (``dashboard/components/lazy_graph.py``).

Why: a test that reads or measures every chart of the Area profile must first bring each one
near the window, as a reader scrolling down does; then it waits for plotly to have drawn them all.
"""

from __future__ import annotations

from typing import Any

SLOTS = "[data-lazy-chart]"
ALL_DRAWN = ("() => [...document.querySelectorAll('[data-lazy-chart]')].every(s => s.querySelector('.main-svg'))"
             " && document.querySelector('.dash-graph--pending') === null")


def draw_lazy_charts(pg: Any) -> int:
    """Scroll to each chart still to be drawn, wait until every one is drawn, go back to the top;
    returns how many slots the page has."""
    slots = pg.locator(SLOTS)
    count = slots.count()
    for i in range(count):
        slots.nth(i).scroll_into_view_if_needed()
        pg.wait_for_function("(i) => document.querySelectorAll('[data-lazy-chart]')[i].querySelector('.main-svg')",
                             arg=i)
    pg.wait_for_function(ALL_DRAWN)
    pg.evaluate("() => window.scrollTo(0, 0)")
    return count
