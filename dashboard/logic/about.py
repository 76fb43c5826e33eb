"""About & methods in plain words: how up to date the build is, each indicator's method, where the
data come from and what the build checked (pure; the page only lays these out).

Why: the page is read by board members and officers as well as analysts. It used to list the
warehouse's tables, catalogue codes ('low_is_good', 'wilson'), file names with checksums and check
names; a reader needs the same facts as sentences. The file-level detail stays for researchers in
the warehouse itself (meta.sources, docs/schema.md), which the page says in one line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.formatting import format_date
from dashboard.labels import SOURCE_LABELS
from dashboard.logic.explorer import (
    as_list,
    better_when,
    disclosure_text,
    interval_text,
    measure_words,
)
from dashboard.logic.provenance import organisation, provenance_line, release_words
from dashboard.logic.records import row_tuples

#: each build check (etl/sql/checks/<table>__<rule>.sql) as the sentence it checks
CHECK_WORDS = {
    "agg_indicator_area__children_sum_to_parent":
        "the counts of each kind of area that covers the whole country add up to Scotland's",
    "areas__population_sums_to_parent":
        "the populations of each kind of area that covers the whole country add up to Scotland's",
    "bridge_datazone_area__one_area_per_type":
        "every data zone lies in exactly one area of each kind that covers the whole country",
    "communities__duplicate_keys": "each community's figures appear once",
    "comparisons__duplicate_keys": "each comparison with Scotland, the council or similar councils appears once",
    "dim_datazone__duplicate_keys": "each data zone appears once in the data zone lookup",
    "dim_datazone__missing_simd": "every data zone has a rank in the newest Scottish Index of Multiple Deprivation",
    "family_groups__duplicate_keys": "each council is in one group of similar councils",
    "fct_observation__duplicate_keys":
        "no publisher's figure is counted twice or contradicted by another file of the same release",
    "fct_population_datazone__negative": "no population estimate is negative",
    "indicator_values__bad_denominator": "every rate is worked out over a positive population",
    "indicator_values__duplicate_keys": "each indicator has one value for each area and year",
    "indicator_values__numerator_exceeds_denominator":
        "no percentage counts more people than the population it is out of (published small-area data "
        "sometimes does; those values are kept as published)",
    "inequality__duplicate_keys": "each deprivation gap figure appears once",
    "inequality_groups__duplicate_keys": "each deprivation group's figure appears once",
    "inequality_groups__shares_sum_to_one": "the deprivation groups' shares of the population add up to the whole",
    "inequality_trend__duplicate_keys": "each deprivation gap trend appears once",
    "targets__duplicate_keys": "each target appears once",
    "trend__duplicate_keys": "each trend verdict appears once",
}
STATUS_WORDS = {"warning": "found something to note", "fail": "did not pass"}
#: the attribution the Open Government Licence asks for, shown with real published data
ATTRIBUTION = ("The national data are the publishers' own, released under the Open Government Licence v3.0 "
               "where the publisher states one: contains public sector information licensed under the Open "
               "Government Licence v3.0; maps contain OS data © Crown copyright and database right 2021.")
RESEARCHERS_SOURCES = ("Researchers: each file's name, size and checksum is recorded in the warehouse file "
                       "itself, in its table of sources (meta.sources).")


def check_words(name: str) -> str:
    """What a build check checked, as a sentence ('Each data zone appears once in the data zone lookup').

    A check this page does not know yet is named from its file: 'my_table__no_gaps' -> 'A check on my
    table: no gaps' (readable, never the raw name)."""
    words = CHECK_WORDS.get(name)
    if words is None:
        table, _, rule = name.partition("__")
        words = f"a check on {table.replace('_', ' ')}" + (f": {rule.replace('_', ' ')}" if rule else "")
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class ChecksSummary:
    """'N checks passed' and, for each that did not, what it checked and how many rows it found."""

    passed: int
    total: int
    others: tuple[str, ...]

    @property
    def headline(self) -> str:
        if not self.total:
            return "No data checks are recorded for this build."
        if self.passed == self.total:
            return f"All {self.total} data checks passed when this build was made."
        return f"{self.passed} of {self.total} data checks passed when this build was made."


def checks_summary(checks: pd.DataFrame) -> ChecksSummary:
    """``checks``: meta.check_results (check_name, bad_rows, status)."""
    others = []
    for row in row_tuples(checks):
        if row.status == "pass":
            continue
        rows = int(row.bad_rows)
        others.append(f"{check_words(str(row.check_name))}: {STATUS_WORDS.get(str(row.status), 'did not pass')} "
                      f"({rows:,} {'case' if rows == 1 else 'cases'}).")
    return ChecksSummary(passed=int((checks.status == "pass").sum()), total=len(checks), others=tuple(others))


def method_rows(indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: what it measures, which way is better, its interval and small numbers."""
    rows = [{"Indicator": r.get("short_title") or r.get("title"),
             "Measured as": f"{measure_words(r.get('measure_type'))}, {r.get('unit_label')}",
             "Better when": better_when(r.get("polarity")),
             "Uncertainty": interval_text(r.get("ci_method")),
             "Small numbers (disclosure control)": disclosure_text(r)} for r in indicators.to_dict("records")]
    return pd.DataFrame(rows, columns=["Indicator", "Measured as", "Better when", "Uncertainty",
                                       "Small numbers (disclosure control)"])


def release_text(row: Mapping[str, Any]) -> str:
    """The releases an indicator's shown figures come from ('Improvement Service, CPOP September 2023'),
    or, when none is shown as published, its publisher's newest release ('Improvement Service, August 2022')."""
    publisher = row.get("publisher")
    shown = [dict(r) for r in as_list(row.get("releases")) if dict(r).get("is_shown")]
    if shown:
        return "; ".join(dict.fromkeys(provenance_line("published", publisher, r.get("dataset"), r.get("release"))
                                       for r in shown))
    return ", ".join(p for p in (organisation(publisher), release_words(row.get("latest_release"))) if p) or "not recorded"


def source_rows(indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: who publishes it, which release, when the catalogue last and next updates
    it, and its licence where the build records one (a local partner's dataset)."""
    records = indicators.to_dict("records")
    rows = [{"Indicator": r.get("short_title") or r.get("title"), "Published by": r.get("publisher") or "",
             "Release": release_text(r), "Last updated": format_date(r.get("last_update"), missing="not stated"),
             "Next update": format_date(r.get("next_update"), missing="not stated"),
             "Licence": r.get("licence") if isinstance(r.get("licence"), str) else "as published (see below)"}
            for r in records]
    frame = pd.DataFrame(rows, columns=["Indicator", "Published by", "Release", "Last updated", "Next update", "Licence"])
    has_licence = any(isinstance(r.get("licence"), str) for r in records)
    return frame if has_licence else frame.drop(columns="Licence")


def other_files(sources: pd.DataFrame) -> list[str]:
    """Every source the build read, by name with its releases in words ('NRS small area population
    estimates: June 2025'), from meta.sources' source and release (no file names)."""
    out = []
    for source, group in sources.groupby("source", sort=True):
        releases = sorted({str(r) for r in group.release}, reverse=True)
        out.append(f"{SOURCE_LABELS.get(str(source), str(source).replace('_', ' '))}: "
                   f"{', '.join(release_words(r) for r in releases)}")
    return out
