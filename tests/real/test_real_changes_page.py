"""The What changed page on real Scotland is something a browser can draw at once.

Why: the page listed Fife's revisions as ``dbc.Table.from_dataframe`` tables, one Dash component per
cell (~2,700 in one answer). The server answered in under 2 s but Chromium took another 14 s to draw
them. Each table now travels as one component holding its JSON (``dashboard.components.html_table``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import dash
import pandas as pd
import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.data.changes import CATEGORY_COLUMNS, NEEDS, releases
from dashboard.data.context import queries_of
from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader
from dashboard.logic.changes import build_release_changes, release_changes, warm_release_changes
from etl.settings import Settings
from tests.fixtures.dash_callbacks import callback_key, elements, post, response_props

pytestmark = pytest.mark.real

FIFE = "S12000047"
SHOWN_ROWS = 200  # dashboard.pages.changes shows the 200 largest revisions


@pytest.fixture(scope="module")
def app(real_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dash.Dash]:
    made = create_app(Settings(warehouse_path=real_warehouse, user_dir=tmp_path_factory.mktemp("changes-user")))
    assert made.server.test_client().get("/").status_code == 200
    yield made
    queries_of(made.server).reader.close()


def test_fifes_revisions_are_sent_as_one_component_per_table(app: dash.Dash) -> None:
    response = post(app.server.test_client(), app, callback_key(app, ids.CHANGES_BODY),
                    {f"{ids.CHANGES_SINCE}.value": "2022-08", f"{ids.CHANGES_COUNCIL}.value": FIFE})
    assert response.status_code == 200
    shown = list(elements(response_props(response)[ids.CHANGES_BODY]["children"]))
    assert len(shown) < 150, len(shown)  # ~2,700 as one component per cell
    tables = {t["caption"]: t for t in (json.loads(e["props"]["data-html-table"]) for e in shown
                                        if "data-html-table" in e["props"])}
    assert set(tables) == {"Indicators that changed", "Revised values", "New periods"}
    revised = tables["Revised values"]
    assert revised["columns"][:4] == ["indicator", "area", "area type", "period"]
    # the largest revisions of Fife, largest first, each row headed by its indicator's title
    queries = queries_of(app.server)
    largest = release_changes(queries, "2022-08").largest_revisions(SHOWN_ROWS, FIFE)
    assert len(revised["rows"]) == len(largest) == SHOWN_ROWS
    assert [(title, cells[0], cells[2]) for title, cells in revised["rows"]] == list(
        zip(largest.title, largest.area_name.fillna(largest.area_code), largest.period_label, strict=True))
    # area types as a reader knows them, not the warehouse's keys ("intermediate_zone")
    periods = tables["New periods"]
    shown_types = {cells[1] for _, cells in revised["rows"]} | {cells[0] for _, cells in periods["rows"]}
    assert shown_types <= set(queries.area_type_labels().label), shown_types
    assert "Intermediate zone" in shown_types


def test_every_comparison_offered_is_read_ahead_compact_and_equal_to_the_plain_read(real_warehouse: Path) -> None:
    """What changed since an older release read ~120,000 rows on its first visit (1.6 s to draw
    Fife's page since 2022-08). The warmer now reads every comparison the page offers, kept with
    its repeated text as categories (``figure_changes``); each must hold the rows the plain query
    returns, and the largest must stay small enough to keep them all."""
    reader = WarehouseReader(real_warehouse)
    try:
        queries = Queries(reader)
        warm_release_changes(queries)
        offered = releases(queries)
        assert "2022-08" in offered
        sizes = {}
        for since in [None, *offered]:
            ahead = queries._parsed[("release_changes", since)]  # noqa: SLF001 - read by the warmer
            assert "summary" in ahead._cache and build_release_changes(queries, since) is ahead  # noqa: SLF001
            compact = ahead.figures
            assert all(isinstance(compact[c].dtype, pd.CategoricalDtype) for c in CATEGORY_COLUMNS)
            plain = queries._run_needing(NEEDS, "release_changes", {"since": since})  # noqa: SLF001
            pd.testing.assert_frame_equal(_as_text(compact), _as_text(plain), check_dtype=False)
            sizes[since] = compact.memory_usage(deep=True).sum() / 1e6
        assert len(queries._parsed[("release_changes", "2022-08")].figures) > 100_000  # noqa: SLF001
        assert max(sizes.values()) < 20, sizes  # 37 MB as text, 11 MB as categories
    finally:
        reader.close()


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Text and category columns as Python objects, a missing one as None (an all-missing text column
    reads as None through pandas and as NaN through Arrow: the page fills both the same)."""
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c]) or
            isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return frame.astype({c: object for c in text}).pipe(
        lambda f: f.assign(**{c: f[c].where(f[c].notna(), None) for c in text}))
