"""What changed in this release, read from the warehouse (``sql/release_*.sql``).

Why: the "What changed" page, its workbook, the Home summary and ``cpop changes`` must list the
same revisions and verdict changes; each is one query here, cached per build like every other.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.data.queries import Queries
from dashboard.data.sqlfiles import load_sql

#: the tables the release queries read beyond marts.indicator_releases (a warehouse built before
#: "what changed" existed lacks them: the page then asks for a rebuild)
NEEDS = ("marts.indicator_releases", "marts.verdicts", "marts.previous_verdicts", "meta.previous_build",
         "meta.previous_indicators")


#: text columns of ``release_changes.sql`` with few distinct values (a few releases, indicators,
#: councils, periods), kept as categories; the area code and name are not (~1,300 each on real
#: Scotland), nor verdicts_changed, which pages fill in
CATEGORY_COLUMNS = ("indicator_id", "title", "area_type", "council_code", "council_name", "period_label", "dataset",
                    "change", "value_type", "old_release", "new_release")


def figure_changes(queries: Queries, since: str | None = None) -> pd.DataFrame:
    """Revised values, new periods and first-published figures (``release_changes.sql``).

    Read past the query cache, with its repeated text as categories. Why: each comparison is
    kept whole once per build (``dashboard.logic.changes.build_release_changes``), for the
    default and every release a reader can pick; on real Scotland one is ~120,000 rows, 37 MB
    as text and 11 MB as categories, and the query cache would have held a second copy (and
    copied it on every read).
    """
    queries.require(*NEEDS)
    table = queries.reader.query_arrow(load_sql("release_changes"), {"since": since or None})
    return categorised(table, CATEGORY_COLUMNS)


def categorised(table: pa.Table, columns: tuple[str, ...]) -> pd.DataFrame:
    """``table`` as a DataFrame, the named text columns as pandas categories in text order (so that
    sorting by one sorts as text would)."""
    encoded = table
    for name in columns:
        i = encoded.schema.get_field_index(name)
        if i >= 0 and pa.types.is_string(encoded.schema.field(i).type):
            encoded = encoded.set_column(i, name, pc.dictionary_encode(encoded.column(i)))
    frame = encoded.to_pandas()
    for name in columns:
        if name in frame.columns and isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].cat.reorder_categories(sorted(frame[name].cat.categories))
    return frame


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
