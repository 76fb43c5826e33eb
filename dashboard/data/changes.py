"""What changed in this release, read from the warehouse (``sql/release_*.sql``).

Why: the "What changed" page, its workbook, the Home summary and ``cpop changes`` must list the
same revisions and verdict changes; each is one query here, cached per build like every other.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data.queries import Queries

#: the tables the release queries read beyond marts.indicator_releases (a warehouse built before
#: "what changed" existed lacks them: the page then asks for a rebuild)
NEEDS = ("marts.indicator_releases", "marts.verdicts", "marts.previous_verdicts", "meta.previous_build",
         "meta.previous_indicators")


def figure_changes(queries: Queries, since: str | None = None) -> pd.DataFrame:
    """Revised values, new periods and first-published figures (``release_changes.sql``)."""
    return queries._run_needing(NEEDS, "release_changes", {"since": since or None})


def verdict_changes(queries: Queries) -> pd.DataFrame:
    """Verdicts that differ from the previous build's (``release_verdict_changes.sql``)."""
    return queries._run_needing(NEEDS, "release_verdict_changes")


def indicator_changes(queries: Queries, since: str | None = None) -> pd.DataFrame:
    """Indicators added or removed (``release_indicator_changes.sql``)."""
    return queries._run_needing(NEEDS, "release_indicator_changes", {"since": since or None})


def previous_build(queries: Queries) -> dict:
    """The build this warehouse replaced ({} when none was kept)."""
    df = queries._run_needing(NEEDS, "previous_build")
    return {} if df.empty else df.iloc[0].to_dict()


def releases(queries: Queries) -> list[str]:
    """Every release in marts.indicator_releases, newest first (the choices of ``--since``)."""
    return list(queries._run_needing(NEEDS, "release_list")["release"])
