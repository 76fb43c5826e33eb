"""Data Explorer: search the catalogue and the datasets behind the build by keyword and theme."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

import pandas as pd

from dashboard.labels import SOURCE_LABELS, SOURCE_ROLES
from dashboard.logic.provenance import (
    DATASET_DESCRIPTIONS,
    geography_words,
    organisation,
    provenance_line,
    release_words,
)

SEARCH_FIELDS = ("title", "short_title", "definition", "source", "numerator_definition",
                 "denominator_definition", "soa_priority_label", "caveats", "publisher")


def _words(text: str | None) -> list[str]:
    return (text or "").lower().split()


def search_indicators(catalogue: pd.DataFrame, text: str | None, priorities: list[str] | None) -> pd.DataFrame:
    """Indicators whose text contains every word of ``text`` (any case), in the chosen themes."""
    out = catalogue
    if priorities:
        out = out[out.soa_priority.isin(priorities)]
    fields = [f for f in SEARCH_FIELDS if f in out.columns]
    for word in _words(text):
        if out.empty:  # nothing left to match (an empty frame's row-wise join is not a Series)
            break
        haystack = out[fields].fillna("").astype(str).agg(" ".join, axis=1).str.lower()
        out = out[haystack.str.contains(word, regex=False)]
    return out


def as_list(value: Any) -> list[Any]:
    """A DuckDB list cell (a numpy array, a list, or missing) as a plain list."""
    if isinstance(value, str):
        return [value]
    try:
        return list(value)
    except TypeError:  # None, NaN, pd.NA
        return []


def geographies_text(area_types: Any, labels: Mapping[str, str]) -> str:
    """The area types an indicator has data for, in the catalogue's order, with plural labels.

    ``labels`` is ``plural_labels(Queries.area_type_labels())`` (ordered by meta.area_types.sort_order);
    a type missing from it is named by its key, after the known ones.
    """
    present = set(as_list(area_types))
    known = [label for key, label in labels.items() if key in present]
    unknown = sorted(t.replace("_", " ") for t in present - set(labels))
    return ", ".join(known + unknown) or "none"


def map_area_type(area_types: Any, labels: Mapping[str, str]) -> str | None:
    """Where "Open map" goes for an indicator without council values: its largest area type below
    Scotland (``labels`` in meta.area_types order, smallest first), or None."""
    present = set(as_list(area_types)) - {"scotland"}
    return next((t for t in reversed(list(labels)) if t in present), None)


def source_label(source: str) -> str:
    """'statistics_gov_scot' -> 'statistics.gov.scot' (unknown sources as written)."""
    return SOURCE_LABELS.get(source, source)


def _dataset_haystack(row: Mapping[str, Any]) -> str:
    parts = [row["dataset"], row["source"], source_label(row["source"]), SOURCE_ROLES.get(row["source"], ""),
             *as_list(row.get("file_names")), *as_list(row.get("releases")), *as_list(row.get("indicator_titles"))]
    return " ".join(str(p) for p in parts).lower()


def search_datasets(datasets: pd.DataFrame, text: str | None, priorities: Sequence[str] | None) -> pd.DataFrame:
    """Datasets whose name, source, files or indicators contain every word of ``text`` (any case).

    With themes chosen, only datasets used by an indicator of those themes. With neither words
    nor themes, every dataset.
    """
    if datasets.empty:
        return datasets
    records = datasets.to_dict("records")
    keep = []
    for row in records:
        if priorities and not set(as_list(row.get("soa_priorities"))) & set(priorities):
            keep.append(False)
            continue
        haystack = _dataset_haystack(row)
        keep.append(all(word in haystack for word in _words(text)))
    return datasets[keep]


def releases_line(row: Mapping[str, Any]) -> str:
    """A dataset's release in words, newest first: 'September 2023 (earlier releases also read: August 2022)'.

    Why: people date a dataset by its release; the files, their paths and checksums are for researchers
    (meta.sources, the About & methods page), not for the explorer's readers.
    """
    newest = str(row.get("newest_release") or "")
    earlier = [release_words(r) for r in reversed(as_list(row.get("releases"))) if str(r) != newest]
    text = release_words(newest) or "unknown"
    return text + (f" (earlier releases also read: {', '.join(earlier)})" if earlier else "")


def dataset_facts(row: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, text) lines of one dataset's collapsed details: publisher, release and what uses it."""
    titles = as_list(row.get("indicator_titles"))
    return [
        ("Published by", source_label(str(row["source"]))),
        ("Release", releases_line(row)),
        ("Used by", ", ".join(titles) if titles else SOURCE_ROLES.get(str(row["source"]), "the build")),
    ]


def indicator_summary(row: Mapping[str, Any], labels: Mapping[str, str]) -> list[str]:
    """The few facts a card header shows before it is opened: theme, years, geographies, publisher.

    Why: a reader scans thirty-odd indicators for the one they need; the full record (definition,
    method, releases, caveats) waits behind "Definition, source and method".
    """
    first, last = row.get("first_period"), row.get("last_period")
    years = (f"{first} to {last}" if first != last else str(first)) if isinstance(first, str) else "no data yet"
    where = coverage_words(row.get("area_types"), labels)
    publisher = row.get("publisher")
    who = organisation(publisher) if isinstance(publisher, str) and publisher else str(row.get("source") or "")
    return [str(row.get("soa_priority_label") or ""), years, where, who]


def coverage_words(area_types: Any, labels: Mapping[str, str]) -> str:
    """'8 geographies, data zones to Scotland' (smallest to largest, in meta.area_types order); the full
    list is in the opened record."""
    present = set(as_list(area_types))
    ordered = [t for t in labels if t in present] + sorted(present - set(labels))
    if not ordered:
        return "no areas yet"
    words = [geography_words([t], labels) for t in (ordered[0], ordered[-1])]
    if len(ordered) == 1:
        return words[0][:1].upper() + words[0][1:] + " only"
    return f"{len(ordered)} geographies, {words[0]} to {words[1]}"


def dataset_title(row: Mapping[str, Any]) -> str:
    """'child-poverty (statistics.gov.scot)' or the source's name for a whole-folder dataset."""
    if row["dataset"] == row["source"]:
        return source_label(str(row["source"]))
    return f"{row['dataset']} ({source_label(str(row['source']))})"


TREND_TESTS = {"chi_square": "chi-square test for trend", "wls": "weighted least squares (weights from the CIs)",
               "ols": "ordinary least squares with a t test (no CIs published)"}
#: each interval method in plain words (docs/methods.md names the formulae: Wilson, Byar, Dobson)
CI_NAMES = {"wilson": "for a percentage, from its count and population",
            "byar": "for a rate, from the number of events (exact below 10 events)",
            "dobson": "for an age-standardised rate, from the number of events and the age mix"}


def better_when(polarity: Any) -> str:
    """'lower' or 'higher': which way the indicator is better (meta.indicators.polarity in words)."""
    return "higher" if polarity == "high_is_good" else "lower"


def interval_text(ci_method: Any) -> str:
    """'95% confidence interval for a percentage, from its count and population' (the catalogue's
    ci_method in words), or 'no confidence interval published'."""
    ci = str(ci_method)
    return f"95% confidence interval {CI_NAMES[ci]}" if ci in CI_NAMES else "no confidence interval published"


def measure_words(measure_type: Any) -> str:
    """'age_standardised_rate' -> 'age-standardised rate', 'crude_rate' -> 'crude rate'."""
    return str(measure_type).replace("age_standardised", "age-standardised").replace("_", " ")


def disclosure_text(row: Mapping[str, Any]) -> str:
    """The catalogue's small-numbers rule (already in words), with what cpop adds to it.

    A rule the publisher applies needs nothing from cpop (every count it reads is public); one cpop
    applies (``disclosure_min_count`` above 1) also hides any figure that would give a withheld count
    back by adding or subtracting (etl/disclosure.py)."""
    rule = str(row.get("disclosure_rule") or "small counts are withheld").rstrip(".")
    if row.get("disclosure_applied_by") == "publisher":
        return f"{rule}. cpop withholds nothing more: every figure it reads is already public."
    smallest = row.get("disclosure_min_count")
    if isinstance(smallest, Real) and not pd.isna(smallest) and smallest <= 1:
        return f"{rule}."
    return (f"{rule}. cpop also withholds any other figure that would let a withheld count be worked out by "
            "adding or subtracting.")


def method_text(row: Mapping[str, Any]) -> str:
    """'percentage, %; 95% confidence interval for a percentage, from its count and population; trend:
    chi-square test for trend (last 5 periods); lower is better' (no method's surname or internal code)."""
    from etl.stats.trend import TREND_POINTS, trend_method

    measure, ci = str(row["measure_type"]), str(row["ci_method"])
    trend = TREND_TESTS[trend_method(measure, ci)]
    return (f"{measure_words(measure)}, {row['unit_label']}; {interval_text(ci)}; "
            f"trend: {trend} (last {TREND_POINTS} periods); {better_when(row['polarity'])} is better")


def releases_text(releases: Any, publisher: Any = None) -> str:
    """Every release of the indicator's published figures, newest first: 'Improvement Service, CPOP
    September 2023 (cpop-cpp, shown); … (cpop-igz, shown, revises an earlier release); Improvement
    Service, CPOP August 2022 (cpop-igz, kept, not shown)'; 'none: every value is computed by cpop from
    counts' when nothing is published as such."""
    items = [dict(r) for r in as_list(releases)]
    if not items:
        return "none: every value is computed by cpop from counts"
    parts = []
    for r in items:
        flags = ["shown" if r.get("is_shown") else "kept, not shown"]
        if r.get("has_revised"):
            flags.append("revises an earlier release")
        what = DATASET_DESCRIPTIONS.get(str(r.get("dataset")), str(r.get("dataset")))
        parts.append(f"{provenance_line('published', publisher, r.get('dataset'), r.get('release'))} "
                     f"({what}, {', '.join(flags)})")
    return "; ".join(parts)


def values_text(row: Mapping[str, Any], labels: Mapping[str, str], publisher: str = "the publisher") -> str:
    """How each area type gets its values: 'The publisher's own figures for council areas (CPPs), data zones,
    intermediate zones and Scotland; computed by cpop from summed counts for multi-member wards, HSCP
    localities and health boards, estimated where data zones were withheld at source.'"""
    published = [str(t) for t in as_list(row.get("published_types"))]
    computed = [str(t) for t in as_list(row.get("computed_types"))]
    estimated = [str(t) for t in as_list(row.get("estimated_types"))]
    parts = []
    if published:
        parts.append(f"{publisher}'s own figures for {geography_words(published, labels)}")
    built = sorted(set(computed) | set(estimated), key=lambda t: list(labels).index(t) if t in labels else 99)
    if built:
        text = f"computed by cpop from summed counts for {geography_words(built, labels)}"
        if estimated:
            text += (f", estimated for some {geography_words(estimated, labels)} where data zones were withheld "
                     "at source (the interval is widened to cover every value they could take)")
        parts.append(text)
    if not parts:
        return "no values in this build"
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."


def value_types_text(row: Mapping[str, Any]) -> str:
    """'Imputed by the publisher: 2010/11 to 2013/14; projected by the publisher: 2022/23 to 2024/25' (trend
    verdicts use observed values only), or 'Observed values only'."""
    parts = []
    for kind in ("imputed", "projected"):
        first, last = row.get(f"first_{kind}"), row.get(f"last_{kind}")
        if isinstance(first, str) and first:
            span = first if first == last else f"{first} to {last}"
            parts.append(f"{kind} by the publisher: {span}")
    if not parts:
        return "Observed values only"
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + " (cpop's trend verdicts use observed values only)"


def chart_area(row: Any) -> tuple[str, str]:
    """Where "Open chart" goes: Scotland when it has Scotland's value, else the first council with data."""
    has_scotland = getattr(row, "has_scotland", None)
    council = getattr(row, "first_council_code", None)
    if isinstance(council, str) and not (has_scotland is not None and not pd.isna(has_scotland)
                                         and bool(has_scotland)):
        return "council", council
    return "scotland", "S92000003"
