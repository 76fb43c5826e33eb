"""The glossary: one entry per statistical term, found in captions, opened by a real button.

``jargon`` finds statistical terms without the glossary's help (a list of the product's jargon and
every capitalised abbreviation), so a caption that starts using a new term fails here until the
glossary defines it. The Area profile's rendered captions are checked on the demo in
tests/integration/test_area_profile_demo_charts.py with the same helper.
"""

from __future__ import annotations

import re

import pandas as pd
from dash import html

from dashboard.components.area_profile_view import HOW_TO_READ
from dashboard.components.glossary_text import glossary_text
from dashboard.glossary import BY_SLUG, GLOSSARY, find_terms
from dashboard.logic import captions

#: the statistical vocabulary of cpop's captions, written independently of the glossary
STATISTICAL = re.compile(
    r"confidence intervals?|\binterval\b|significant\w*|slope index|relative index|Duncan index|quintiles?|deciles?|"
    r"\bfifths?\b|rolling averages?|age[- ]standardised|crude rates?|z-scores?|trajectory|projected|projection|"
    r"suppressed|withheld|percentage points|intermediate zones?|per 100,000|per head|quadrants?|quarters|"
    r"imputed|family groups?|baseline|improvement rates?|on track|off track|at risk|council-wide", re.IGNORECASE)
ABBREVIATION = re.compile(r"\b[A-Z]{2,}\b")
NOT_STATISTICAL = {"CPP", "CPPs", "CPOP", "NHS", "PDF", "XLSX", "CSV", "SOA", "UK", "IS",
                   # file formats and sizes
                   "PNG", "SVG", "KB", "MB", "GB",
                   # publishers and their sources, named as such
                   "NRS", "PHS", "ONS", "DWP", "HMRC", "ASHE", "SCQF", "LGBF", "SG", "SMR"}


def jargon(text: str) -> list[tuple[int, int, str]]:
    """Every statistical term or abbreviation in ``text``: (start, end, words)."""
    hits = [(m.start(), m.end(), m.group(0)) for m in STATISTICAL.finditer(text)]
    hits += [(m.start(), m.end(), m.group(0)) for m in ABBREVIATION.finditer(text)
             if m.group(0) not in NOT_STATISTICAL]
    return hits


def undefined(text: str) -> list[str]:
    """The jargon of ``text`` that no glossary term covers."""
    covered = find_terms(text)
    return [words for start, end, words in jargon(text)
            if not any(s <= start and end <= e or (s < end and start < e) for s, e, _ in covered)]


def test_every_entry_is_distinct_and_defined() -> None:
    assert len(BY_SLUG) == len(GLOSSARY)
    spellings = [s.lower() for t in GLOSSARY for s in t.spellings]
    assert len(spellings) == len(set(spellings))
    assert all(t.definition.endswith(".") and len(t.definition) > 60 for t in GLOSSARY)


def test_terms_are_found_longest_first_and_abbreviations_only_in_capitals() -> None:
    text = "The 95% confidence interval of the SII; a social idea (sii) is not one."
    assert [(text[s:e], slug) for s, e, slug in find_terms(text)] == [
        ("95% confidence interval", "confidence-interval"), ("SII", "sii")]
    assert find_terms("specific cities") == []


def test_each_terms_first_occurrence_is_one_button_carrying_its_definition() -> None:
    parts = glossary_text("The SII is modelled; the SII is in units. Duncan index 0.2.", "sii-caption")
    assert parts[0] == "The " and parts[2] == " is modelled; the SII is in units. "
    button = parts[1]
    assert isinstance(button, html.Button) and button.type == "button" and button.children == "SII"
    props = button.to_plotly_json()["props"]
    # one component per term (assets/glossary_popover.js draws the popover from these)
    assert props["data-glossary"] == "sii" and props["aria-expanded"] == "false"
    assert props["data-glossary-term"] == "Slope index of inequality (SII)"
    assert props["data-glossary-definition"] == BY_SLUG["sii"].definition
    assert parts[3].id != button.id and parts[3].to_plotly_json()["props"]["data-glossary"] == "duncan-index"
    assert glossary_text("Nothing to explain here.", "x") == ["Nothing to explain here."]


def test_the_how_to_read_notes_use_only_defined_terms() -> None:
    assert {key: undefined(text) for key, text in HOW_TO_READ.items() if undefined(text)} == {}


def test_the_captions_use_only_defined_terms() -> None:
    series = pd.DataFrame({"period_label": ["2021/22"], "sii": [3.2], "duncan_index": [0.21],
                           "best_iz_value": [1.0], "worst_iz_value": [9.0], "best_iz_name": ["A"],
                           "worst_iz_name": ["B"]})
    groups = pd.DataFrame({"absolute_gap": [4.0], "gap_verdict": ["widening"]})
    texts = [
        captions.trend_caption("Fife", "Early deaths, age-standardised rate", {"trend_verdict": "improving"}),
        captions.trend_caption("Fife", "Early deaths", {"trend_verdict": "no significant change"}),
        captions.inequality_caption(groups, "Fife"), captions.inequality_caption(groups, "Fife", national=False),
        captions.sii_caption(series, "Fife"), captions.duncan_caption(series, "Fife"),
        captions.target_caption({"target_value": 1.0, "target_year": 2030, "status": "at risk"}, "%"),
    ]
    assert [u for t in texts if (u := undefined(t))] == []
    assert undefined("The RII and the XYZ index") == ["XYZ"]  # the check can fail
