"""Local partner data is marked "Local data: <organisation> (<restriction>)" wherever an indicator's
title is shown on the dashboard (issue 15), read from meta.indicators through the one query layer;
national indicators carry no marking.

The contract warehouse with its early-mortality indicator made a local dataset (``mark_local``), as
``cpop local publish`` and a build would make it.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pandas as pd
import pytest
from contract_warehouse import CP, EM, LOCAL_LABEL, build_contract_warehouse, mark_local

from dashboard.components.area_profile_view import profile_main, profile_spine
from dashboard.components.exception_table import attention_table, going_well_table
from dashboard.components.local_badge import local_badge
from dashboard.components.quick_table import quick_view
from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader
from dashboard.home_state import home_tiles, load_profile
from dashboard.logic.my_areas import profile_rows
from dashboard.logic.quick_profile import comparator_names, table_csv
from dashboard.logic.rag import exception_items, resolve_scope
from dashboard.logic.tables import describe_rows
from dashboard.logic.tables import mark_local as mark_local_rows
from tests.unit.exports.test_exports_renderers import _indicator

FIFE, WARD = "S12000047", "S13002883"


@pytest.fixture
def local_path(tmp_path: Path) -> Path:
    return mark_local(build_contract_warehouse(tmp_path / "cpop.duckdb"))


@pytest.fixture
def local_queries(local_path: Path) -> Iterator[Queries]:
    reader = WarehouseReader(local_path)
    yield Queries(reader)
    reader.close()


@pytest.fixture
def app(local_path: Path) -> Iterator[Any]:
    from dashboard.app import create_app
    from dashboard.data.context import queries_of
    from etl.settings import Settings

    app = create_app(Settings(warehouse_path=local_path))
    with app.server.test_request_context("/"):
        yield app
    queries_of(app.server).reader.close()


def _page(name: str) -> Any:
    return sys.modules[dash.page_registry[f"dashboard.pages.{name}"]["module"]]


def test_the_query_layer_reads_the_marking_and_national_indicators_have_none(local_queries: Queries) -> None:
    assert local_queries.local_labels() == {EM: LOCAL_LABEL}
    assert local_queries.indicator(EM).local_label == LOCAL_LABEL  # type: ignore[union-attr]
    assert local_queries.indicator(CP).local_label == ""  # type: ignore[union-attr]


def test_national_only_warehouse_marks_nothing(queries: Queries) -> None:
    assert queries.local_labels() == {}
    profile = load_profile(queries, "ward", WARD)
    assert profile is not None
    assert "Local data" not in str(quick_view(profile.quick, comparator_names(profile.area)))
    assert local_badge("") is None


def test_badge_is_words_with_a_border_not_colour_alone() -> None:
    badge = local_badge(LOCAL_LABEL)
    assert badge is not None and badge.children == LOCAL_LABEL
    assert "border" in badge.className and badge.text_color == "dark"


def test_quick_profile_table_csv_and_chart_heading(local_queries: Queries, app: Any) -> None:
    profile = load_profile(local_queries, "ward", WARD, EM)
    assert profile is not None
    rows = {q.latest.indicator_id: q for _, qs in profile.quick for q in qs}
    assert rows[EM].local == LOCAL_LABEL and rows[CP].local == ""
    assert LOCAL_LABEL in str(quick_view(profile.quick, comparator_names(profile.area)))
    csv_text = table_csv(profile.quick, "Kirkcaldy Central").decode()
    assert csv_text.splitlines()[1].endswith(",Local data") and LOCAL_LABEL in csv_text
    page = _page("quick_profile")
    assert LOCAL_LABEL in str(page.show_trend(EM, WARD, "ward"))
    assert "Local data" not in str(page.show_trend(CP, WARD, "ward"))


def test_area_profile_trend_and_spine(app: Any) -> None:
    from dashboard.data.context import queries_of

    queries = queries_of(app.server)
    assert LOCAL_LABEL in str(profile_main(queries, "ward", WARD, EM))
    assert "Local data" not in str(profile_main(queries, "ward", WARD, CP))
    assert LOCAL_LABEL in str(profile_spine(queries, "ward", WARD, "health"))
    assert "Local data" not in str(profile_spine(queries, "ward", WARD, "early_years"))


def test_rag_matrix_and_exception_tables() -> None:
    frame = pd.DataFrame([
        {"indicator_id": EM, "short_title": "Early mortality", "area_code": "S02000001", "area_name": "Abbey",
         "latest_period_label": "2021", "latest_value": 450.0, "trend_verdict": "worsening", "vs_scotland": "worse"},
        {"indicator_id": CP, "short_title": "Child poverty", "area_code": "S02000001", "area_name": "Abbey",
         "latest_period_label": "2021/22", "latest_value": 21.0, "trend_verdict": "improving", "vs_scotland": "worse"},
    ])
    scope = resolve_scope(FIFE, [], None, "intermediate_zone", None)
    matrix = str(_page("rag")._matrix_view(frame, scope, None, {EM: LOCAL_LABEL}))
    assert f"Early mortality ({LOCAL_LABEL})" in matrix and "Child poverty (Local" not in matrix
    status = pd.DataFrame([{
        "indicator_id": iid, "short_title": title, "soa_priority_label": "Health", "unit_label": "", "latest_value": 1.0,
        "latest_period_label": "2021", "change_abs": None, "baseline_value": None, "baseline_period_label": None,
        "trend_verdict": "worsening", "vs_scotland": "worse", "scotland_value": 0.5, "vs_council": None,
        "council_value": None, "gap_verdict": None, "target_status": None, "target_value": None, "target_year": None,
        "projected_value": None, "trajectory_value_latest": None, "probability_of_meeting": None}
        for iid, title in ((EM, "Early mortality"), (CP, "Child poverty"))])
    attention = str(attention_table(exception_items(status, {}), {EM: LOCAL_LABEL}))
    assert attention.count(LOCAL_LABEL) == 1  # the local row only
    assert str(going_well_table(status, {EM: LOCAL_LABEL})).count(LOCAL_LABEL) == 1
    assert "Local data" not in str(attention_table(exception_items(status, {})))


def test_advanced_tables_name_the_local_indicator_in_grid_and_downloads(local_queries: Queries) -> None:
    frame = mark_local_rows(describe_rows(local_queries.table_rows((CP, EM), "council", None)),
                            local_queries.local_labels())
    names = set(frame["indicator"])
    assert names == {"Child poverty", f"Early mortality ({LOCAL_LABEL})"}


def test_data_explorer_card(app: Any) -> None:
    results, _ = _page("explorer").show_results("", [])
    cards = {getattr(c, "data-indicator", None): str(c) for c in _flatten(results)
             if getattr(c, "data-indicator", None)}
    assert LOCAL_LABEL in cards[EM] and "Local data" not in cards[CP]


def test_home_tiles_and_my_areas_table(local_queries: Queries) -> None:
    tiles = home_tiles(local_queries, "ward", WARD)
    assert tiles is not None
    measures = {m.indicator_id: m for t in tiles for m in t.measures}
    assert measures[EM].local == LOCAL_LABEL and measures[CP].local == ""
    from dashboard.pages.home import _measure

    assert LOCAL_LABEL in str(_measure(measures[EM])) and "Local data" not in str(_measure(measures[CP]))
    national = _indicator()  # My areas' table is made of the export's profile rows (local_label from meta.indicators)
    local = dataclasses.replace(national, indicator_id="local_x", short_title="Attendance", local_label=LOCAL_LABEL)
    assert set(profile_rows([national, local])["Indicator"]) == {"Dwelling fires", f"Attendance ({LOCAL_LABEL})"}


def _flatten(node: Any) -> list[Any]:
    out = [node]
    children = getattr(node, "children", None) if not isinstance(node, list) else node
    if isinstance(children, list | tuple):
        for child in children:
            out += _flatten(child)
    elif children is not None and not isinstance(children, str):
        out += _flatten(children)
    return out
