"""Keyboard-only driving and focus measurement for the accessibility journeys (issue 18).

Why: "works with a keyboard" is only testable as numbers: which element has focus after each key,
whether its focus outline is visible (at least 2 px, and at least 3:1 against what surrounds it,
WCAG 1.4.11 / 2.4.7), and how many key presses a journey needs. These helpers press real keys
(Playwright's keyboard; never the mouse) and read the focused element's computed style.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
MIN_CONTRAST = 3.0

# The focused element, its outline and the colour the outline is drawn against: the element's own
# background when the outline is drawn inside it (negative offset), else its surroundings'.
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const offset = parseFloat(style.outlineOffset) || 0;
  const opaque = (node) => {
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      const m = bg.match(/rgba?\\(([^)]+)\\)/);
      if (m) { const p = m[1].split(',').map(Number); if (p.length < 4 || p[3] > 0.5) return bg; }
    }
    return 'rgb(255, 255, 255)';
  };
  return {
    tag: el.tagName, id: el.id, role: el.getAttribute('role') || '', type: el.type || '',
    name: (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 80),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    against: opaque(offset < 0 ? el : el.parentElement),
    column: el.getAttribute('col-id') || '',
    inGrid: !!el.closest('.ag-root'),  // the grid's headers and cells, not its pagination
  };
}"""


@dataclass(frozen=True)
class Focus:
    """What has keyboard focus and how its outline looks."""

    tag: str
    id: str
    role: str
    type: str
    name: str
    outline_style: str
    outline_width: float
    outline_color: str
    against: str
    in_grid: bool
    column: str = ""  # a grid cell's column id

    @property
    def contrast(self) -> float:
        """The outline colour's contrast ratio against the colour it is drawn on."""
        return contrast_ratio(self.outline_color, self.against)

    def visible(self) -> bool:
        """A solid outline of 2 px or more at 3:1 or better."""
        return self.outline_style not in ("none", "hidden") and self.outline_width >= 2 \
            and self.contrast >= MIN_CONTRAST


def _rgb(colour: str) -> tuple[float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", colour)[:3]]
    if colour.startswith("color(srgb"):
        numbers = [n * 255 for n in numbers]
    return numbers[0], numbers[1], numbers[2]


def luminance(colour: str) -> float:
    """WCAG relative luminance of a CSS rgb()/rgba()/color(srgb …) colour."""
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio (1 to 21) of two colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def focus(page: Page) -> Focus | None:
    """The element with keyboard focus (None when focus is on the page itself)."""
    raw = page.evaluate(FOCUS_JS)
    if raw is None:
        return None
    return Focus(raw["tag"], raw["id"], raw["role"], raw["type"], raw["name"], raw["outlineStyle"],
                 raw["outlineWidth"], raw["outlineColor"], raw["against"], raw["inGrid"], raw["column"])


def assert_focus_visible(page: Page) -> Focus:
    """The focused element, after checking its focus outline can be seen (2 px, 3:1)."""
    now = focus(page)
    assert now is not None, "focus was lost to the page"
    assert now.visible(), f"focus outline too weak on {now}: contrast {now.contrast:.2f}"
    return now


class Keys:
    """Presses keys one at a time and counts them, checking focus is visible after each move."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def press(self, key: str, times: int = 1) -> Focus | None:
        """Press ``key`` ``times`` times; the focus afterwards."""
        for _ in range(times):
            self.page.keyboard.press(key)
            self.count += 1
        return focus(self.page)

    def type(self, text: str) -> None:
        """Type ``text`` (each character is a key press)."""
        self.page.keyboard.type(text, delay=60)
        self.count += len(text)

    def until(self, wanted: Callable[[Focus], bool], *, limit: int, key: str = "Tab") -> Focus:
        """Press ``key`` until the focused element is ``wanted``, at most ``limit`` times, checking
        every stop on the way has a visible focus outline; the element reached."""
        for _ in range(limit):
            self.page.keyboard.press(key)
            self.count += 1
            now = assert_focus_visible(self.page)
            if wanted(now):
                return now
        raise AssertionError(f"not reached within {limit} presses of {key}; focus is on {focus(self.page)}")

    def skip_to_main(self) -> None:
        """From a freshly loaded page: Tab to the skip link (the first stop) and follow it."""
        first = self.press("Tab")
        assert first is not None and first.name == "Skip to main content", first
        assert_focus_visible(self.page)
        self.press("Enter")
        self.page.wait_for_function("document.activeElement && document.activeElement.tagName === 'MAIN'")


def by_id(component_id: str) -> Callable[[Focus], bool]:
    """Matches the element with this id."""
    return lambda f: f.id == component_id


def by_name(name: str) -> Callable[[Focus], bool]:
    """Matches the element whose accessible text starts with ``name``."""
    return lambda f: f.name.startswith(name)


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))")
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in result if v["impact"] in ("serious", "critical")]


BACKGROUND_JS = """(selector) => {
  let node = typeof selector === 'string' ? document.querySelector(selector) : document.activeElement;
  for (; node && node.nodeType === 1; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    const m = bg.match(/rgba?\\(([^)]+)\\)/);
    if (m) { const p = m[1].split(',').map(Number); if (p.length < 4 || p[3] > 0.5) return bg; }
  }
  return 'rgb(255, 255, 255)';
}"""


def background(page: Page, selector: str | None = None) -> str:
    """The colour an element is seen on: its own or its nearest opaque ancestor's background
    (``selector``'s first match, else the focused element)."""
    return str(page.evaluate(BACKGROUND_JS, selector))


def wait_focus_within(page: Page, selector: str) -> None:
    """Wait (30 s bound) until focus is on or inside an element matching ``selector``: a list opened by
    a key press takes its focus a frame or a server round trip later."""
    page.wait_for_function("(s) => !!(document.activeElement && document.activeElement.closest(s))", arg=selector)


def wait_settled(page: Page) -> None:
    """The page has its h1 and no Dash callback is pending.

    ``networkidle`` alone is not enough: once the page has loaded, Playwright reports it at once,
    even while a callback started by a key press is in flight (a late search answer re-ordered a
    list under the arrow keys and cost a journey an extra press on a busy machine). Dash's renderer
    shows ``div._dash-loading-callback`` while any callback is pending: wait for it to go.
    """
    page.wait_for_selector("h1")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.querySelector('._dash-loading-callback') === null")
