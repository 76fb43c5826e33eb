"""Fuzz every server callback with malformed payloads (issue 14): no 500, no traceback, no junk stored.

Requests name the app's real callbacks (ids, properties, outputs from ``app.callback_map``);
hypothesis chooses the values: mostly of the type each control sends but with hostile content
(unknown codes, lone surrogates, English codes, odd paths), sometimes of any JSON type at all.
Sent by a viewer and by a signed-in officer (so the mutating callbacks run past the role check).
Every answer is a 200/204 (the page shows a message) or a 400 (the shape was refused); a
callback that fails in an unforeseen way would show the generic "Something went wrong"
message, and that is a failure here too. Afterwards, the saved areas and commentary hold only
data zones and indicators that exist.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.app import create_app
from dashboard.auth.users import UserStore
from dashboard.control_types import BY_ID
from dashboard.data.context import queries_of
from dashboard.data.user_store import UserAreaStore
from dashboard.guard import FAILED
from dashboard.payloads import MAX_DATAZONES
from etl.settings import Settings
from etl.warehouse_files import open_pair
from tests.fixtures.dash_callbacks import UPDATE, body, callback_key, form_value, post

PASSWORD = "fuzzing password 123"
HOSTILE = ["S01020001", "S01020002", "S01020003", "S12000901", "S02010001", "E01000001 S01020001", "council",
           "ward", "datazone", "intermediate_zone", "locality", "user", "ey_child_poverty", "no_such_indicator",
           "?id=abc", "?council=S12000901&area=x", "/", "/areas", "/profile", "/dashboard", "/tables", "/sign-in",
           "/area", "/explorer", "/about", "\ud800", "=HYPERLINK(\"x\")", "<script>", "2019", "national_quintile",
           "x.csv", "../../etc/passwd"]
strings = st.one_of(st.none(), st.text(max_size=40), st.sampled_from(HOSTILE))
anything = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(), strings),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)
uploads = st.sampled_from([
    "data:text/csv;base64,UzAxMDIwMDAxClMwMTAyMDAwMgpTMDEwMjAwMDMK",  # three data zones
    "data:text/csv;base64,RTAxMDAwMDAxCg==",  # an English code
    "data:application/json;base64,eyJmZWF0dXJlcyI6WyJhIl19",  # GeoJSON whose features are strings
    "data:x;base64,!!!", "not a data url", ""])


def _typed(name: str) -> st.SearchStrategy:
    """Values of the type the control ``name`` ('id.property') sends, with hostile content."""
    cid, prop = name.rsplit(".", 1)
    if prop == "n_clicks":
        return st.one_of(st.none(), st.integers(0, 5))
    if "list" in str(BY_ID.get((cid, prop), "")):
        return st.one_of(st.none(), st.lists(st.sampled_from(HOSTILE), max_size=4))
    if prop in ("clickData", "selectedData"):
        return st.one_of(st.none(), st.fixed_dictionaries({"points": st.lists(
            st.fixed_dictionaries({"location": strings}), max_size=3)}))
    if prop in ("options", "columnDefs", "columnState", "virtualRowData"):
        return st.one_of(st.none(), st.lists(st.dictionaries(st.text(max_size=5), strings, max_size=3), max_size=3))
    if prop == "contents":
        return st.one_of(st.none(), uploads)
    if prop == "data":
        return st.one_of(anything, st.lists(st.sampled_from(HOSTILE), max_size=5))
    return strings


@pytest.fixture(scope="module")
def fuzz_world(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    user_dir = tmp_path_factory.mktemp("fuzz-user")
    UserStore(user_dir).add("fuzzer", PASSWORD)
    app = create_app(Settings(warehouse_path=demo_warehouse, user_dir=user_dir))
    officer = app.server.test_client()
    router = callback_key(app, "_pages_content")
    token = form_value(post(officer, app, router, {"_pages_location.pathname": "/sign-in"}).get_data(as_text=True),
                       "csrf_token")
    assert officer.post("/auth/sign-in", data={"username": "fuzzer", "password": PASSWORD,
                                               "csrf_token": token}).status_code == 302
    keys = sorted(k for k, spec in app.callback_map.items() if callable(spec.get("callback")))
    yield app, {"viewer": app.server.test_client(), "officer": officer}, keys, user_dir
    queries_of(app.server).reader.close()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_callback_payload_gives_a_500_or_a_traceback(fuzz_world: Any, data: st.DataObject) -> None:
    app, clients, keys, _ = fuzz_world
    key = data.draw(st.sampled_from(keys), label="callback")
    spec = app.callback_map[key]
    names = [f"{d['id']}.{d['property']}" for d in spec["inputs"] + spec.get("state", [])]
    hostile_types = data.draw(st.integers(0, 4), label="any type?") == 0
    values = {n: data.draw(st.one_of(_typed(n), anything) if hostile_types else _typed(n), label=n) for n in names}
    changed = data.draw(st.lists(st.sampled_from([f"{d['id']}.{d['property']}" for d in spec["inputs"]]),
                                 min_size=1, max_size=2), label="changed")
    client = clients[data.draw(st.sampled_from(["viewer", "officer"]), label="who")]
    response = client.post(UPDATE, json=body(app, key, values, changed))
    text = response.get_data(as_text=True)
    assert response.status_code in (200, 204, 400), (key, response.status_code, text[:500])
    assert "Traceback" not in text and 'File "' not in text
    assert FAILED.split(",")[0] not in text, (key, values)


def test_after_fuzzing_only_real_data_zones_and_indicators_are_stored(fuzz_world: Any,
                                                                      demo_warehouse: Path) -> None:
    """Runs after the fuzz test (same module): whatever it saved is made of things that exist."""
    _, _, _, user_dir = fuzz_world
    con = open_pair(demo_warehouse)
    try:
        zones = {r[0] for r in con.execute("SELECT datazone_code FROM core.dim_datazone").fetchall()}
        indicators = {r[0] for r in con.execute("SELECT indicator_id FROM meta.indicators").fetchall()}
    finally:
        con.close()
    for area in UserAreaStore(user_dir).list():
        assert set(area.datazones) <= zones and 0 < len(area.datazones) <= MAX_DATAZONES
        assert "\ud800" not in area.name
    commentary = user_dir / "commentary.json"
    if commentary.exists():
        assert {rec["indicator_id"] for rec in json.loads(commentary.read_text()).values()} <= indicators
