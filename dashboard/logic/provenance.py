"""Where a figure comes from and what kind of figure it is, in plain words (pure, shared by every surface).

Why: on real data a value is the publisher's own figure (with its release), a figure cpop computed
from summed counts, or an estimate where some data zones were withheld at source; the publisher
labels some of its figures imputed (back-filled before its series began) or projected (its forecast).
A board must see all of that beside the number, and the page, the PDF, the workbook and the CSV
must say it the same way, so the words are made here once (CONVENTIONS 13).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.formatting import format_change
from dashboard.logic.distinct import per_distinct

#: value_type -> how a table labels it (raw values need no label)
VALUE_TYPE_LABELS = {
    "imputed": "imputed by the publisher",
    "projected": "projected by the publisher",
    "modelled": "modelled estimate",
}
#: value_type -> one word for narrow places (chart legends, badges)
VALUE_TYPE_SHORT = {"imputed": "imputed", "projected": "projected", "modelled": "modelled"}
ESTIMATED_LABEL = "estimated"
REVISED_LABEL = "revised"
NO_INTERVAL = "no interval published"

#: The publishers' datasets (marts.indicator_releases.dataset, meta.indicator_mappings.dataset) as people
#: name them: (organisation, product). A dataset not listed keeps its own name, with the indicator's publisher.
DATASETS: dict[str, tuple[str, str]] = {
    "cpop-cpp": ("Improvement Service", "CPOP"),
    "cpop-cpp-app": ("Improvement Service", "CPOP web app"),
    "cpop-igz": ("Improvement Service", "CPOP"),
    "cpop-dz": ("Improvement Service", "CPOP"),
    "cpop-phs": ("Improvement Service", "CPOP"),
    "scotpho-ca": ("Public Health Scotland", "ScotPHO profiles"),
    "scotpho-deprivation": ("Public Health Scotland", "ScotPHO deprivation profiles"),
    "simd-indicators": ("Scottish Government", "SIMD indicator data"),
}
#: What each dataset is, in a few words (the Data Explorer's list of releases)
DATASET_DESCRIPTIONS = {
    "cpop-cpp": "council workbook", "cpop-cpp-app": "web app CSV", "cpop-igz": "intermediate zone workbook",
    "cpop-dz": "data zone workbook", "cpop-phs": "counts and populations workbook",
    "scotpho-ca": "council extract", "scotpho-deprivation": "deprivation file",
    "simd-indicators": "data zone indicators",
}
#: A dataset's prefix when the dataset itself is not listed (a new CPOP workbook, say).
DATASET_PREFIXES: dict[str, tuple[str, str]] = {
    "cpop": ("Improvement Service", "CPOP"),
    "scotpho": ("Public Health Scotland", "ScotPHO"),
    "simd": ("Scottish Government", "SIMD"),
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

#: Why CPOP's improvement rate and rating can disagree with cpop's own trend verdict (a tooltip / a note).
WHY_THEY_DIFFER = (
    "Why they can differ: the Improvement Service's improvement rate is the change from the first value of the "
    "series (imputed values included) to the latest value that is not a projection, and its rating compares "
    "that rate and the level with Scotland's; it has no test of significance. cpop's own trend verdict tests "
    "whether the last five observed (raw) values change by more than chance would explain, so a rate can "
    "look large while the verdict says 'no significant change', or the other way round."
)
#: CPOP's 2x2 rating colour -> (symbol, word); the words carry the meaning, colour only repeats it
CPOP_RATINGS = {
    "green": ("▲", "green"),
    "yellow": ("●", "yellow"),
    "red": ("▼", "red"),
    "black": ("■", "black"),
    "none": ("–", "no rating"),
}

DEMO_BANNER_TITLE = "Fictional demo data."
DEMO_BANNER_TEXT = "The places and figures on this page are invented for demonstration: they are not real Scotland."
DEMO_BANNER = f"{DEMO_BANNER_TITLE} {DEMO_BANNER_TEXT}"
DEMO_LINE = "DEMO DATA: fictional places and figures for demonstration only (not real Scotland)"
DEMO_SHORT = "FICTIONAL DEMO DATA"
#: How an export explains the kinds of value it shows (PDF appendix, workbook notes)
VALUES_EXPLAINED = (
    "Values: where a publisher publishes a figure for an area (the Improvement Service's CPOP, Public Health "
    "Scotland's ScotPHO profiles, ...), that figure is shown exactly as published, with the publisher and release, "
    "and with the value type the publisher gives it: 'imputed by the publisher' (filled in before its series "
    "began) or 'projected by the publisher' (its forecast); only observed values count in cpop's trend verdicts, "
    "and the latest value is the latest one that is not a projection. Areas no publisher publishes are computed "
    "by cpop from summed counts; where some data zones were withheld at source the figure is 'estimated' within "
    "the bounds the publisher states, and its interval widened to cover every value they could take. A figure "
    "published without an interval is given without one and cannot be tested against a comparator. 'Revised': a "
    "newer release changed the figure.")


def is_missing(value: object) -> bool:
    """True for None, NaN, pandas NA and empty text."""
    if value is None or value is pd.NA:  # NA == "" is NA, whose truth value raises
        return True
    if isinstance(value, str):
        return value == ""
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))  # noqa: PLR0124
    except (TypeError, ValueError):
        return True


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value)


def value_type_label(value_type: object) -> str:
    """'imputed by the publisher' / 'projected by the publisher'; '' for a raw (observed) value."""
    return VALUE_TYPE_LABELS.get(_text(value_type), "")


def value_labels(value_type: object = None, value_source: object = None, is_revised: object = False) -> list[str]:
    """Every label a value carries, in reading order: its type, 'estimated', 'revised' (empty for a plain
    observed value). A revised value is one a newer release changed (marts.indicator_releases)."""
    out = [label] if (label := value_type_label(value_type)) else []
    if _text(value_source) == "estimated":
        out.append(ESTIMATED_LABEL)
    if not is_missing(is_revised) and bool(is_revised):
        out.append(REVISED_LABEL)
    return out


def release_words(release: object) -> str:
    """'2023-09' -> 'September 2023'; an edition ('2020v2', '2016') stays as written; '' when unknown."""
    text = _text(release)
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{MONTHS[int(match.group(2)) - 1]} {match.group(1)}"
    return text


def organisation(publisher: object) -> str:
    """The organisation of a meta.indicators.publisher text: 'Improvement Service (CPOP), from DWP…' ->
    'Improvement Service' (what comes before a bracket or ', from')."""
    text = _text(publisher)
    return re.split(r"\s*\(|,\s*from\s", text, maxsplit=1)[0].strip()


def dataset_names(dataset: object, publisher: object = None) -> tuple[str, str]:
    """(organisation, product) of a dataset: ('Improvement Service', 'CPOP'); an unknown dataset is
    named by itself, with the indicator's publisher as its organisation."""
    key = _text(dataset)
    if key in DATASETS:
        return DATASETS[key]
    prefix = key.split("-", 1)[0]
    if prefix in DATASET_PREFIXES and "-" in key:
        return DATASET_PREFIXES[prefix]
    return organisation(publisher), key


def provenance_line(value_source: object, publisher: object = None, dataset: object = None,
                    release: object = None) -> str:
    """Who the figure comes from, in one line.

    * published: 'Improvement Service, CPOP September 2023' (the publisher, its product and release);
    * computed: 'computed by cpop from Improvement Service CPOP counts (August 2022)';
    * estimated: the same, 'estimated by cpop from …' (some data zones were withheld at source).
    """
    org, product = dataset_names(dataset, publisher)
    when = release_words(release)
    source = _text(value_source) or "computed"
    if source == "published":
        named = f"{org}, {product}".strip(", ") if product else org
        return f"{named} {when}".strip() if named else when
    verb = "estimated" if source == "estimated" else "computed"
    what = " ".join(p for p in (org, product) if p) or "the publishers'"
    return f"{verb} by cpop from {what} counts" + (f" ({when})" if when else "")


DatasetKey = tuple[str, str, str | None, str | None]  #: (indicator, value_source, area_type, release)


def dataset_lookup(rows: Iterable[Mapping[str, Any]]) -> dict[DatasetKey, str]:
    """The rows of ``value_datasets.sql`` as a lookup for ``dataset_of``."""
    out: dict[DatasetKey, str] = {}
    for r in rows:
        key = (str(r["indicator_id"]), str(r["value_source"]), _text(r.get("area_type")) or None,
               _text(r.get("release")) or None)
        out[key] = str(r["dataset"])
    return out


def dataset_of(lookup: Mapping[DatasetKey, str], indicator_id: object, area_type: object, value_source: object,
               release: object) -> str | None:
    """The dataset a value comes from: the dataset shown for a published figure of this indicator, area
    type and release; the numerator's dataset for a value computed (or estimated) from counts."""
    if _text(value_source) == "published":
        return lookup.get((str(indicator_id), "published", _text(area_type) or None, _text(release) or None))
    return lookup.get((str(indicator_id), "computed", None, None))


def with_datasets(frame: Any, lookup: Mapping[DatasetKey, str]) -> Any:
    """``frame`` (indicator_id, area_type, value_source, source_release) with a ``dataset`` column."""
    keys = ["indicator_id", "area_type", "value_source", "source_release"]
    out = frame.copy()
    if out.empty or not set(keys) <= set(out.columns):
        out["dataset"] = None
        return out
    out["dataset"] = per_distinct(out, keys, lambda *key: dataset_of(lookup, *key))
    return out


def geography_words(area_types: Iterable[str], labels: Mapping[str, str]) -> str:
    """'councils and Scotland' from area types, in ``labels``' order (plural labels, lower case except
    proper names); types missing from ``labels`` follow, named by their key."""
    present = [t for t in labels if t in set(area_types)]
    present += sorted(t for t in set(area_types) - set(labels))
    words = [label_in_sentence(labels.get(t, t.replace("_", " "))) for t in present]
    if not words:
        return "no area type"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def label_in_sentence(label: str) -> str:
    """'Council areas (CPPs)' -> 'council areas (CPPs)'; 'Scotland' and acronyms ('HSCPs', 'HSCP
    localities') keep their capitals. An acronym is a word whose first two letters are capitals: a
    plural one ('HSCPs') is not ``isupper()``, and lower-casing its first letter made 'hSCPs'."""
    first, _, rest = label.partition(" ")
    if first[:2].isupper() or first in {"Scotland"}:
        return label
    return (first[:1].lower() + first[1:] + (" " + rest if rest else "")).strip()


def published_for(area_types: Iterable[str], labels: Mapping[str, str]) -> str:
    """'published for council areas (CPPs) and Scotland only' (why an area type has no value)."""
    return f"published for {geography_words(area_types, labels)} only"


@dataclass(frozen=True)
class CpopRating:
    """The Improvement Service's own improvement rate and 2x2 rating of one indicator in one area."""

    rating: str  # green / yellow / red / black / none
    words: str
    improvement_rate: float | None
    baseline_period: str
    latest_period: str

    @property
    def symbol(self) -> str:
        return CPOP_RATINGS.get(self.rating, ("–", self.rating))[0]

    @property
    def rating_word(self) -> str:
        return CPOP_RATINGS.get(self.rating, ("–", self.rating))[1]

    @property
    def has_rating(self) -> bool:
        return self.rating not in ("none", "")

    def rate_text(self) -> str:
        """'+74.4 % from 2010/11 to 2021/22' (the raw change of the value, not turned by its direction)."""
        if self.improvement_rate is None:
            return "no improvement rate"
        span = f" from {self.baseline_period} to {self.latest_period}" if self.baseline_period else ""
        return f"{format_change(self.improvement_rate)} %{span}"

    def sentence(self) -> str:
        """'CPOP rating yellow: Worse than Scotland but improving faster; improvement rate +74.4 % from 2010/11
        to 2021/22.'"""
        if not self.has_rating:
            return f"CPOP rating: none ({self.words})." if self.words else "CPOP rating: none."
        return f"CPOP rating {self.rating_word}: {self.words}; improvement rate {self.rate_text()}."


def cpop_rating(row: Mapping[str, Any]) -> CpopRating | None:
    """The CPOP columns of a marts.trend row (cpop_rating, cpop_rating_words, cpop_improvement_rate,
    cpop_baseline_period, cpop_latest_period) as a CpopRating; None when the row has none."""
    rating = _text(row.get("cpop_rating"))
    if not rating:
        return None
    rate = row.get("cpop_improvement_rate")
    return CpopRating(rating, _text(row.get("cpop_rating_words")), None if is_missing(rate) else float(rate),
                      _text(row.get("cpop_baseline_period")), _text(row.get("cpop_latest_period")))


TREND_REASONS = {
    "no interval": "the publisher gives neither counts nor an interval for this figure, so no test of "
                   "significance can be made",
    "few points": "fewer than three observed values",
}


def trend_reason(verdict: object, *, has_interval: bool, has_counts: bool, points: object = None) -> str:
    """Why the trend verdict is 'cannot be calculated', in words ('' for any other verdict)."""
    if _text(verdict) != "cannot be calculated":
        return ""
    if not is_missing(points) and int(float(points)) < 3:  # type: ignore[arg-type]
        return TREND_REASONS["few points"]
    if not has_interval and not has_counts:
        return TREND_REASONS["no interval"]
    return ("the last five periods lack the counts or intervals the test needs, or a value among them is "
            "withheld or missing")


def demo_line(build_info: Mapping[str, Any] | None) -> str | None:
    """The line every export carries when the warehouse is the fictional demo (None on real data)."""
    return DEMO_LINE if build_info and not is_missing(build_info.get("demo")) and bool(build_info.get("demo")) \
        else None


def latest_observed(value_types: Sequence[object]) -> int | None:
    """The index of the latest observed (raw) value, else of the latest value that is not a projection,
    else of the latest value; None when empty. ``value_types`` are in period order.

    Why: the publisher's projections run past its latest observation (CPOP projects child poverty to
    2024/25 from 2021/22), and a value it imputed stands in for one it did not observe; a profile's
    'latest value' is the latest figure the publisher observed (as marts.trend's latest period is).
    """
    if not value_types:
        return None
    kinds = [_text(v) or "raw" for v in value_types]
    for wanted in (lambda k: k == "raw", lambda k: k != "projected"):
        for i in range(len(kinds) - 1, -1, -1):
            if wanted(kinds[i]):
                return i
    return len(kinds) - 1
