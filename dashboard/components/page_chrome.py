"""The accessibility parts of every page's shell: a skip link first, a footer naming the statement.

Why: WCAG 2.4.1 (bypass blocks) asks for a way past the nine menu links to the content, and the
Public Sector Bodies Accessibility Regulations ask for an accessibility statement reachable from
every page. Kept apart from ``dashboard/app.py`` so the shell itself changes by two lines.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids

STATEMENT_PATH = "/accessibility"


def skip_link() -> html.A:
    """"Skip to main content": visually hidden until focused, the first Tab stop of every page."""
    return html.A("Skip to main content", href=f"#{ids.MAIN}", id=ids.SKIP_LINK,
                  className="visually-hidden-focusable cpop-skip-link")


def site_footer() -> html.Footer:
    """The footer of every page: a link to the accessibility statement."""
    return html.Footer(
        html.Div(dcc.Link("Accessibility statement", href=STATEMENT_PATH, id=ids.FOOTER_ACCESSIBILITY),
                 className="container-lg py-3 small"),
        id=ids.SITE_FOOTER, className="border-top mt-4 cpop-site-footer")
