"""What the server accepts from the browser (issue 14, finding 6): selections, text, map events,
control types, callback request shapes and uploaded files."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from typing import Any

import pytest

from dashboard import ids, payloads
from dashboard.control_types import value_problem
from dashboard.data.user_store import clean_unicode, codes_from_geojson, foreign_codes
from dashboard.guard import PayloadError, refusal
from dashboard.logic.area_upload import UploadError, upload_codes

MB = 1024 * 1024


def test_a_selection_is_at_most_scotlands_data_zones_and_only_codes() -> None:
    assert payloads.selection(None) == []
    assert payloads.selection(["S01000002", "S01000001", "S01000002"]) == ["S01000002", "S01000001"]
    for bad, message in [(["S01000001"] * 6977, "more than Scotland's 6,976"), ([1], "item 1"),
                         (["S01000001", "S0100000x"], "item 2"), ({"a": 1}, "not a list"), ("S01000001", "not a list")]:
        with pytest.raises(PayloadError, match=message):
            payloads.selection(bad)


def test_text_is_refused_when_not_text_or_too_long_and_lone_surrogates_are_replaced() -> None:
    assert payloads.text(None, "name") == ""
    assert payloads.text("Broken \ud800 name\x00", "name") == "Broken \ufffd name"
    "Broken \ufffd name".encode()  # encodable, so every export can write it
    with pytest.raises(PayloadError, match="not text"):
        payloads.text(["x"], "name")
    with pytest.raises(PayloadError, match="too long"):
        payloads.text("x" * 201, "name")
    with pytest.raises(PayloadError, match="not a known indicator"):
        payloads.one_of("nope", ["ey_child_poverty"], "indicator")
    assert clean_unicode("\udfff") == "\ufffd"


def test_map_events_keep_only_string_locations() -> None:
    assert payloads.map_event(None) is None
    assert payloads.map_event({"points": [{"location": "S01000001", "x": 1}, {"pointNumber": 3}]}) == {
        "points": [{"location": "S01000001"}]}
    for bad in ({"points": "x"}, {"points": [{"location": ["a"]}]}, [1]):
        with pytest.raises(PayloadError):
            payloads.map_event(bad)


@pytest.mark.parametrize(("cid", "prop", "value", "ok"), [
    (ids.MY_SAVE, "n_clicks", 3, True), (ids.MY_SAVE, "n_clicks", "3", False), (ids.MY_SAVE, "n_clicks", -1, False),
    (ids.AREA, "value", "S12000901", True), (ids.MY_NAME, "value", "Broken \ud800", True), (ids.AREA, "value", {"$ne": 1}, False), (ids.AREA, "value", None, True),
    (ids.TABLES_INDICATORS, "value", ["a", "b"], True), (ids.TABLES_INDICATORS, "value", "a", False),
    ("_pages_location", "pathname", "/areas", True), ("_pages_location", "pathname", "areas", False),
    (ids.MY_MAP, "clickData", {"points": []}, True), (ids.MY_MAP, "clickData", "x", False),
    (ids.MY_SELECTION, "data", [1, 2], True),  # a store's content is its callback's to check
    (ids.MY_SAVE, "style", {}, False),
])
def test_each_control_may_send_only_its_own_type(cid: str, prop: str, value: Any, ok: bool) -> None:
    assert (value_problem(cid, prop, value) is None) is ok


def test_a_request_must_name_a_server_callback_with_its_declared_inputs() -> None:
    spec = {"callback": lambda: None, "inputs": [{"id": "a", "property": "n_clicks"}],
            "state": [{"id": "b", "property": "value"}]}
    callbacks = {"out.children": spec, "nav.is_open": {"inputs": [], "state": []}}  # the second is clientside
    good = {"output": "out.children", "outputs": {"id": "out", "property": "children"},
            "inputs": [{"id": "a", "property": "n_clicks", "value": 1}],
            "state": [{"id": "b", "property": "value", "value": "x"}], "changedPropIds": ["a.n_clicks"]}
    assert refusal(good, callbacks) is None
    for change, why in [({"output": "nav.is_open"}, "names no callback"), ({"output": ["x"]}, "names no callback"),
                        ({"inputs": []}, "inputs"), ({"inputs": [{"id": "z", "property": "n_clicks"}]}, "inputs"),
                        ({"state": "x"}, "state"), ({"outputs": [1, 2]}, "outputs"),
                        ({"changedPropIds": [{}]}, "changed"),
                        ({"inputs": [{"id": "a", "property": "n_clicks", "value": "many"}]}, "not what that control")]:
        assert why in refusal({**good, **change}, callbacks), change
    assert refusal([], callbacks) == "the request body is not a JSON object"


def _data_url(content: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(content).decode()


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_uploads_are_read_by_kind_or_refused_by_name() -> None:
    assert upload_codes(_data_url(b"code\nS01000001\nab10 1ab\n"), "a.csv", MB) == ["S01000001", "AB10 1AB"]
    assert upload_codes(_data_url(_xlsx([["datazone"], ["S01000001"], [3], ["S02000001"]])), "a.xlsx", MB) == [
        "S01000001", "S02000001"]
    for content, name, message in [
        (b"S01000001", "a.docx", "cpop cannot read 'a.docx'"),
        (b"\xff\xfe", "a.csv", "not a UTF-8 text file"),
        (b"no codes here", "a.txt", "has no Scottish area codes"),
        (b"E01000001,W01000002,S01000001", "a.csv", "2 code(s) are not Scottish data zones (E01000001, W01000002)"),
        (b"PK not a zip", "a.xlsx", "not an Excel workbook"),
        (json.dumps({"features": ["a"]}).encode(), "a.geojson", "feature 1 is not a GeoJSON Feature"),
        (json.dumps({"features": [{"properties": {"code": "E01000001"}}]}).encode(), "a.geojson",
         "E01000001, which is not a Scottish data zone"),
        (b"x" * (MB + 10), "a.csv", "larger than 1 MB"),
    ]:
        with pytest.raises(UploadError, match=message.replace("(", r"\(").replace(")", r"\)")):
            upload_codes(_data_url(content), name, MB)
    with pytest.raises(UploadError, match="did not arrive as a file upload"):
        upload_codes("S01000001", "a.csv", MB)


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_parsed() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (60 * MB) + b">")
    assert len(buffer.getvalue()) < MB  # small on the wire
    with pytest.raises(UploadError, match="unpacks to 63 MB"):
        upload_codes(_data_url(buffer.getvalue()), "bomb.xlsx", MB)


def test_foreign_codes_are_found_not_dropped() -> None:
    assert foreign_codes("E01000001 S01000001 W02000003 N21000001") == ["E01000001", "W02000003", "N21000001"]
    with pytest.raises(ValueError, match="feature 2 is not a GeoJSON Feature"):
        codes_from_geojson(json.dumps({"features": [{"properties": {"code": "S01000001"}}, 7]}))
