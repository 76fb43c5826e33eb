"""Accessibility statement (path "/accessibility"), linked from every page's footer.

Why: the Public Sector Bodies Accessibility Regulations 2018 require one, in the government's
model format: what meets WCAG 2.2 AA, the known exceptions, how to report a problem and when it
was last tested. The text is ``docs/accessibility-statement.md`` (one source, reviewed like the
code); the contact is the publisher's own (``CPOP_ACCESSIBILITY_CONTACT``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.data.context import get_accessibility_contact

dash.register_page(__name__, path="/accessibility", name="Accessibility statement", order=98,
                   title="cpop – accessibility statement", in_navbar=False)

STATEMENT = Path(__file__).resolve().parents[2] / "docs" / "accessibility-statement.md"
NO_CONTACT = ("This site's publisher has not yet named a contact for accessibility problems: tell the team that gave "
              "you this site's address. (Publishers: set CPOP_ACCESSIBILITY_CONTACT to an email address or web page; "
              "see docs/accessibility.md.)")


def contact_sentence(contact: str) -> str:
    """How to report a problem: the publisher's contact when set, else who to ask and how to set it."""
    contact = contact.strip()
    if not contact:
        return NO_CONTACT
    return f"Report an accessibility problem, or ask for information in another format, at {contact}."


SPLIT_BEFORE = "## Enforcement procedure"  # the contact goes at the end of "Feedback and contact information"


def layout(**_: Any) -> dbc.Container:
    before, marker, after = STATEMENT.read_text(encoding="utf-8").partition(SPLIT_BEFORE)
    return dbc.Container([
        html.H1("Accessibility statement for cpop", className="h3"),
        dcc.Markdown(before, className="cpop-statement"),
        html.H3("Reporting accessibility problems with this website", className="h5"),
        html.P(contact_sentence(get_accessibility_contact()), id=ids.ACCESSIBILITY_CONTACT),
        dcc.Markdown(marker + after, className="cpop-statement"),
    ], fluid="lg")
