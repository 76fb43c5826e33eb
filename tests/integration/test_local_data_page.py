"""The Local data page's callbacks as the server meets them (``/_dash-update-component``): a viewer
is refused every change and nothing changes; an officer reads the guess, corrects a column, checks,
keeps, publishes and rolls back (audited, the same store and files as ``cpop local``); junk gets a
message or a 400 with a sentence, never a 500 (issue 15)."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.auth.audit import AuditLog
from dashboard.auth.users import UserStore
from dashboard.data.context import queries_of
from dashboard.logic.local_data import FIELDS
from etl.local.store import LocalStore
from etl.settings import Settings
from tests.fixtures.dash_callbacks import callback_key, form_value, post, response_props, text_of
from tests.fixtures.local import attendance_meta, council_attendance_xlsx

PASSWORD = "a long enough password"
OFFICER = "local-officer"
WIDE = "(one column per period)"


@pytest.fixture(scope="module")
def world(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("local-page")
    with duckdb.connect(str(demo_warehouse), read_only=True) as con:
        zones = [r[0] for r in con.execute("SELECT area_code FROM marts.areas WHERE area_type = 'datazone' "
                                           "ORDER BY area_code").fetchall()]
    fixture = council_attendance_xlsx(root / "attendance.xlsx", zones)
    user_dir = root / "user"
    UserStore(user_dir).add(OFFICER, PASSWORD)
    app = create_app(Settings(warehouse_path=demo_warehouse, user_dir=user_dir))
    yield {"app": app, "fixture": fixture, "user_dir": user_dir, "zones": zones,
           "upload": "data:application/octet-stream;base64," + base64.b64encode(fixture.path.read_bytes()).decode()}
    queries_of(app.server).reader.close()


def _meta_values(**changes: str) -> dict[str, str]:
    """The metadata form filled in as an officer would for the attendance workbook."""
    meta = attendance_meta()
    flat = {k: str(v) for k, v in meta.items() if k != "denominator"}
    flat.update({f"denominator_{k}": str(v) for k, v in meta["denominator"].items()})
    flat.update(changes)
    return {f"{ids.LOCAL_META_PREFIX}{f.name}.value": flat.get(f.name) for f in FIELDS}


def _form(world: dict, **changes: Any) -> dict[str, Any]:
    values = {f"{ids.LOCAL_UPLOAD}.contents": world["upload"], f"{ids.LOCAL_UPLOAD}.filename": "attendance.xlsx",
              f"{ids.LOCAL_SHEET}.value": "Attendance", f"{ids.LOCAL_GEOGRAPHY}.value": "Data Zone",
              f"{ids.LOCAL_PERIOD}.value": WIDE, **_meta_values()}
    values.update(changes)
    return values


def _click(client: Any, app: Any, output: str, button: str, values: dict[str, Any]) -> Any:
    response = post(client, app, callback_key(app, output), {f"{button}.n_clicks": 1, **values},
                    changed=[f"{button}.n_clicks"])
    assert response.status_code == 200, response.get_data(as_text=True)
    return response_props(response)


def _sign_in(client: Any, app: Any) -> None:
    page = post(client, app, callback_key(app, "_pages_content"),
                {"_pages_location.pathname": "/sign-in", "_pages_location.search": ""})
    token = form_value(page.get_data(as_text=True), "csrf_token")
    client.post("/auth/sign-in", data={"username": OFFICER, "password": PASSWORD, "csrf_token": token,
                                       "next": "/local"})


def _page_text(client: Any, app: Any) -> str:
    page = post(client, app, callback_key(app, "_pages_content"),
                {"_pages_location.pathname": "/local", "_pages_location.search": ""})
    assert page.status_code == 200
    return text_of(response_props(page)["_pages_content"]["children"])


def _audit(user_dir: Path) -> list[str]:
    return [e.action for e in AuditLog(user_dir).entries()] if (user_dir).exists() else []


def test_a_viewer_sees_the_datasets_but_every_change_is_refused_and_changes_nothing(world: dict) -> None:
    app, client = world["app"], world["app"].server.test_client()
    assert "No local datasets yet" in _page_text(client, app) and "sign in" in _page_text(client, app)
    before = _audit(world["user_dir"])
    guess = post(client, app, callback_key(app, ids.LOCAL_GUESS),
                 {f"{ids.LOCAL_UPLOAD}.contents": world["upload"], f"{ids.LOCAL_UPLOAD}.filename": "attendance.xlsx"})
    assert guess.status_code == 200 and "Only a signed-in officer" in text_of(
        response_props(guess)[ids.LOCAL_FILE_STATUS]["children"])
    for button in (ids.LOCAL_CHECK, ids.LOCAL_KEEP):
        props = _click(client, app, ids.LOCAL_STATUS, button, _form(world))
        assert "Only a signed-in officer" in text_of(props[ids.LOCAL_STATUS]["children"])
        assert props[ids.LOCAL_QUARANTINE_GRID]["rowData"] == []
    for button in (ids.LOCAL_PUBLISH, ids.LOCAL_ROLLBACK):
        props = _click(client, app, ids.LOCAL_PUBLISH_STATUS, button, {f"{ids.LOCAL_DATASET}.value": "school_attendance"})
        assert "Only a signed-in officer" in text_of(props[ids.LOCAL_PUBLISH_STATUS]["children"])
    download = post(client, app, callback_key(app, ids.LOCAL_DOWNLOAD), {f"{ids.LOCAL_QUARANTINE}.n_clicks": 1,
                                                                        **_form(world)})
    assert download.status_code in (200, 204) and ids.LOCAL_DOWNLOAD not in response_props(download)
    versions = post(client, app, callback_key(app, ids.LOCAL_VERSION), {f"{ids.LOCAL_DATASET}.value": "x"})
    assert response_props(versions)[ids.LOCAL_VERSION]["options"] == []
    assert LocalStore(world["user_dir"]).ids() == [] and _audit(world["user_dir"]) == before
    assert not (world["user_dir"] / "local" / "published").exists()


def test_an_officer_corrects_the_guess_checks_keeps_publishes_and_rolls_back(world: dict) -> None:
    app, client, fixture, user_dir = world["app"], world["app"].server.test_client(), world["fixture"], \
        world["user_dir"]
    _sign_in(client, app)
    guess = post(client, app, callback_key(app, ids.LOCAL_GUESS),
                 {f"{ids.LOCAL_UPLOAD}.contents": world["upload"], f"{ids.LOCAL_UPLOAD}.filename": "attendance.xlsx"})
    props = response_props(guess)
    assert props[ids.LOCAL_GEOGRAPHY]["value"] == "Data Zone" and props[ids.LOCAL_PERIOD]["value"] == WIDE
    assert props[ids.LOCAL_SHEET]["value"] == "Attendance"
    assert "one column per period" in text_of(props[ids.LOCAL_FILE_STATUS]["children"])

    wrong = _click(client, app, ids.LOCAL_STATUS, ids.LOCAL_CHECK,
                   _form(world, **{f"{ids.LOCAL_GEOGRAPHY}.value": "Data zone name"}))
    assert "'Data zone name' are not area codes" in text_of(wrong[ids.LOCAL_STATUS]["children"])
    assert "attendance.xlsx" in text_of(wrong[ids.LOCAL_STATUS]["children"])

    checked = _click(client, app, ids.LOCAL_STATUS, ids.LOCAL_CHECK, _form(world))
    report = text_of(checked[ids.LOCAL_REPORT]["children"])
    quarantined = fixture.records - fixture.accepted
    assert (f"Rows read {fixture.records:,} = accepted {fixture.accepted:,} + quarantined {quarantined:,}"
            in report)
    assert "duplicate of an earlier row (same area and period): 4" in report
    assert len(checked[ids.LOCAL_QUARANTINE_GRID]["rowData"]) == quarantined
    assert LocalStore(user_dir).ids() == []  # a check keeps nothing

    download = post(client, app, callback_key(app, ids.LOCAL_DOWNLOAD), {f"{ids.LOCAL_QUARANTINE}.n_clicks": 1,
                                                                        **_form(world)},
                    changed=[f"{ids.LOCAL_QUARANTINE}.n_clicks"])
    sent = response_props(download)[ids.LOCAL_DOWNLOAD]["data"]
    rows = pd.read_csv(io.StringIO(sent["content"]), dtype=str)
    assert sent["filename"] == "quarantine-attendance.csv" and len(rows) == quarantined
    assert rows.groupby("reason").size().to_dict() == dict(fixture.expected)

    kept = _click(client, app, ids.LOCAL_STATUS, ids.LOCAL_KEEP, _form(world))
    assert "Kept as version 1 of 'school_attendance'" in text_of(kept[ids.LOCAL_STATUS]["children"])
    assert "not published" in text_of(kept[ids.LOCAL_DATASETS]["children"])
    assert kept[ids.LOCAL_DATASET]["options"] == [{"label": "Pupils with attendance below 90% (school_attendance)",
                                                   "value": "school_attendance"}]
    state = LocalStore(user_dir).state("school_attendance")
    assert state.versions[0].added_by == OFFICER and state.versions[0].file == "attendance.xlsx"
    assert (LocalStore(user_dir).version_dir("school_attendance", 1) / "raw" / "attendance.xlsx").is_file()

    published = _click(client, app, ids.LOCAL_PUBLISH_STATUS, ids.LOCAL_PUBLISH,
                       {f"{ids.LOCAL_DATASET}.value": "school_attendance"})
    message = text_of(published[ids.LOCAL_PUBLISH_STATUS]["children"])
    assert "Published version 1 of 'school_attendance'" in message and "cpop build" in message
    assert "version 1" in text_of(published[ids.LOCAL_DATASETS]["children"])
    assert LocalStore(user_dir).state("school_attendance").published_version == 1
    assert list((user_dir / "local" / "published" / "demo").rglob("*.csv"))  # what the next build reads
    page = _page_text(client, app)
    assert "CPP partners only" in page and "Demo Council Education Services" in page

    rolled = _click(client, app, ids.LOCAL_PUBLISH_STATUS, ids.LOCAL_ROLLBACK,
                    {f"{ids.LOCAL_DATASET}.value": "school_attendance"})
    assert "withdrawn" in text_of(rolled[ids.LOCAL_PUBLISH_STATUS]["children"])
    assert LocalStore(user_dir).state("school_attendance").published_version is None
    entries = [(e.user, e.action) for e in AuditLog(user_dir).entries()]
    assert [(OFFICER, a) for a in ("add local dataset", "publish local dataset", "roll back local dataset")] == \
        [e for e in entries if "local dataset" in e[1]]

    # a revision is version 2; an earlier version can still be chosen and published
    revised = council_attendance_xlsx(fixture.path.with_name("attendance-v2.xlsx"), world["zones"], revise=3)
    upload = "data:application/octet-stream;base64," + base64.b64encode(revised.path.read_bytes()).decode()
    kept = _click(client, app, ids.LOCAL_STATUS, ids.LOCAL_KEEP, _form(world, **{
        f"{ids.LOCAL_UPLOAD}.contents": upload, f"{ids.LOCAL_UPLOAD}.filename": "attendance-v2.xlsx"}))
    assert "Kept as version 2" in text_of(kept[ids.LOCAL_STATUS]["children"])
    assert "Values revised since the previous version: 3" in text_of(kept[ids.LOCAL_STATUS]["children"])
    listed = text_of(kept[ids.LOCAL_STATUS]["children"])  # which: the first three zones' 2022/23 counts
    assert all(f'{zone}</th><td>2022/2023</td>' in listed for zone in world["zones"][:3])
    assert world["zones"][3] not in listed
    versions = response_props(post(client, app, callback_key(app, ids.LOCAL_VERSION),
                                   {f"{ids.LOCAL_DATASET}.value": "school_attendance"}))[ids.LOCAL_VERSION]["options"]
    assert [o["value"] for o in versions] == ["2", "1"] and "attendance-v2.xlsx" in versions[0]["label"]
    chosen = _click(client, app, ids.LOCAL_PUBLISH_STATUS, ids.LOCAL_PUBLISH,
                    {f"{ids.LOCAL_DATASET}.value": "school_attendance", f"{ids.LOCAL_VERSION}.value": "1"})
    assert "Published version 1 of" in text_of(chosen[ids.LOCAL_PUBLISH_STATUS]["children"])
    for junk, why in (("x", "not a version number"), ("7", "has no version 7")):
        refused = _click(client, app, ids.LOCAL_PUBLISH_STATUS, ids.LOCAL_PUBLISH,
                         {f"{ids.LOCAL_DATASET}.value": "school_attendance", f"{ids.LOCAL_VERSION}.value": junk})
        assert why in text_of(refused[ids.LOCAL_PUBLISH_STATUS]["children"])
    assert LocalStore(user_dir).state("school_attendance").published_version == 1


def test_metadata_errors_are_named_by_their_box(world: dict) -> None:
    app, client = world["app"], world["app"].server.test_client()
    _sign_in(client, app)
    values = _form(world, **_meta_values(title="", min_count="none", release_date="1 October"))
    props = _click(client, app, ids.LOCAL_STATUS, ids.LOCAL_CHECK, {**_form(world), **values})
    text = text_of(props[ids.LOCAL_STATUS]["children"])
    assert "Title: Field required" in text
    assert "Disclosure: smallest count shown:" in text and "Release date:" in text


@pytest.mark.parametrize(("changes", "expected"), [
    ({f"{ids.LOCAL_UPLOAD}.contents": "not an upload"}, "did not arrive as a file upload"),
    ({f"{ids.LOCAL_UPLOAD}.contents": "data:text/csv;base64,!!!"}, "arrived damaged"),
    ({f"{ids.LOCAL_UPLOAD}.filename": "payload.exe"}, "not a CSV file or an Excel workbook"),
    ({f"{ids.LOCAL_UPLOAD}.filename": "../../etc/passwd.xlsx"}, "Checked passwd.xlsx"),
    ({f"{ids.LOCAL_UPLOAD}.contents": "data:text/csv;base64," + base64.b64encode(b"a,b\n1,2\n").decode(),
      f"{ids.LOCAL_UPLOAD}.filename": "junk.csv"}, "junk.csv"),
    ({f"{ids.LOCAL_SHEET}.value": "No such sheet"}, "no sheet 'No such sheet'"),
    ({f"{ids.LOCAL_PERIOD}.value": "Nope", f"{ids.LOCAL_VALUE}.value": "Nope"}, "there is no column 'Nope'"),
    ({f"{ids.LOCAL_UPLOAD}.contents": None}, "upload"),
])
def test_junk_in_the_form_gets_a_message_not_a_500(world: dict, changes: dict, expected: str) -> None:
    app, client = world["app"], world["app"].server.test_client()
    _sign_in(client, app)
    props = _click(client, app, ids.LOCAL_STATUS, ids.LOCAL_CHECK, _form(world, **changes))
    assert expected in text_of(props[ids.LOCAL_STATUS]["children"])


@pytest.mark.parametrize("changes", [
    {f"{ids.LOCAL_UPLOAD}.contents": {"a": 1}},
    {f"{ids.LOCAL_META_PREFIX}title.value": ["a", "list"]},
    {f"{ids.LOCAL_CHECK}.n_clicks": "many"},
])
def test_junk_of_the_wrong_type_is_a_400_with_a_sentence(world: dict, changes: dict) -> None:
    app, client = world["app"], world["app"].server.test_client()
    _sign_in(client, app)
    response = post(client, app, callback_key(app, ids.LOCAL_STATUS),
                    {f"{ids.LOCAL_CHECK}.n_clicks": 1, **_form(world), **changes}, changed=[f"{ids.LOCAL_CHECK}.n_clicks"])
    assert response.status_code == 400 and "refused" in response.get_json()["error"]
    publish = post(client, app, callback_key(app, ids.LOCAL_PUBLISH_STATUS),
                   {f"{ids.LOCAL_PUBLISH}.n_clicks": 1, f"{ids.LOCAL_DATASET}.value": {"$ne": 1}},
                   changed=[f"{ids.LOCAL_PUBLISH}.n_clicks"])
    assert publish.status_code == 400
