"""The one glossary of the statistical terms cpop's charts and captions use.

Why: a board member meets "SII", "95% confidence interval" or "Duncan index" in a caption and
should not have to leave the page to learn what it means (issue 13: jargon on screen). Every
caption and section header runs through ``dashboard.components.glossary_text``, which turns each
term found here into a button that opens its definition; a unit test fails when a caption uses a
statistical term that has no entry. Definitions are short and plain, and agree with
docs/methods.md, where the arithmetic is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Term:
    """One glossary entry: its heading, its plain definition and the spellings captions use."""

    slug: str
    term: str
    definition: str
    #: spellings matched in text (case-insensitive unless written in capitals, like "SII")
    spellings: tuple[str, ...]


GLOSSARY: tuple[Term, ...] = (
    Term("confidence-interval", "95% confidence interval",
         "The range within which the true value very probably lies (95 times in 100), given the chance "
         "variation in small numbers. Wide intervals mean an uncertain figure; when two areas' intervals "
         "overlap a lot, their difference may be due to chance.",
         ("95% confidence intervals", "95% confidence interval", "confidence intervals", "confidence interval",
          "95% CI", "CI", "95% interval", "intervals", "interval")),
    Term("significant", "Statistically significant",
         "A difference or change too large to be explained by chance alone (tested at the 95% level). "
         "\"No significant change\" does not mean nothing changed: the change may be too small to tell "
         "apart from chance with these numbers.",
         ("statistically significant", "not significant", "no significant change", "significantly",
          "significant")),
    Term("sii", "Slope index of inequality (SII)",
         "The modelled difference in the outcome between the most and the least deprived ends of the "
         "population, using every deprivation group, not only the two extremes. It is in the indicator's "
         "own units; a positive SII means worse outcomes in more deprived areas.",
         ("slope index of inequality", "SII")),
    Term("rii", "Relative index of inequality (RII)",
         "The slope index of inequality divided by the overall rate: how large the gap across the "
         "deprivation groups is relative to the average, so indicators on different scales can be compared.",
         ("relative index of inequality", "relative index", "RII")),
    Term("duncan-index", "Duncan index",
         "A measure of how unevenly income-deprived people are spread across a council's communities "
         "ranked from worst to best outcome: 0 means no difference; above 0 means income-deprived people "
         "are concentrated in the communities with worse outcomes.",
         ("Duncan index",)),
    Term("simd-quintile", "SIMD quintile (fifth)",
         "The Scottish Index of Multiple Deprivation ranks Scotland's 6,976 data zones from most to least "
         "deprived; a quintile is one fifth of them (a decile one tenth). Quintile 1 is the most deprived fifth.",
         ("SIMD quintiles", "SIMD quintile", "quintiles", "quintile", "deciles", "decile", "SIMD",
          "most and least deprived fifths", "most and least deprived fifth", "most deprived fifth",
          "least deprived fifth", "fifths", "fifth")),
    Term("gap", "Deprivation gap (percentage points)",
         "The difference between the most and least deprived fifths' values. For a percentage it is in "
         "percentage points (from 20% to 25% is 5 percentage points). It is narrowing or widening only when "
         "its change over the last five periods is statistically significant.",
         ("percentage points", "gap")),
    Term("rolling-average", "Rolling average",
         "A value averaged over several consecutive years (for example 2019-2021), published for small "
         "areas to steady figures that would jump about from year to year. Neighbouring periods share years, "
         "so they are not independent.",
         ("rolling averages", "rolling average", "3-year aggregate", "aggregates")),
    Term("age-standardised", "Age-standardised rate",
         "A rate adjusted to what it would be if the area had the same age mix as a standard population "
         "(the European Standard Population), so an older area is not made to look worse only because "
         "its people are older.",
         ("European age-standardised rate", "age-standardised", "age standardised", "EASR")),
    Term("crude-rate", "Crude rate",
         "The number of events divided by the population, with no adjustment for age: what actually "
         "happened in the area.",
         ("crude rates", "crude rate")),
    Term("z-score", "z-score",
         "How far a value is from the average of all areas, in standard deviations. Here positive always "
         "means better. Adding up several z-scores gives one combined measure of outcomes.",
         ("z-scores", "z-score")),
    Term("trajectory", "Trajectory to target",
         "The straight line from the baseline value to the target value in the target year: where the area "
         "would be each year if it moved steadily towards its target.",
         ("trajectory", "on track", "at risk", "off track")),
    Term("projection", "Projection",
         "Where the recent trend (a straight line through the latest five values) says the area will be in "
         "a later year, with a 95% prediction interval. It assumes the recent trend continues.",
         ("projections", "projected", "projection")),
    Term("suppressed", "Suppressed (withheld) value",
         "A value withheld to protect confidentiality because it rests on very small numbers, or because it "
         "could reveal one by subtraction. It is shown as a gap, never as zero.",
         ("suppressed", "withheld")),
    Term("intermediate-zone", "Community (intermediate zone)",
         "One of Scotland's 1,279 intermediate zones, small areas of about 4,000 people built from data "
         "zones; cpop calls them communities.",
         ("intermediate zones", "intermediate zone")),
)
BY_SLUG = {t.slug: t for t in GLOSSARY}


@cache
def term_pattern() -> re.Pattern[str]:
    """One regular expression matching any spelling, longest first, on word boundaries; capitalised
    abbreviations ("SII", "CI") match only in capitals so "ci" inside a word or sentence never does."""
    spellings = sorted(((s, t.slug) for t in GLOSSARY for s in t.spellings), key=lambda p: -len(p[0]))
    parts = []
    for spelling, _slug in spellings:
        body = re.escape(spelling)
        parts.append(body if spelling.isupper() else f"(?i:{body})")
    return re.compile(r"(?<![\w-])(" + "|".join(parts) + r")(?![\w-])")


def slug_for(spelling: str) -> str:
    """The entry a matched spelling belongs to."""
    lowered = spelling.lower()
    for term in GLOSSARY:
        if any(s == spelling if s.isupper() else s.lower() == lowered for s in term.spellings):
            return term.slug
    raise KeyError(spelling)


def find_terms(text: str) -> list[tuple[int, int, str]]:
    """(start, end, slug) of every glossary term in ``text``, in order, not overlapping."""
    return [(m.start(), m.end(), slug_for(m.group(0))) for m in term_pattern().finditer(text)]
