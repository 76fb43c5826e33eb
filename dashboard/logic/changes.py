"""What changed in this release, as plain data and sentences (no Dash, no warehouse).

Why: the "What changed" page, its workbook, the Home summary and ``cpop changes`` say the same
thing; the counting and the words are made here once, from the rows ``dashboard/data/changes.py``
reads.

How verdict changes are known: each build keeps the verdicts of the warehouse it replaced
(``marts.previous_verdicts``, see ``etl/marts/verdicts.py``), so "verdict changed" means "this
build's verdict differs from the one the previous build showed". Without a previous build
the verdicts before are not known, and every surface says so rather than guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from dashboard.data.changes import (
    figure_changes,
    indicator_changes,
    previous_build,
    releases,
    verdict_changes,
)
from dashboard.data.queries import MartUnavailable

REVISED = "revised"
NEW_PERIOD = "new period"
FIRST_PUBLISHED = "first published"
#: how each kind of verdict is named to a reader
VERDICT_KINDS = {"trend": "trend", "rag": "improvement RAG", "cpop_rating": "CPOP rating",
                 "gap": "deprivation gap"}
NOT_KNOWN = ("Whether verdicts changed is not known: no earlier build was kept to compare with "
             "(the next rebuild will compare with this one).")
#: comparisons with a release that ``cpop serve`` reads ahead, newest first (a release a year keeps
#: ~8 years' worth in memory, ~11 MB each at real Scotland's size)
READ_AHEAD_RELEASES = 8
#: columns of the per-indicator summary, in order
SUMMARY_COLUMNS = ["indicator_id", "title", "new_release", "compared_with", "revised_values", "areas_revised",
                   "largest_difference", "new_periods", "first_published_figures", "verdicts_changed"]


@dataclass(frozen=True)
class ReleaseChanges:
    """Everything that changed, for one comparison (``since`` or each indicator's release before)."""

    figures: pd.DataFrame
    verdicts: pd.DataFrame
    indicators: pd.DataFrame
    previous: Mapping[str, Any]
    build: Mapping[str, Any]
    since: str | None = None
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def verdicts_known(self) -> bool:
        return bool(self.previous)

    @property
    def revised(self) -> pd.DataFrame:
        """The revised values (filtered once: each What changed answer reads them twice)."""
        if "revised" not in self._cache:
            self._cache["revised"] = self.figures[self.figures.change == REVISED].reset_index(drop=True)
        return self._cache["revised"]

    def revisions_in(self, council_code: str | None = None) -> pd.DataFrame:
        """Revised values, of one council's areas (the council itself, its wards, zones...) when given."""
        revised = self.revised
        return revised if not council_code else revised[revised.council_code == council_code].reset_index(drop=True)

    def largest_revisions(self, rows: int, council_code: str | None = None) -> pd.DataFrame:
        """The ``rows`` largest revisions relative to the old value (indicators' units differ), then
        those that became or stopped being withheld."""
        revised = self.revisions_in(council_code)
        relative = (revised.difference.abs() / revised.old_value.abs().where(revised.old_value != 0)).fillna(float("inf"))
        return revised.loc[relative.sort_values(ascending=False, kind="stable").index].head(rows).reset_index(drop=True)

    def new_periods(self) -> pd.DataFrame:
        """New periods and first-published figures, one row per indicator x area type x period."""
        rows = self.figures[self.figures.change.isin([NEW_PERIOD, FIRST_PUBLISHED])]
        if rows.empty:
            return pd.DataFrame(columns=["indicator_id", "title", "area_type", "change", "period_label",
                                         "new_release", "areas"])
        return (rows.groupby(["indicator_id", "title", "area_type", "change", "period_label", "period_year",
                              "new_release"], dropna=False, observed=True)
                .size().rename("areas").reset_index()
                .sort_values(["indicator_id", "area_type", "period_year"]).drop(columns="period_year")
                .reset_index(drop=True))

    def new_periods_brief(self) -> pd.DataFrame:
        """``new_periods`` in one row per indicator x area type x kind: its periods in words, the areas."""
        detail = self.new_periods()
        rows = []
        for (indicator_id, title, area_type, change, release), part in detail.groupby(
                ["indicator_id", "title", "area_type", "change", "new_release"], sort=False, dropna=False,
                observed=True):
            labels = list(part.period_label)
            periods = ", ".join(labels) if len(labels) <= 3 else f"{labels[0]} to {labels[-1]} ({len(labels)} periods)"
            rows.append({"indicator_id": indicator_id, "title": title, "area_type": area_type, "change": change,
                         "periods": periods, "new_release": release, "areas": int(part.areas.max())})
        return pd.DataFrame(rows, columns=["indicator_id", "title", "area_type", "change", "periods", "new_release",
                                           "areas"])

    def summary(self) -> pd.DataFrame:
        """One row per indicator that changed: how many values were revised, new periods, verdicts."""
        if "summary" in self._cache:
            return self._cache["summary"]
        # the columns it reads, as numpy objects: each indicator's rows are filtered several times,
        # and filtering pyarrow-backed strings (one take per column) made this ~0.45 s on real Scotland
        used = ["indicator_id", "title", "change", "old_release", "new_release", "area_type", "area_code", "difference",
                "period_label", "period_year"]
        f = self.figures[used].astype({c: object for c in used if c not in ("difference", "period_year")})
        rows = []
        for (indicator_id, title), part in f.groupby(["indicator_id", "title"], sort=True):
            revised = part[part.change == REVISED]
            new = part[part.change == NEW_PERIOD]
            first = part[part.change == FIRST_PUBLISHED]
            verdicts = self.verdicts[self.verdicts.indicator_id == indicator_id] if not self.verdicts.empty else []
            compared = sorted(set(revised.old_release.dropna())) or ([self.since] if self.since else [])
            rows.append({
                "indicator_id": indicator_id, "title": title,
                "new_release": ", ".join(sorted(set(part.new_release.dropna()))),
                "compared_with": ", ".join(compared),
                "revised_values": len(revised),
                "areas_revised": revised[["area_type", "area_code"]].drop_duplicates().shape[0],
                "largest_difference": float(revised.difference.abs().max()) if revised.difference.notna().any() else None,
                "new_periods": ", ".join(_periods(new)),
                "first_published_figures": len(first),
                "verdicts_changed": len(verdicts) if self.verdicts_known else None,
            })
        for row in self.verdicts.drop_duplicates("indicator_id").itertuples() if self.verdicts_known else []:
            if row.indicator_id not in set(f.indicator_id):  # a verdict moved by a new comparator value only
                rows.append({"indicator_id": row.indicator_id, "title": row.title, "new_release": "",
                             "compared_with": "", "revised_values": 0, "areas_revised": 0, "largest_difference": None,
                             "new_periods": "", "first_published_figures": 0,
                             "verdicts_changed": int((self.verdicts.indicator_id == row.indicator_id).sum())})
        out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS).sort_values("indicator_id").reset_index(drop=True)
        self._cache["summary"] = out
        return out

    def updated_indicators(self) -> int:
        """Indicators with a revised value or a new period."""
        f = self.figures
        return int(f.loc[f.change.isin([REVISED, NEW_PERIOD]), "indicator_id"].nunique())

    def verdicts_for(self, council_code: str) -> pd.DataFrame:
        """Verdict changes of a council itself (area type council)."""
        v = self.verdicts
        return v[(v.area_type == "council") & (v.area_code == council_code)] if not v.empty else v

    def headline(self, council_code: str | None = None, council_name: str | None = None) -> str:
        """'12 indicators updated on 3 March 2026; 4 verdicts changed for Fife.' (Home, CLI, workbook)."""
        n = self.updated_indicators()
        when = _day(self.build.get("built_at"))
        text = (f"{n} indicator{'s' if n != 1 else ''} updated" if n else "No indicator updated") + \
            (f" on {when}" if when else "")
        if self.since:
            text += f" (compared with release {self.since})"
        if council_code and self.verdicts_known:
            k = len(self.verdicts_for(council_code))
            text += f"; {k} verdict{'s' if k != 1 else ''} changed for {council_name or council_code}"
        return text + "."

    def verdict_rows(self) -> pd.DataFrame:
        """Verdict changes with the kind in words (the page's and the workbook's table)."""
        v = self.verdicts.copy()
        if not v.empty:
            v["verdict_kind"] = v.verdict_kind.map(lambda k: VERDICT_KINDS.get(k, k))
        return v


def number(value: Any) -> str:
    """A figure to 4 significant figures, thousands separated ('' for none): 17,750 or 9.585."""
    if value is None or pd.isna(value):
        return ""
    rounded = float(f"{float(value):.4g}")
    return f"{rounded:,.0f}" if abs(rounded) >= 1000 else f"{rounded:.4g}"


def release_changes(queries: Any, since: str | None = None) -> ReleaseChanges:
    """Read everything that changed (one call for every surface)."""
    return ReleaseChanges(figures=figure_changes(queries, since), verdicts=verdict_changes(queries),
                          indicators=indicator_changes(queries, since), previous=previous_build(queries),
                          build=queries.build_info(), since=since or None)


def build_release_changes(queries: Any, since: str | None = None) -> ReleaseChanges:
    """``release_changes`` kept for the current build (``Queries.parsed``), with the sums it derives.

    Why: on real Scotland the comparison holds ~60,000 revisions; reading it took ~1 s and its
    per-indicator summary ~0.2-0.3 s, paid by every visit to Home (its "What changed" line) and to
    What changed. The result cannot change within a build, so the pages share one, warmed at
    start-up (``warm_release_changes``). Treat it as read-only.
    """
    return queries.parsed(("release_changes", since or None), lambda: release_changes(queries, since))


def warm_release_changes(queries: Any) -> None:
    """Read every comparison What changed offers, with its summary, once per build (``cpop serve``'s
    cache warmer): Home's (each indicator's release before its newest) first, then one per release.

    Why: a comparison with an older release took ~1 s to read on its first visit, and What changed
    in Fife since 2022-08 1.6 s to draw on real Scotland. The choices are the release list (4 on
    real Scotland), and each comparison is kept compact (``figure_changes``: ~11 MB for the
    largest), so the newest ``READ_AHEAD_RELEASES`` are read ahead (an older one is read on its
    first visit, as before).
    """
    try:
        build_release_changes(queries).summary()
        for since in releases(queries)[:READ_AHEAD_RELEASES]:
            build_release_changes(queries, since).summary()
    except MartUnavailable:  # a warehouse built before "what changed" existed
        return


def _periods(rows: pd.DataFrame) -> list[str]:
    if rows.empty:
        return []
    return list(rows.sort_values("period_year").period_label.drop_duplicates())


def _day(value: Any) -> str:
    """'3 March 2026' from a timestamp ('' when missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return ""
    day: date | datetime = stamp.to_pydatetime()
    return f"{day.day} {day:%B %Y}"
