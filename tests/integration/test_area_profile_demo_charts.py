"""Issue 13's Area profile charts on the demo warehouse: comparator areas, the target and its
trajectory from marts.targets, and the glossary on every caption and header the page renders."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dash import dcc, html
from plotly.io.json import to_json_plotly

from dashboard import ids
from dashboard.app import create_app
from dashboard.components.area_profile_view import (
    profile_body,
    profile_inequality,
    profile_main,
    profile_spine,
)
from dashboard.components.lazy_graph import AROUND_FIGURE_PX, GRAPH_HEIGHT, LAZY_CHART
from dashboard.data.context import queries_of
from dashboard.data.queries import Queries
from dashboard.figures.config import GRAPH_CONFIG
from dashboard.glossary import find_terms
from etl.settings import Settings
from tests.fixtures.dash_callbacks import callback_key, component_text, post, response_props
from tests.unit.dashboard.test_dashboard_glossary import undefined

pytestmark = pytest.mark.slow
EM = "hi_early_mortality"


def _walk(node: Any):
    if isinstance(node, list | tuple):
        for child in node:
            yield from _walk(child)
    elif hasattr(node, "to_plotly_json"):
        yield node
        yield from _walk(getattr(node, "children", None))


def _figure(sections: list[Any], section: str) -> dict:
    """The figure of a section's chart, drawn at once (a dcc.Graph) or when scrolled to (a lazy slot)."""
    div = next(s for s in sections if s.to_plotly_json()["props"].get("data-section") == section)
    for node in _walk(div):
        if isinstance(node, dcc.Graph):
            return node.figure
        if "data-lazy-chart" in node.to_plotly_json()["props"]:
            return json.loads(node.to_plotly_json()["props"]["data-lazy-chart"])["figure"]
    raise AssertionError(f"no chart in section {section}")


def _charts(sections: list[Any]) -> dict[str, Any]:
    """Each section's chart: the dcc.Graph, or the props of its lazy slot."""
    out = {}
    for section in sections:
        key = section.to_plotly_json()["props"].get("data-section")
        for node in _walk(section):
            props = node.to_plotly_json()["props"]
            if isinstance(node, dcc.Graph) or "data-lazy-chart" in props:
                out[key] = node if isinstance(node, dcc.Graph) else props
                break
    return out


def _target(queries: Queries) -> dict:
    frame = queries.reader.query("SELECT area_code FROM marts.targets WHERE area_type = 'council' AND "
                                 "indicator_id = $i ORDER BY area_code LIMIT 1", {"i": EM})
    return queries.target(EM, "council", str(frame.area_code.iloc[0]))


def test_comparators_from_a_link_are_drawn_and_unknown_ones_named(demo_queries: Queries) -> None:
    councils = list(demo_queries.reader.query(
        "SELECT area_code, area_name FROM marts.areas WHERE area_type = 'council' ORDER BY 1").itertuples())
    main, other = councils[0], councils[1]
    link = f"council:{other.area_code},ward:S13999999,scotland:S92000003"
    sections = profile_main(demo_queries, "council", main.area_code, EM, link)
    notice = next(n for n in _walk(sections) if "data-comparator-notice" in n.to_plotly_json()["props"])
    assert component_text(notice) == "Not an area in this warehouse, so not drawn: ward:S13999999."
    names = [t.get("name") for t in _figure(sections, "trend")["data"]]
    assert other.area_name in names and "Scotland" in names
    alone = profile_main(demo_queries, "council", main.area_code, EM, ["none"])
    assert [t.get("name") for t in _figure(alone, "trend")["data"] if t.get("name") in (other.area_name, "Scotland")] \
        == []


def test_the_target_and_trajectory_agree_with_marts_targets(demo_queries: Queries) -> None:
    target = _target(demo_queries)
    sections = profile_main(demo_queries, "council", target["area_code"], EM)
    traces = {t.get("meta"): t for t in _figure(sections, "trend")["data"] if t.get("meta")}
    assert traces["target"]["y"] == [target["target_value"]]
    trajectory = dict(zip(traces["trajectory"]["x"], traces["trajectory"]["y"], strict=True))
    assert trajectory[target["latest_period_label"]] == pytest.approx(target["trajectory_value_latest"])
    assert trajectory[target["baseline_period_label"]] == pytest.approx(target["baseline_value"])
    status = next(n for n in _walk(sections) if "data-target-status" in n.to_plotly_json()["props"])
    assert status.to_plotly_json()["props"]["data-target-status"] == target["status"]
    assert target["status"].capitalize() in component_text(status)


@pytest.mark.parametrize("area_type", ["council", "ward", "intermediate_zone"])
def test_every_caption_and_header_term_is_defined_and_opens_its_definition(demo_queries: Queries,
                                                                           area_type: str) -> None:
    code = str(demo_queries.reader.query("SELECT min(area_code) AS c FROM marts.areas WHERE area_type = $t",
                                         {"t": area_type}).c.iloc[0])
    for indicator, theme in ((EM, "health"), ("ey_child_poverty", "early_years")):
        body = profile_body(demo_queries, area_type, code, theme, indicator, "national_quintile")
        texts = [n for n in _walk(body) if isinstance(n, html.H2)
                 or (isinstance(n, html.P) and "cpop-caption" in (n.className or ""))]
        assert len(texts) >= 6
        for node in texts:
            words = component_text(node)
            assert undefined(words) == [], words
            buttons = {n.to_plotly_json()["props"]["data-glossary"] for n in _walk(node) if isinstance(n, html.Button)}
            assert buttons == {slug for _, _, slug in find_terms(words)}, words


def test_a_forged_comparator_list_gets_a_sentence_and_a_wrong_type_a_400(demo_warehouse: Any, tmp_path: Any) -> None:
    """The server checks what the comparator drop-down sends: the guard refuses what it cannot send
    (a dict), and codes that are not areas are named on the page, never a 500."""
    app = create_app(Settings(warehouse_path=demo_warehouse, user_dir=tmp_path / "user"))
    try:
        client = app.server.test_client()
        client.get("/")
        key = callback_key(app, ids.PROFILE_MAIN)
        council = str(queries_of(app.server).reader.query(
            "SELECT min(area_code) AS c FROM marts.areas WHERE area_type = 'council'").c.iloc[0])
        values = {f"{ids.PROFILE_AREA}.value": council, f"{ids.PROFILE_INDICATOR}.value": EM,
                  f"{ids.PROFILE_BASIS}.value": "national_quintile", f"{ids.PROFILE_AREA_TYPE}.value": "council",
                  f"{ids.PROFILE_THEME}.value": "health",
                  f"{ids.PROFILE_COMPARATORS}.value": ["<b>x</b>", "council:S12999999", "scotland:S92000003"]}
        response = post(client, app, key, values, changed=[f"{ids.PROFILE_COMPARATORS}.value"])
        assert response.status_code == 200
        props = response_props(response)
        shown = json.dumps(props[ids.PROFILE_MAIN]["children"])
        assert "Not an area in this warehouse, so not drawn: <b>x</b>, council:S12999999." in shown
        assert props[ids.PROFILE_URL]["search"].endswith(
            "compare=%3Cb%3Ex%3C%2Fb%3E,council%3AS12999999,scotland%3AS92000003")
        forged = post(client, app, key, values | {f"{ids.PROFILE_COMPARATORS}.value": {"a": 1}},
                      changed=[f"{ids.PROFILE_COMPARATORS}.value"])
        assert forged.status_code == 400
    finally:
        queries_of(app.server).reader.close()


def test_a_withheld_latest_period_is_said_and_rank_and_map_do_not_fall_back(demo_queries: Queries) -> None:
    """Issue 13, finding 2: where an area's latest value is withheld, the rank chart and the map
    fell back silently to the last period it had a value; now they stay on its own latest period
    and say it is not ranked, and the trend caption names the periods its change is between."""
    found = demo_queries.reader.query("""
        SELECT t.indicator_id, t.area_code, t.baseline_period_label, t.latest_period_label, v.period_label AS own
        FROM marts.trend AS t
        JOIN marts.indicator_values AS v USING (indicator_id, area_type, area_code)
        WHERE t.area_type = 'ward' AND t.change_abs IS NOT NULL AND v.is_suppressed
          AND v.period_year = (SELECT max(period_year) FROM marts.indicator_values AS w
                               WHERE w.indicator_id = t.indicator_id AND w.area_type = 'ward'
                                 AND w.area_code = t.area_code)
          AND v.period_label <> t.latest_period_label
        ORDER BY t.indicator_id, t.area_code LIMIT 1""", {})
    assert len(found), "the demo has a ward whose latest value is withheld"
    row = found.iloc[0]
    sections = profile_main(demo_queries, "ward", str(row.area_code), str(row.indicator_id))
    titles = {s.to_plotly_json()["props"].get("data-section"): component_text(s) for s in sections}
    assert f"between {row.baseline_period_label} and {row.latest_period_label}" in titles["trend"]
    assert f", {row.own}" in titles["rank"] and "has no published value in this period, so it is not ranked" \
        in titles["rank"]
    assert f"Map, {row.own}" in titles["map"] and f"Map, {row.latest_period_label}" not in titles["map"]


def test_only_the_trend_is_drawn_at_once_and_each_chart_below_travels_whole(demo_queries: Queries) -> None:
    """Issue 13, finding 9: the five charts below the trend cost ~450 ms of drawing before the Area
    profile stopped changing. Each now travels as a slot the chart's height, holding the figure and
    configuration an eager chart has, drawn by assets/lazy_charts.js when scrolled to."""
    area = str(demo_queries.reader.query(
        "SELECT min(area_code) AS a FROM marts.areas WHERE area_type = 'council'", {}).a.iloc[0])
    page = [*profile_main(demo_queries, "council", area, EM), *profile_spine(demo_queries, "council", area, "health"),
            *profile_inequality(demo_queries, "council", area, EM, "national_quintile")]
    charts = _charts(page)
    assert isinstance(charts.pop("trend"), dcc.Graph)
    assert set(charts) == {"rank", "map", "spine", "inequality", "extremes"}
    ids_seen = [props["id"] for props in charts.values()]
    assert all(i["type"] == LAZY_CHART for i in ids_seen) and len({i["key"] for i in ids_seen}) == len(ids_seen)
    for key, props in charts.items():
        spec = json.loads(props["data-lazy-chart"])
        assert spec["config"] == GRAPH_CONFIG
        assert spec["figure"]["data"], key
        height = (spec["figure"]["layout"].get("height") or GRAPH_HEIGHT) + AROUND_FIGURE_PX
        assert props["style"] == {"minHeight": f"{height}px"}  # the page does not move when it draws
    # the same figure an eager chart would be given (serialised as Dash serialises a dcc.Graph's)
    rank = json.loads(charts["rank"]["data-lazy-chart"])["figure"]
    assert rank == json.loads(to_json_plotly(_figure(page, "rank")))
