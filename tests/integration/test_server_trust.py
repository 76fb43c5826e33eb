"""Issue 14, findings 4, 6 and 9 on the server: who may change what, and what the server accepts.

Every request here is what a browser (or an attacker with curl) can send: real callback ids
and outputs from the app, values chosen by the test. A viewer's direct POST to each mutating
callback changes nothing; an officer who signs in (CSRF-protected form) can, and each change
is in the audit log; junk, oversized and malformed payloads get a message, never a 500.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import dash
import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.auth.audit import AuditLog
from dashboard.auth.users import UserStore
from dashboard.data.commentary import CommentaryStore
from dashboard.data.context import queries_of
from dashboard.data.user_store import UserAreaStore
from etl.settings import Settings
from etl.warehouse_files import open_pair
from tests.fixtures.dash_callbacks import (
    UPDATE,
    body,
    callback_key,
    form_value,
    post,
    response_props,
)

PASSWORD = "a long enough password"
OFFICER = "officer@council.example"


@pytest.fixture(scope="module")
def world(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The app on the demo warehouse, an officer account, and a few real codes."""
    user_dir = tmp_path_factory.mktemp("trust-user")
    UserStore(user_dir).add(OFFICER, PASSWORD)
    app = create_app(Settings(warehouse_path=demo_warehouse, user_dir=user_dir))
    con = open_pair(demo_warehouse)
    try:
        zones = [r[0] for r in con.execute("SELECT datazone_code FROM core.dim_datazone ORDER BY 1 LIMIT 5").fetchall()]
        council = con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'council' ORDER BY 1").fetchall()[0][0]
        indicator = con.execute("SELECT indicator_id FROM meta.indicators ORDER BY 1").fetchall()[0][0]
    finally:
        con.close()
    yield {"app": app, "user_dir": user_dir, "zones": zones, "council": council, "indicator": indicator}
    queries_of(app.server).reader.close()


def _csrf_token(client: Any, app: dash.Dash) -> str:
    """The sign-in form's CSRF token, read from the sign-in page as the browser receives it."""
    key = callback_key(app, "_pages_content")
    response = post(client, app, key, {"_pages_location.pathname": "/sign-in", "_pages_location.search": ""})
    assert response.status_code == 200
    return form_value(response.get_data(as_text=True), "csrf_token")


def _signed_in(app: dash.Dash) -> Any:
    client = app.server.test_client()
    token = _csrf_token(client, app)
    response = client.post("/auth/sign-in", data={"username": OFFICER.upper(), "password": PASSWORD,
                                                  "csrf_token": token, "next": "/areas"})
    assert response.status_code == 302 and response.headers["Location"] == "/areas"
    return client


def _save(client: Any, app: dash.Dash, name: Any, selection: Any, search: str = "",
          trigger: str = ids.MY_SAVE) -> tuple[Any, dict]:
    key = callback_key(app, ids.MY_LIST)
    response = post(client, app, key, {f"{trigger}.n_clicks": 1, f"{ids.MY_NAME}.value": name,
                                       f"{ids.MY_SELECTION}.data": selection, f"{ids.MY_URL}.search": search},
                    changed=[f"{trigger}.n_clicks"])
    assert response.status_code == 200, response.get_data(as_text=True)
    return response, response_props(response)


def _comment(client: Any, app: dash.Dash, council: Any, indicator: Any, text: Any) -> dict:
    key = callback_key(app, ids.RAG_COMMENT_STATUS)
    response = post(client, app, key, {f"{ids.RAG_COMMENT_SAVE}.n_clicks": 1, f"{ids.RAG_COUNCIL}.value": council,
                                       f"{ids.RAG_COMMENT_INDICATOR}.value": indicator,
                                       f"{ids.RAG_COMMENT_TEXT}.value": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response_props(response)


def _status(props: dict, component: str) -> str:
    return str(props[component]["children"])


# --- finding 9: who may change what -------------------------------------------------------------

def test_a_viewer_is_refused_by_every_mutating_callback(world: dict) -> None:
    app, user_dir, zones = world["app"], world["user_dir"], world["zones"]
    officer = _signed_in(app)
    _, props = _save(officer, app, "Kept by the officer", zones[:3])
    saved_id = props[ids.MY_URL]["search"].removeprefix("?id=")
    areas_before = (user_dir / "areas.json").read_bytes()
    audit_before = (user_dir / "audit.jsonl").read_bytes()
    viewer = app.server.test_client()
    for trigger in (ids.MY_SAVE, ids.MY_RENAME, ids.MY_DELETE):
        _, props = _save(viewer, app, "Taken over", zones[:4], f"?id={saved_id}", trigger)
        assert "Only a signed-in officer" in _status(props, ids.MY_STATUS)
    props = _comment(viewer, app, world["council"], world["indicator"], "Written by a viewer")
    assert "Only a signed-in officer" in _status(props, ids.RAG_COMMENT_STATUS)
    assert (user_dir / "areas.json").read_bytes() == areas_before
    assert (user_dir / "audit.jsonl").read_bytes() == audit_before
    assert CommentaryStore(user_dir).get(world["council"], world["indicator"]) != "Written by a viewer"


def test_an_officer_signs_in_saves_renames_deletes_and_comments_and_each_change_is_audited(world: dict) -> None:
    app, user_dir, zones = world["app"], world["user_dir"], world["zones"]
    client = _signed_in(app)
    _, props = _save(client, app, "Riverside", zones[:3])
    assert _status(props, ids.MY_STATUS).startswith("Saved 'Riverside'")
    search = props[ids.MY_URL]["search"]
    area_id = search.removeprefix("?id=")
    _, props = _save(client, app, "Riverside East", zones[:3], search, ids.MY_RENAME)
    assert UserAreaStore(user_dir).get(area_id).name == "Riverside East"
    props = _comment(client, app, world["council"], world["indicator"], "Pilot from April.")
    assert _status(props, ids.RAG_COMMENT_STATUS) == "Saved."
    _, props = _save(client, app, "", [], search, ids.MY_DELETE)
    assert UserAreaStore(user_dir).get(area_id) is None
    entries = [(e.user, e.action, e.target) for e in AuditLog(user_dir).entries()]
    assert (OFFICER, "sign in", "session") in entries
    assert [(u, a, t) for u, a, t in entries if t == area_id] == [
        (OFFICER, "save area", area_id), (OFFICER, "rename area", area_id), (OFFICER, "delete area", area_id)]
    assert (OFFICER, "save commentary", f"council/{world['council']}") in entries


def test_sign_in_needs_the_right_password_and_the_form_token(world: dict) -> None:
    app = world["app"]
    client = app.server.test_client()
    token = _csrf_token(client, app)
    wrong = client.post("/auth/sign-in", data={"username": OFFICER, "password": "not the password",
                                                "csrf_token": token})
    assert wrong.status_code == 302 and "error=wrong" in wrong.headers["Location"]
    stranger = app.server.test_client()
    forged = stranger.post("/auth/sign-in", data={"username": OFFICER, "password": PASSWORD})
    assert forged.status_code == 302 and "error=expired" in forged.headers["Location"]
    away = client.post("/auth/sign-in", data={"username": OFFICER, "password": PASSWORD, "csrf_token": token,
                                              "next": "//evil.example/x"})
    assert away.headers["Location"] == "/"  # never sent to another site
    _, props = _save(stranger, app, "No", world["zones"][:3])
    assert "Only a signed-in officer" in _status(props, ids.MY_STATUS)


def test_a_post_from_another_site_is_refused(world: dict) -> None:
    app = world["app"]
    client = _signed_in(app)
    key = callback_key(app, ids.MY_LIST)
    request = body(app, key, {f"{ids.MY_SAVE}.n_clicks": 1, f"{ids.MY_NAME}.value": "Cross-site",
                              f"{ids.MY_SELECTION}.data": world["zones"][:3]}, [f"{ids.MY_SAVE}.n_clicks"])
    refused = client.post(UPDATE, json=request, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "another site" in refused.get_json()["error"]
    refused = client.post(UPDATE, json=request, headers={"Referer": "https://evil.example/page"})
    assert refused.status_code == 403
    same = client.post(UPDATE, json=request, headers={"Origin": "http://localhost"})
    assert same.status_code == 200
    assert sum(a.name == "Cross-site" for a in UserAreaStore(world["user_dir"]).list()) == 1


def test_sign_out_ends_the_session(world: dict) -> None:
    app = world["app"]
    client = _signed_in(app)
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert f"Signed in as {OFFICER}" in layout
    token = form_value(layout, "csrf_token")
    assert client.post("/auth/sign-out", data={"csrf_token": token}).status_code == 302
    _, props = _save(client, app, "After sign-out", world["zones"][:3])
    assert "Only a signed-in officer" in _status(props, ids.MY_STATUS)
    assert "Sign in" in client.get("/_dash-layout").get_data(as_text=True)


def test_a_removed_officer_can_no_longer_change_anything(world: dict) -> None:
    app, user_dir = world["app"], world["user_dir"]
    UserStore(user_dir).add("temp-officer", PASSWORD)
    client = app.server.test_client()
    token = _csrf_token(client, app)
    client.post("/auth/sign-in", data={"username": "temp-officer", "password": PASSWORD, "csrf_token": token})
    _, props = _save(client, app, "Temp", world["zones"][:3])
    assert _status(props, ids.MY_STATUS).startswith("Saved")
    UserStore(user_dir).remove("temp-officer")
    _, props = _save(client, app, "Temp again", world["zones"][:3])
    assert "Only a signed-in officer" in _status(props, ids.MY_STATUS)


# --- finding 6: the server validates what the browser sends -------------------------------------

@pytest.mark.parametrize(("selection", "message"), [
    ([f"S01{i:06d}" for i in range(200_000)], "more than Scotland's 6,976 data zones"),
    ([1, None, {"a": 1}], "item 1 of the selection is not a data zone code"),
    ("S01000001", "not a list of data zone codes"),
    (["S01999991", "S01999992", "S01999993"], "3 code(s) are not data zones in this warehouse: S01999991"),
    (["<script>", "x", "y"], "item 1 of the selection is not a data zone code"),
])
def test_saving_junk_is_refused_with_a_message(world: dict, selection: Any, message: str) -> None:
    app, user_dir = world["app"], world["user_dir"]
    client = _signed_in(app)
    before = len(UserAreaStore(user_dir).list())
    _, props = _save(client, app, "Junk", selection)
    assert message in _status(props, ids.MY_STATUS)
    assert len(UserAreaStore(user_dir).list()) == before


def test_a_lone_surrogate_in_a_name_is_replaced_and_the_pdf_still_exports(world: dict) -> None:
    app, user_dir, zones = world["app"], world["user_dir"], world["zones"]
    client = _signed_in(app)
    raw = json.dumps(body(app, callback_key(app, ids.MY_LIST),
                          {f"{ids.MY_SAVE}.n_clicks": 1, f"{ids.MY_NAME}.value": "Broken \ud800 name",
                           f"{ids.MY_SELECTION}.data": zones[:3]}, [f"{ids.MY_SAVE}.n_clicks"]))
    assert "\\ud800" in raw
    response = client.post(UPDATE, data=raw, content_type="application/json")
    assert response.status_code == 200
    area_id = response_props(response)[ids.MY_URL]["search"].removeprefix("?id=")
    assert UserAreaStore(user_dir).get(area_id).name == "Broken \ufffd name"
    export = post(client, app, callback_key(app, ids.MY_DOWNLOAD),
                  {f"{ids.MY_EXPORT_PDF}.n_clicks": 1, f"{ids.MY_SELECTION}.data": zones[:3],
                   f"{ids.MY_NAME}.value": "Broken \ud800 name"})
    assert export.status_code == 200
    assert response_props(export)[ids.MY_DOWNLOAD]["data"]["filename"].endswith(".pdf")


def test_a_pdf_of_too_few_data_zones_says_why_instead_of_failing(world: dict) -> None:
    """Found by the callback fuzz test: one data zone made the PDF export raise (the guard's
    generic 'something went wrong'); the rule that refused it must be what the user reads."""
    app, zones = world["app"], world["zones"]
    export = post(_signed_in(app), app, callback_key(app, ids.MY_DOWNLOAD),
                  {f"{ids.MY_EXPORT_PDF}.n_clicks": 1, f"{ids.MY_SELECTION}.data": zones[:1],
                   f"{ids.MY_NAME}.value": "One zone"})
    assert export.status_code == 200
    props = response_props(export)
    assert ids.MY_DOWNLOAD not in props
    assert "at least 3 data zones" in _status(props, ids.MY_EXPORT_STATUS)


def test_commentary_on_an_unknown_indicator_or_too_long_is_refused(world: dict) -> None:
    app, user_dir = world["app"], world["user_dir"]
    client = _signed_in(app)
    props = _comment(client, app, world["council"], "no_such_indicator", "Hello")
    assert "'no_such_indicator' is not a known indicator" in _status(props, ids.RAG_COMMENT_STATUS)
    props = _comment(client, app, world["council"], world["indicator"], "x" * 4001)
    assert "too long" in _status(props, ids.RAG_COMMENT_STATUS)
    props = _comment(client, app, "S12999999", world["indicator"], "On a council that does not exist")
    assert "not a council or locality of this warehouse" in _status(props, ids.RAG_COMMENT_STATUS)
    forged = post(client, app, callback_key(app, ids.RAG_COMMENT_STATUS),
                  {f"{ids.RAG_COMMENT_SAVE}.n_clicks": 1, f"{ids.RAG_COUNCIL}.value": world["council"],
                   f"{ids.RAG_COMMENT_INDICATOR}.value": {"$ne": 1}, f"{ids.RAG_COMMENT_TEXT}.value": "Hello"})
    assert forged.status_code == 400 and "not what that control sends" in forged.get_json()["error"]
    assert "no_such_indicator" not in (user_dir / "commentary.json").read_text() \
        if (user_dir / "commentary.json").exists() else True


def _upload(client: Any, app: dash.Dash, filename: str, content: bytes) -> str:
    import base64

    key = callback_key(app, ids.MY_SELECTION, "data")
    response = post(client, app, key, {f"{ids.MY_UPLOAD}.contents": "data:application/octet-stream;base64,"
                                       + base64.b64encode(content).decode(), f"{ids.MY_UPLOAD}.filename": filename},
                    changed=[f"{ids.MY_UPLOAD}.contents"])
    assert response.status_code == 200, response.get_data(as_text=True)
    props = response_props(response)
    return str(props[ids.MY_STATUS]["children"]) + f" | selection={props[ids.MY_SELECTION]['data']}"


def test_uploads_report_what_cannot_be_read(world: dict) -> None:
    from openpyxl import Workbook

    app, zones = world["app"], world["zones"]
    client = app.server.test_client()  # making a selection needs no sign-in
    english = _upload(client, app, "mixed.csv", f"{zones[0]}\nE01000001\nE01000002\nW01000003\n".encode())
    assert "3 code(s) are not Scottish data zones (E01000001, E01000002, W01000003)" in english
    assert "selection=[]" in english
    book = Workbook()
    book.active.append(["datazone_code"])
    for code in zones[:3]:
        book.active.append([code])
    buffer = io.BytesIO()
    book.save(buffer)
    read = _upload(client, app, "area.xlsx", buffer.getvalue())
    assert read.startswith("Read area.xlsx.") and f"selection={sorted(zones[:3])}" in read
    assert "cpop cannot read 'area.pdf'" in _upload(client, app, "area.pdf", b"%PDF-1.4")
    strings = json.dumps({"type": "FeatureCollection", "features": ["a", "b"]}).encode()
    assert "feature 1 is not a GeoJSON Feature" in _upload(client, app, "area.geojson", strings)
    assert "not a UTF-8 text file" in _upload(client, app, "area.csv", b"\xff\xfe\x00S\x00")
    pasted = post(client, app, callback_key(app, ids.MY_SELECTION, "data"),
                  {f"{ids.MY_CODES}.value": f"{zones[0]}, E01000001; W01000002"}, changed=[f"{ids.MY_CODES}.value"])
    assert "2 code(s) are not Scottish data zones (E01000001, W01000002)" in str(response_props(pasted))
    assert "'big.csv' is larger than 5 MB" in _upload(client, app, "big.csv", b"S01020001\n" * 600_000)


def test_a_malformed_callback_request_is_a_400_with_a_sentence(world: dict) -> None:
    client = world["app"].server.test_client()
    for payload in ({}, [], {"output": 3}, {"output": "no-such.children"},
                    {"output": callback_key(world["app"], ids.MY_LIST), "inputs": "x"}):
        response = client.post(UPDATE, json=payload)
        assert response.status_code == 400
        assert "reload the page" in response.get_json()["error"] and "Traceback" not in response.get_data(as_text=True)
    response = client.post(UPDATE, data=b"{not json", content_type="application/json")
    assert response.status_code == 400


# --- finding 4: the request size limit ----------------------------------------------------------

class _CountingStream(io.RawIOBase):
    """A request body that counts what is read from it (and would take forever to send)."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.read_bytes += len(buffer)
        buffer[:] = b"x" * len(buffer)
        return len(buffer)


def test_an_oversized_request_is_refused_before_its_body_is_read(world: dict) -> None:
    from werkzeug.test import EnvironBuilder

    app = world["app"]
    stream = _CountingStream()
    environ = EnvironBuilder(path=UPDATE, method="POST", content_type="application/json").get_environ()
    environ["CONTENT_LENGTH"] = str(200 * 1024 * 1024)  # the 200 MB uploads of the finding
    environ["wsgi.input"] = stream
    status: list[str] = []
    chunks = app.server.wsgi_app(environ, lambda s, h, e=None: status.append(s))
    text = b"".join(chunks).decode()
    assert status[0].startswith("413")
    assert "more than 64 MB" in text and "at most 5 MB" in text
    assert stream.read_bytes == 0


def test_cpop_serve_has_waitress_refuse_an_oversized_body_from_its_headers(monkeypatch: pytest.MonkeyPatch,
                                                                           tmp_path: Path) -> None:
    """``cpop serve`` gives waitress the limit; waitress's parser then marks a request whose
    Content-Length is over it as "413 Request Entity Too Large" from the headers alone, so
    the body is never read (it answers and closes the connection)."""
    import waitress
    from waitress.adjustments import Adjustments
    from waitress.parser import HTTPRequestParser
    from waitress.utilities import RequestEntityTooLarge

    from dashboard.app import serve

    seen: dict[str, Any] = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: seen.update(kwargs))
    settings = Settings(warehouse_path=tmp_path / "absent.duckdb", user_dir=tmp_path / "user")
    serve(settings)
    assert seen["max_request_body_size"] == settings.max_request_bytes
    parser = HTTPRequestParser(Adjustments(max_request_body_size=seen["max_request_body_size"]))
    headers = (b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               b"Content-Type: application/json\r\nContent-Length: 209715200\r\n\r\n")
    assert parser.received(headers) == len(headers)
    assert parser.completed and isinstance(parser.error, RequestEntityTooLarge)


def test_a_callback_that_fails_unforeseen_says_so_on_the_page_not_with_a_500(world: dict,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.data.queries import Queries
    from dashboard.guard import FAILED

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Queries, "datazone_summary", broken)
    app = world["app"]
    response = post(app.server.test_client(), app, callback_key(app, ids.MY_SUMMARY),
                    {f"{ids.MY_SELECTION}.data": world["zones"][:3]})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["response"] == {}  # the page's outputs are left as they were
    assert answer["sideUpdate"][ids.APP_ERROR] == {"children": FAILED, "is_open": True}
    assert "disk on fire" not in response.get_data(as_text=True)  # the log has it, the page does not
