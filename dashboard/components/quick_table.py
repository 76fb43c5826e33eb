"""The Quick Profile table: one card per SOA priority, one row per indicator.

Why: the whole profile on one page, every verdict in words with a symbol (never colour
alone), a sparkline with alt text, the deprivation-gap verdict and the data's as-of date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.components.glossary_text import glossary_text
from dashboard.components.indicator_card import ci_cell, trend_badge
from dashboard.components.local_badge import local_badge
from dashboard.components.provenance import cpop_cell, value_cell, why_they_differ
from dashboard.formatting import MISSING_TEXT
from dashboard.logic.quick_profile import COMPARATORS, QuickRow, sparkline_alt, sparkline_src
from dashboard.logic.symbols import comparison_symbol

VERDICT_BADGES = {v: (f"{comparison_symbol(v)} {v}", colour)
                  for v, colour in (("better", "primary"), ("similar", "secondary"), ("worse", "danger"))}


def verdict_badge(verdict: str) -> html.Span | dbc.Badge:
    """'✔ better' / '≈ similar' / '✖ worse' badges; anything else as plain muted text."""
    if verdict in VERDICT_BADGES:
        text, colour = VERDICT_BADGES[verdict]
        return dbc.Badge(text, color=colour, className="cpop-badge")
    return html.Span(verdict, className="small text-muted")


def comparator_cell(q: QuickRow, comparator: str, heading: str = "") -> Any:
    """The verdict badge; a figure published without an interval cannot be tested, so the cell gives
    the comparator's value for the same period instead ('Scotland 20.8%, not tested: no interval published')."""
    verdict = q.verdicts.get(comparator, "–")
    r = q.latest
    if verdict in VERDICT_BADGES or r.has_interval or r.is_suppressed:
        return verdict_badge(verdict)
    value = {"scotland": r.scotland, "council": r.council}.get(comparator, MISSING_TEXT)
    name = heading.removeprefix("vs ").strip() or COMPARATOR_WORDS[comparator]
    known = [html.Div(f"{name} {value}", className="small")] if value != MISSING_TEXT else []
    return html.Div([*known, html.Div(NOT_TESTED, className="small text-muted")])


COMPARATOR_WORDS = {"scotland": "Scotland", "council": "Council", "family_group": "Family group"}
NOT_TESTED = "not tested (no interval)"
CI_NONE = "none published"


def _row(q: QuickRow, comparators: Sequence[str], labels: Sequence[str], with_cpop: bool,
         headings: Mapping[str, str]) -> html.Tr:
    """One indicator; each cell carries its column's heading as ``data-label`` (shown beside the
    cell when a phone-width screen stacks the row, see app.css)."""
    r = q.latest
    label = iter(labels)

    def cell(children: Any, **kwargs: Any) -> html.Td:
        # one child, so a phone-width row (a flex line of heading and content) keeps the parts stacked
        content = html.Div(children) if isinstance(children, list) else children
        return html.Td(content, **{"data-label": next(label)}, **kwargs)

    ci = r.ci if r.has_interval or r.ci != MISSING_TEXT else CI_NONE
    trend = html.Div(trend_badge(r.trend), title=r.trend_reason or None)
    return html.Tr([
        html.Th([r.title, local_badge(q.local, block=True), html.Div(r.polarity_text, className="small text-muted")],
                scope="row"),
        cell(r.period),
        cell(value_cell(r)),
        ci_cell(ci, **{"data-label": next(label), "className": None if r.has_interval else "small text-muted"}),
        *[cell(comparator_cell(q, c, headings.get(c, ""))) for c in comparators],
        cell([html.Img(src=sparkline_src(q.series), alt=sparkline_alt(r.title, q.series, q.periods),
                       width=96, height=28, className="d-block"), trend]),
        *([cell(cpop_cell(r.cpop))] if with_cpop else []),
        cell(q.gap, className="small"),
        cell([html.Div(r.source, className="cpop-source"), html.Div(r.updated)] if r.source else r.as_of,
             className="small text-muted"),
    ], **{"data-indicator": r.indicator_id})


def _heading(text: str) -> list[str | html.Div]:
    """'vs Auchenfudge' as 'vs' over the name, so a long name wraps whole in a narrow column.

    No glossary buttons here: at phone width the header row is visually hidden (each cell shows its
    heading as ``data-label``), and a focusable button nobody can see would be a hidden tab stop. The
    value key above the tables opens the same terms."""
    first, _, rest = text.partition(" ")
    return [first, html.Div(rest, className="small fw-normal")] if first == "vs" and len(rest) > 9 else [text]


CPOP_HEADING = "CPOP rating (Improvement Service)"


def quick_card(label: str, rows: Sequence[QuickRow], headings: Mapping[str, str],
               gap_heading: str = "Deprivation gap", with_cpop: bool = False) -> dbc.Card:
    """One priority's table; the comparator columns are those in ``headings`` (see comparator_names);
    ``with_cpop`` adds the Improvement Service's own rating and improvement rate (councils)."""
    comparators = [c for c in COMPARATORS if c in headings]
    labels = ["Latest period", "Value", "95% CI", *[headings[c] for c in comparators], "Trend (last 5 periods)",
              *([CPOP_HEADING] if with_cpop else []), gap_heading, "Source"]
    widths = ["cpop-col-period", "cpop-col-value", "cpop-col-ci", *["cpop-col-comparator"] * len(comparators),
              "cpop-col-trend",
              *(["cpop-col-cpop"] if with_cpop else []), "cpop-col-gap", "cpop-col-source"]
    # fixed layout: named columns get room for their words (app.css)
    header = html.Thead(html.Tr([html.Th("Indicator", scope="col"),
                                 *[html.Th(_heading(text), scope="col", className=width or None,
                                           title=why_they_differ() if text == CPOP_HEADING else None)
                                   for text, width in zip(labels, widths, strict=True)]]))
    body = html.Tbody([_row(r, comparators, labels, with_cpop, headings) for r in rows])
    table = html.Div(dbc.Table([header, body], size="sm",
                               hover=True, className="mb-0 cpop-latest" + (" cpop-with-cpop" if with_cpop else "")),
                     className="table-responsive", tabIndex="0", role="region", **{"aria-label": f"{label} indicators"})
    return dbc.Card([dbc.CardHeader(html.H3(label, className="h6 mb-0")), dbc.CardBody(table, className="p-2")],
                    className="mb-3")


def quick_view(groups: Sequence[tuple[str, Sequence[QuickRow]]], headings: Mapping[str, str],
               notes: Sequence[str] = (), gap_heading: str = "Deprivation gap", *, with_cpop: bool = False,
               missing: Sequence[tuple[str, str]] = ()) -> html.Div:
    """All priority cards (or a message), with notes on missing statistics marts first, a key to the value
    labels and (``with_cpop``) why CPOP's rating and cpop's verdict can differ; then the indicators the
    area has no value for, each with its reason (``missing``: (title, reason) pairs)."""
    absent = missing_card(missing)
    if not groups:
        return html.Div([dbc.Alert("No indicator values for this area.", color="info"), absent])
    alerts = [dbc.Alert(n, color="light", className="small py-1") for n in notes]
    key = [value_key(groups)]
    if with_cpop:
        key.append(html.Details([html.Summary("CPOP rating beside cpop's trend verdict: why they can differ"),
                                 html.P(why_they_differ(), className="small mb-0")], className="small mb-2",
                                id=ids.QP_WHY_DIFFER))
    cards = [quick_card(label, rows, headings, gap_heading, with_cpop) for label, rows in groups]
    return html.Div([*alerts, *key, *cards, absent])


def value_key(groups: Sequence[tuple[str, Sequence[QuickRow]]]) -> html.P:
    """One line saying how to read the values: where they come from and what their labels mean."""
    rows = [q.latest for _, qs in groups for q in qs]
    parts = ["Values are the publisher's own figures where it publishes them for this area, with the publisher "
             "and release under Source; other areas are computed by cpop from summed counts. 95% CI is the 95% "
             "confidence interval; better, similar or worse compare the value with Scotland, the council or the family "
             "group; the trend is the statistical trend over the last five periods; the deprivation gap is between "
             "the most and least deprived fifths."]
    if any("estimated" in r.labels for r in rows):
        parts.append("'Estimated': some data zones were withheld at source, so the figure is estimated within "
                     "known bounds and its interval widened.")
    if any(not r.has_interval for r in rows):
        parts.append("A figure published without an interval cannot be tested against Scotland or for a trend.")
    return html.P(glossary_text(" ".join(parts), "value-key"), className="small text-muted mb-2")


def missing_card(missing: Sequence[tuple[str, str]]) -> Any:
    """The indicators with no value for the area, grouped by why ('Published for council areas (CPPs) and
    Scotland only: Business survival, Carbon emissions …')."""
    if not missing:
        return None
    by_reason: dict[str, list[str]] = {}
    for title, reason in missing:
        by_reason.setdefault(reason, []).append(title)
    return dbc.Card([
        dbc.CardHeader(html.H3("Not available for this area", className="h6 mb-0")),
        dbc.CardBody(html.Ul([html.Li([html.Span(reason[:1].upper() + reason[1:] + ": ", className="fw-semibold"),
                                       ", ".join(titles) + "."]) for reason, titles in by_reason.items()],
                             className="small mb-0")),
    ], className="mb-3", id=ids.QP_MISSING)
