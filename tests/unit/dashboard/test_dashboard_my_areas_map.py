"""My areas map: selecting data zones or whole intermediate zones by click and lasso.

Hand-made councils of a few zones; every expected selection is written out by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader
from dashboard.figures.area import HIGHLIGHT, selection_layer, selection_map
from dashboard.logic.my_areas import (
    DATAZONE_MODE,
    IZ_MODE,
    ZoneIndex,
    add_zones,
    datazones_of,
    event_codes,
    hover_texts,
    map_click,
    map_lasso,
    select_mode,
    selected_share,
    selection_summary,
    toggle,
    toggle_zones,
    zone_index,
)

# a council of five data zones: IZ A = DZ 1, 2, 3; IZ B = DZ 4; DZ 5 has no IZ
ZONES = pd.DataFrame({
    "datazone_code": ["DZ1", "DZ2", "DZ3", "DZ4", "DZ5"],
    "datazone_name": ["Riverside 1", "Riverside 2", "Riverside 3", "Hilltop 1", None],
    "population": [800, 700, 600, 900, None],
    "intermediate_zone_code": ["IZA", "IZA", "IZA", "IZB", None],
    "intermediate_zone_name": ["Riverside", "Riverside", "Riverside", "Hilltop", None],
})


@pytest.fixture
def index() -> ZoneIndex:
    return zone_index(ZONES)


def _points(*codes: str) -> dict:
    return {"points": [{"location": c, "curveNumber": 0} for c in codes]}


def test_zone_index_holds_membership_and_names(index: ZoneIndex) -> None:
    assert index.datazones == {"DZ1", "DZ2", "DZ3", "DZ4", "DZ5"}
    assert dict(index.members) == {"IZA": ("DZ1", "DZ2", "DZ3"), "IZB": ("DZ4",)}
    assert index.names["IZA"] == "Riverside"
    assert index.names["DZ4"] == "Hilltop 1"
    assert index.names["DZ5"] == "DZ5"  # no name: the code stands in


def test_zone_index_of_no_rows_is_empty() -> None:
    empty = zone_index(ZONES.iloc[0:0])
    assert empty.datazones == frozenset() and dict(empty.members) == {} and dict(empty.names) == {}


def test_event_codes_reads_locations_once_in_order() -> None:
    assert event_codes(None) == []
    assert event_codes({}) == []
    assert event_codes({"points": None}) == []
    assert event_codes({"points": [{"location": "B"}, {"pointNumber": 3}, {"location": "A"}, {"location": "B"}]}) \
        == ["B", "A"]


def test_an_intermediate_zone_stands_for_its_data_zones(index: ZoneIndex) -> None:
    assert datazones_of(["IZA"], index) == ["DZ1", "DZ2", "DZ3"]
    assert datazones_of(["IZB", "DZ5", "IZA", "DZ4"], index) == ["DZ4", "DZ5", "DZ1", "DZ2", "DZ3"]
    # a zone of another council (a click on a map still drawn for it) is ignored
    assert datazones_of(["S01999999", "S02999999"], index) == []


def test_toggle_zones_completes_a_partial_group_and_removes_a_whole_one() -> None:
    assert toggle_zones([], ["DZ1", "DZ2"]) == ["DZ1", "DZ2"]
    assert toggle_zones(["DZ2", "DZ9"], ["DZ1", "DZ2"]) == ["DZ1", "DZ2", "DZ9"]  # partly there: completed
    assert toggle_zones(["DZ1", "DZ2", "DZ9"], ["DZ2", "DZ1"]) == ["DZ9"]  # all there: removed
    assert toggle_zones(["DZ9"], []) == ["DZ9"]
    # the single data zone case is the old toggle
    assert toggle(["DZ2"], "DZ1") == ["DZ1", "DZ2"]
    assert toggle(["DZ1"], "DZ1") == []
    assert toggle(["DZ1"], None) == ["DZ1"]


def test_clicking_an_intermediate_zone_adds_then_removes_its_data_zones(index: ZoneIndex) -> None:
    once = map_click(["DZ4"], _points("IZA"), index)
    assert once == ["DZ1", "DZ2", "DZ3", "DZ4"]
    assert map_click(once, _points("IZA"), index) == ["DZ4"]
    # one data zone removed in data zone mode, then the IZ clicked: it is completed, not emptied
    assert map_click(["DZ1", "DZ3"], _points("IZA"), index) == ["DZ1", "DZ2", "DZ3"]


def test_clicking_a_data_zone_toggles_it_alone(index: ZoneIndex) -> None:
    assert map_click([], _points("DZ2"), index) == ["DZ2"]
    assert map_click(["DZ2", "DZ3"], _points("DZ2"), index) == ["DZ3"]
    assert map_click(["DZ3"], None, index) == ["DZ3"]
    assert map_click(["DZ3"], _points("DZ1", "DZ2"), index) == ["DZ1", "DZ3"]  # only the first point is the click


def test_a_lasso_adds_every_lassoed_zone_and_never_removes(index: ZoneIndex) -> None:
    assert map_lasso(["DZ5"], _points("IZA", "IZB"), index) == ["DZ1", "DZ2", "DZ3", "DZ4", "DZ5"]
    assert map_lasso(["DZ1", "DZ2", "DZ3"], _points("IZA"), index) == ["DZ1", "DZ2", "DZ3"]
    assert map_lasso(["DZ1"], _points("DZ4", "DZ5"), index) == ["DZ1", "DZ4", "DZ5"]
    assert map_lasso(["DZ1"], None, index) == ["DZ1"]
    assert add_zones(["b", "a"], ["a", "c"]) == ["a", "b", "c"]


def test_shading_is_the_share_of_each_zone_selected(index: ZoneIndex) -> None:
    assert selected_share(["IZA", "IZB"], ["DZ1", "DZ4"], index) == [pytest.approx(1 / 3), 1.0]
    assert selected_share(["DZ1", "DZ2", "DZ5"], ["DZ1", "DZ5"], index) == [1.0, 0.0, 1.0]
    assert selected_share([], ["DZ1"], index) == []


def test_hover_says_name_code_and_how_much_is_selected(index: ZoneIndex) -> None:
    assert hover_texts(["IZA", "IZB"], ["DZ1", "DZ3"], index) == [
        "Riverside (IZA): 2 of 3 data zones selected", "Hilltop (IZB): 0 of 1 data zone selected"]
    assert hover_texts(["DZ1", "DZ2"], ["DZ1"], index) == [
        "Riverside 1 (DZ1): selected", "Riverside 2 (DZ2): not selected"]
    assert hover_texts(["S01000001"], [], ZoneIndex()) == ["S01000001 (S01000001): not selected"]


def test_selection_summary_counts_and_gives_population_when_known() -> None:
    assert selection_summary(0, None) == "No data zones selected."
    assert selection_summary(1, 812) == "1 data zone selected, population 812."
    assert selection_summary(1204, 1_234_567) == "1,204 data zones selected, population 1,234,567."
    assert selection_summary(3, None) == "3 data zones selected."


def test_select_mode_defaults_to_data_zones() -> None:
    assert select_mode(IZ_MODE) == IZ_MODE
    assert select_mode(DATAZONE_MODE) == DATAZONE_MODE
    assert select_mode(None) == DATAZONE_MODE
    assert select_mode("ward") == DATAZONE_MODE


def _square(lon: float, lat: float, size: float) -> str:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_selection_map_shades_selected_zones_and_lassos_by_default(index: ZoneIndex) -> None:
    boundaries = pd.DataFrame({"area_code": ["IZA", "IZB"],
                               "geojson": [_square(-3.2, 56.0, 0.1), _square(-3.1, 56.0, 0.1)]})
    layer = selection_layer(boundaries)
    assert layer.codes == ("IZA", "IZB")
    figure = selection_map(layer, selected_share(layer.codes, ["DZ4"], index),
                           hover_texts(layer.codes, ["DZ4"], index), "S12000901")
    trace = figure["data"][0]
    # an SVG map like the Area profile's: a WebGL map (choroplethmap) took 0.4-0.5 s more to start
    assert trace["type"] == "choropleth" and trace["featureidkey"] == "id"
    assert trace["locations"] == ["IZA", "IZB"]
    assert trace["z"] == [0.0, 1.0]
    assert trace["colorscale"][-1] == [1, HIGHLIGHT]
    assert trace["text"][1] == "Hilltop (IZB): 1 of 1 data zone selected"
    assert trace["unselected"]["marker"]["opacity"] == 1  # plotly's own dimming would hide the shading
    layout = figure["layout"]
    assert layout["dragmode"] == "lasso" and layout["clickmode"] == "event"
    assert layout["uirevision"] == "S12000901"  # zoom kept while selecting, reset for another council
    assert "map" not in layout and layout["geo"]["fitbounds"] == "locations"  # fits the zones drawn
    assert layout["geo"]["visible"] is False  # no land, coast or tiles: offline
    # wound for d3-geo (outer rings clockwise), or the SVG map would draw each zone as the whole globe
    ring = trace["geojson"]["features"][0]["geometry"]["coordinates"][0]
    assert sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) < 0


def test_selection_map_without_zones_says_what_to_do() -> None:
    layer = selection_layer(pd.DataFrame(columns=["area_code", "geojson"]))
    figure = selection_map(layer, [], [], None, "No intermediate zone boundaries for this council.")
    assert "No intermediate zone boundaries for this council." in json.dumps(figure)


def test_datazone_summary_on_the_contract_warehouse(queries: Queries) -> None:
    # S01009781 (812 people) and S01009782 (705 people), both in Fife; unknown codes do not count
    assert queries.datazone_summary(("S01009782", "S01009781", "S01000000")) == {
        "datazone_count": 2, "population": 1517, "council_code": "S12000047"}
    assert queries.datazone_summary(()) == {"datazone_count": 0, "population": None, "council_code": None}
    # no boundaries in this warehouse: no map, so no zones to draw or name
    assert queries.council_zones("S12000047").empty


@pytest.fixture(scope="module")
def demo_queries(demo_warehouse: Path) -> Queries:
    reader = WarehouseReader(demo_warehouse)
    yield Queries(reader)
    reader.close()


def test_council_zones_are_every_data_zone_of_the_council_with_its_iz(demo_queries: Queries) -> None:
    reader = demo_queries.reader
    council = reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'council' ORDER BY area_code "
                           "LIMIT 1").iloc[0, 0]
    zones = demo_queries.council_zones(council)
    expected = reader.query(
        "SELECT d.datazone_code, i.area_code AS iz FROM core.bridge_datazone_area d "
        "JOIN core.bridge_datazone_area i ON i.datazone_code = d.datazone_code AND i.area_type = 'intermediate_zone' "
        "WHERE d.area_type = 'council' AND d.area_code = ? ORDER BY 1", [council])
    assert list(zones.datazone_code) == list(expected.datazone_code)
    assert list(zones.intermediate_zone_code) == list(expected.iz)
    assert zones.datazone_name.notna().all() and zones.intermediate_zone_name.notna().all()
    index = zone_index(zones)
    drawn = set(demo_queries.area_boundaries("intermediate_zone", council).area_code)
    assert drawn == set(index.members)  # every IZ drawn on the map has its data zones
    summary = demo_queries.datazone_summary(tuple(zones.datazone_code))
    assert summary["datazone_count"] == len(zones)
    assert summary["population"] == int(zones.population.sum())
    assert summary["council_code"] == council
