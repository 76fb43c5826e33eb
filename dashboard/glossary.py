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
         ("SIMD quintiles", "SIMD quintile", "quintiles", "quintile", "deciles", "decile",
          "most and least deprived fifths", "most and least deprived fifth", "most deprived fifth",
          "least deprived fifth", "fifths", "fifth")),
    Term("simd", "SIMD (Scottish Index of Multiple Deprivation)",
         "The Scottish Government's official ranking of Scotland's 6,976 data zones from most to least "
         "deprived, combining income, employment, health, education, access, crime and housing. It ranks "
         "small areas, not people: not everyone in a deprived area is deprived.",
         ("Scottish Index of Multiple Deprivation", "SIMD")),
    Term("gap", "Deprivation gap (percentage points)",
         "The difference between the most and least deprived fifths' values. For a percentage it is in "
         "percentage points (from 20% to 25% is 5 percentage points). It is narrowing or widening only when "
         "its change over the last five periods is statistically significant.",
         ("deprivation gap", "gaps", "gap")),
    Term("percentage-points", "Percentage points",
         "The difference between two percentages. A rise from 20% to 25% is 5 percentage points (and a "
         "25% rise in relative terms); cpop gives changes and gaps of percentages in percentage points.",
         ("percentage points", "percentage point")),
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
         ("trajectory",)),
    Term("target-status", "Status against target (on track, at risk, off track)",
         "How likely the area is to meet its target, from the projection of its recent trend to the target "
         "year: on track when meeting it is at least four chances in five, off track when missing it is "
         "more likely than meeting it, at risk in between.",
         ("status against target", "target status", "on track", "at risk", "off track")),
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
         ("intermediate zones", "intermediate zone", "IZ")),
    Term("trend", "Statistical trend (improving, worsening)",
         "Whether the latest five values show a steady rise or fall that is unlikely to be chance (tested at "
         "the 95% level, allowing for the area's own year-to-year wobble). Otherwise the verdict is \"no "
         "significant change\"; with fewer than three values it cannot be calculated.",
         ("statistical trend", "trend over the last five periods", "trend (last 5 periods)")),
    Term("rate-per-100k", "Rate per 100,000",
         "The number of events for every 100,000 people (or people of the ages counted), so that areas of "
         "different sizes can be compared: 50 events among 20,000 people is 250 per 100,000.",
         ("per 100,000 population", "per 100,000 people", "per 100,000", "per 100k")),
    Term("imputed", "Imputed and projected values",
         "Values the publisher estimated rather than measured: imputed for years before its series began, "
         "projected (forecast) for years after the latest data. They are drawn with open markers and are "
         "never used to test a trend or a change.",
         ("imputed and projected values", "imputed", "back-filled")),
    Term("estimated", "Estimated value",
         "A figure for an area where some data zones' counts were withheld at source: cpop estimates it "
         "within the bounds the published totals allow, and widens its interval to cover them.",
         ("estimated within known bounds", "'Estimated'")),
    Term("family-group", "Family group",
         "The councils the Local Government Benchmarking Framework groups with this one because their "
         "deprivation is similar. A council is compared with the other councils of its group, their counts "
         "summed and the rate recomputed.",
         ("family groups", "family group")),
    Term("baseline", "Baseline",
         "The starting period a partnership chose to measure change from (for example 2014/15). The change "
         "since the baseline uses observed values only.",
         ("baseline year", "baseline")),
    Term("improvement-rate", "CPOP improvement rate and rating",
         "The Improvement Service's own measures, reproduced exactly: the percentage change from the first "
         "value of its series to the latest (a rise is positive even when it is a worsening), and a colour "
         "crossing whether the level is better than Scotland with whether it improved faster. Neither is a "
         "significance test, so cpop's trend verdict stands beside them.",
         ("improvement rates", "improvement rate", "CPOP rating")),
    Term("rag", "RAG (red, amber, green) rating",
         "cpop's own improvement rating: green when the area's level is better than the comparator's and it "
         "has improved faster since the baseline; red when its level is worse and it has improved more "
         "slowly; amber otherwise. It is not a significance test, so the trend verdict stands beside it.",
         ("improvement RAG", "RAG")),
    Term("spend-per-head", "Spend per head",
         "An area's spend (or staff time) divided by its population, so areas of different sizes can be "
         "compared. The council-wide figure is total spend divided by total population, never an average of "
         "the areas' own figures.",
         ("spend per head", "per head of population", "per head")),
    Term("quadrant", "The four quarters (quadrants) of the spend and need chart",
         "The council-wide spend line and the council's need value divide the chart into four quarters: "
         "higher need with lower spend, higher need with higher spend, and so on. \"Higher\" means strictly "
         "above the council-wide line; an area exactly on a line counts as lower.",
         ("four quarters", "quadrants", "quadrant")),
    Term("council-wide", "Council-wide figure",
         "The figure for the council as a whole: for spend, the total spend of its areas divided by their "
         "total population (not an average of the areas' figures); for need, the council's own published "
         "value.",
         ("council-wide", "council average")),
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
