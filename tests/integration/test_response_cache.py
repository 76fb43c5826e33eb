"""Warehouse-only callback responses are cached per build; a callback that also reads one user file
is cached under that file's content; every other user-file callback never is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from dashboard import ids
from dashboard.app import create_app
from dashboard.data.commentary import CommentaryStore
from dashboard.data.user_store import UserAreaStore
from dashboard.response_cache import EXTENSION_KEY, ResponseCache, _file_content, output_ids
from etl.build import build
from etl.settings import Settings
from tests.fixtures.tiny_world import write_tiny_raw

COUNCIL = "S12900001"


def _spine_request(area_code: str) -> str:
    """The request Dash sends when Area Profiles draws the spine chart of a council."""
    return json.dumps({
        "output": f"{ids.PROFILE_SPINE}.children",
        "outputs": {"id": ids.PROFILE_SPINE, "property": "children"},
        "inputs": [{"id": ids.PROFILE_AREA, "property": "value", "value": area_code},
                   {"id": ids.PROFILE_THEME, "property": "value", "value": "early_years"}],
        "state": [{"id": ids.PROFILE_AREA_TYPE, "property": "value", "value": "council"}],
        "changedPropIds": [f"{ids.PROFILE_AREA}.value"],
    })


def _my_profile_request(datazones: list[str] | None = None) -> str:
    return json.dumps({
        "output": f"{ids.MY_PROFILE}.children",
        "outputs": {"id": ids.MY_PROFILE, "property": "children"},
        "inputs": [{"id": ids.MY_SELECTION, "property": "data", "value": datazones or []},
                   {"id": ids.MY_URL, "property": "search", "value": ""}],
        "changedPropIds": [f"{ids.MY_SELECTION}.data"],
    })


def _exceptions_request(council: str) -> str:
    """The request the Dashboard sends for a council's exception report."""
    return json.dumps({
        "output": f"{ids.RAG_EXCEPTIONS}.children",
        "outputs": {"id": ids.RAG_EXCEPTIONS, "property": "children"},
        "inputs": [{"id": ids.RAG_COUNCIL, "property": "value", "value": council},
                   {"id": ids.RAG_SCOPE, "property": "value", "value": None},
                   {"id": ids.RAG_COMMENT_SAVED, "property": "data", "value": None}],
        "changedPropIds": [f"{ids.RAG_COUNCIL}.value"],
    })


def _page_request(pathname: str, search: object = "") -> str:
    """The request Dash pages' router sends for a page layout."""
    return json.dumps({
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
    })


def _served(tmp_path: Path) -> tuple[Settings, FlaskClient, ResponseCache]:
    """A tiny warehouse, a dashboard serving it, and that dashboard's response cache."""
    settings = Settings(raw_dir=write_tiny_raw(tmp_path / "raw"), warehouse_path=tmp_path / "cpop.duckdb",
                        user_dir=tmp_path / "user")
    build(settings)
    app = create_app(settings)
    return settings, app.server.test_client(), app.server.extensions[EXTENSION_KEY]


def test_page_layouts_are_cached_only_for_warehouse_only_pages(tmp_path: Path) -> None:
    _, client, cache = _served(tmp_path)
    for path in ("/area", "/area", "/areas", "/areas", "/dashboard", "/"):
        response = client.post("/_dash-update-component", data=_page_request(path), content_type="application/json")
        assert response.status_code == 200, path
    # saved areas, commentary: never cached; Home for a published area (here none) is the warehouse's
    assert (cache.hits, cache.misses, len(cache)) == (1, 2, 2)


def test_home_is_cached_for_a_published_area_and_never_for_a_saved_one(tmp_path: Path) -> None:
    _, client, cache = _served(tmp_path)
    saved = ("?area_type=user&area=a1", "?area_type=%20User%20&area=a1", "?area=a1&area_type=ward&area_type=user",
             "?area_type=us%65r", ["?area_type=ward"])
    for search in saved:
        for _ in range(2):
            response = client.post("/_dash-update-component", data=_page_request("/", search),
                                   content_type="application/json")
            assert response.status_code in (200, 204, 400, 500), search
    assert (cache.hits, cache.misses, len(cache)) == (0, 0, 0)
    for _ in range(2):
        response = client.post("/_dash-update-component", data=_page_request("/", f"?area_type=council&area={COUNCIL}"),
                               content_type="application/json")
        assert response.status_code == 200 and COUNCIL in response.get_data(as_text=True)
    assert (cache.hits, cache.misses, len(cache)) == (1, 1, 1)


def test_output_ids_of_single_and_multi_output_callbacks() -> None:
    assert output_ids("profile-spine.children") == ["profile-spine"]
    assert output_ids("..profile-main.children...profile-url.search..") == ["profile-main", "profile-url"]


def test_cache_is_bounded_and_emptied_by_a_new_build() -> None:
    cache = ResponseCache(max_bytes=100)
    cache.put("b1", "k", b"x", "application/json")  # a put before any get belongs to no build
    assert cache.get("b1", "k") is None
    for i in range(5):
        cache.put("b1", f"k{i}", b"y" * 20, "application/json")
    assert len(cache) == 5 and cache.get("b1", "k0") is not None
    cache.put("b1", "k5", b"z" * 20, "application/json")  # over 100 bytes: the least recent goes
    assert cache.get("b1", "k1") is None and cache.get("b1", "k0") is not None
    cache.put("b1", "big", b"w" * 60, "application/json")  # over a quarter of the budget: not kept
    assert cache.get("b1", "big") is None
    assert cache.get("b2", "k0") is None and len(cache) == 0


def test_repeated_requests_hit_until_the_warehouse_is_rebuilt(tmp_path: Path) -> None:
    settings, client, cache = _served(tmp_path)
    post = lambda body: client.post("/_dash-update-component", data=body,  # noqa: E731
                                    content_type="application/json")
    first = post(_spine_request(COUNCIL))
    assert first.status_code == 200 and b"Spine chart" in first.data
    assert (cache.hits, cache.misses, len(cache)) == (0, 1, 1)
    again = post(_spine_request(COUNCIL))
    assert again.data == first.data and again.mimetype == first.mimetype
    assert (cache.hits, len(cache)) == (1, 1)

    assert post(_page_request("/areas")).status_code == 200  # lists the user's saved areas: not cached
    assert (cache.hits, cache.misses, len(cache)) == (1, 1, 1)

    build(settings)  # a rebuild swaps the file in: the next request is computed afresh
    rebuilt = post(_spine_request(COUNCIL))
    assert rebuilt.status_code == 200 and (cache.hits, cache.misses, len(cache)) == (1, 2, 1)


def test_identical_requests_wait_for_the_first_instead_of_computing_again() -> None:
    import threading

    cache = ResponseCache()
    assert cache.get_or_claim("b1", "k") is None  # this request computes it
    got: list[object] = []
    waiter = threading.Thread(target=lambda: got.append(cache.get_or_claim("b1", "k")))
    waiter.start()
    waiter.join(timeout=0.2)
    assert waiter.is_alive() and not got  # the second one waits...
    cache.put("b1", "k", b"answer", "application/json")
    cache.release("b1", "k")
    waiter.join(timeout=5)
    assert got == [(b"answer", "application/json")] and cache.waits == 1  # ...and shares the answer


def test_a_failed_first_request_lets_the_next_one_compute() -> None:
    import threading

    cache = ResponseCache()
    assert cache.get_or_claim("b1", "k") is None
    got: list[object] = []
    waiter = threading.Thread(target=lambda: got.append(cache.get_or_claim("b1", "k")))
    waiter.start()
    cache.release("b1", "k")  # an error: nothing was cached
    waiter.join(timeout=5)
    assert got == [None]  # the waiter claimed it and computes it itself
    cache.release("b1", "k")
    assert cache.get_or_claim("b1", "k", wait=0.01) is None


def test_requests_release_their_claims(tmp_path: Path) -> None:
    _, client, cache = _served(tmp_path)
    for _ in range(2):
        response = client.post("/_dash-update-component", data=_spine_request(COUNCIL), content_type="application/json")
        assert response.status_code == 200
    assert (cache.hits, cache.misses) == (1, 1) and not cache._computing  # noqa: SLF001


def _served_demo(demo_warehouse: Path, tmp_path: Path) -> tuple[Path, FlaskClient, ResponseCache]:
    """The demo warehouse served with an empty user folder: (user folder, client, response cache)."""
    settings = Settings(warehouse_path=demo_warehouse, user_dir=tmp_path / "user")
    app = create_app(settings)
    return settings.user_dir, app.server.test_client(), app.server.extensions[EXTENSION_KEY]


def test_the_exception_report_is_cached_until_a_note_is_saved(demo_warehouse: Path, tmp_path: Path) -> None:
    user_dir, client, cache = _served_demo(demo_warehouse, tmp_path)
    council = _demo_council(demo_warehouse)
    post = lambda: client.post("/_dash-update-component", data=_exceptions_request(council),  # noqa: E731
                               content_type="application/json")
    first = post()
    assert first.status_code == 200 and post().data == first.data
    assert (cache.hits, cache.misses) == (1, 1)

    # another officer saves a note: a viewer sending the very same request sees it at once
    note = "Pilot of income maximisation from April."
    CommentaryStore(user_dir).save(council, _needing_attention(demo_warehouse, council), note, area_type="council")
    noted = post()
    assert noted.status_code == 200 and note in noted.get_data(as_text=True)
    assert (cache.hits, cache.misses) == (1, 2)
    assert post().data == noted.data and cache.hits == 2


def test_an_answer_is_not_kept_when_its_file_changed_while_it_was_computed(
        demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user_dir, client, cache = _served_demo(demo_warehouse, tmp_path)
    council = _demo_council(demo_warehouse)
    post = lambda: client.post("/_dash-update-component", data=_exceptions_request(council),  # noqa: E731
                               content_type="application/json")
    indicator = _needing_attention(demo_warehouse, council)
    read = CommentaryStore.for_area

    def saved_meanwhile(store: CommentaryStore, area_type: str, area_code: str) -> dict:
        notes = read(store, area_type, area_code)  # the report's notes are read; then another officer saves one
        store.save(council, indicator, "Saved meanwhile.", area_type="council")
        return notes

    monkeypatch.setattr(CommentaryStore, "for_area", saved_meanwhile)
    stale = post()
    assert stale.status_code == 200 and "Saved meanwhile." not in stale.get_data(as_text=True)
    assert len(cache) == 0  # kept under neither the old file's key nor the new one's
    monkeypatch.setattr(CommentaryStore, "for_area", read)
    assert "Saved meanwhile." in post().get_data(as_text=True) and len(cache) == 1


def test_a_user_made_area_profile_is_cached_until_another_area_is_saved(demo_warehouse: Path, tmp_path: Path) -> None:
    user_dir, client, cache = _served_demo(demo_warehouse, tmp_path)
    zones = _demo_datazones(demo_warehouse, 12)
    post = lambda: client.post("/_dash-update-component", data=_my_profile_request(zones[:8]),  # noqa: E731
                               content_type="application/json")
    first = post()
    assert first.status_code == 200 and post().data == first.data
    assert (cache.hits, cache.misses) == (1, 1)
    # a saved area overlapping this one changes what differencing may withhold: computed again
    UserAreaStore(user_dir).create("Overlapping", zones[4:])
    assert post().status_code == 200 and (cache.hits, cache.misses) == (1, 2)
    assert post().status_code == 200 and cache.hits == 2


def test_a_user_file_that_cannot_be_read_means_no_caching(tmp_path: Path) -> None:
    """Content keys the answer: a missing file is empty content, an unreadable one no key at all."""
    assert _file_content(tmp_path / "commentary.json") == b""
    (tmp_path / "areas.json").mkdir()  # there, but not a file that can be read
    assert _file_content(tmp_path / "areas.json") is None
    (tmp_path / "notes.json").write_bytes(b'{"a": 1}')
    assert _file_content(tmp_path / "notes.json") == b'{"a": 1}'


def _demo_council(warehouse: Path) -> str:
    """The demo council whose exception report the tests read (the first by code)."""
    return _demo_codes(warehouse, "SELECT min(area_code) FROM marts.areas WHERE area_type = 'council'")[0]


def _needing_attention(warehouse: Path, council: str) -> str:
    """An indicator in the council's exception report."""
    from dashboard.data.queries import Queries
    from dashboard.data.reader import WarehouseReader

    reader = WarehouseReader(warehouse)
    try:
        status = Queries(reader).area_status(council, "council")
        return str(status[status.needs_attention].indicator_id.iloc[0])
    finally:
        reader.close()


def _demo_datazones(warehouse: Path, n: int) -> list[str]:
    return _demo_codes(warehouse, f"SELECT area_code FROM marts.areas WHERE area_type = 'datazone' "
                                  f"ORDER BY area_code LIMIT {int(n)}")


def _demo_codes(warehouse: Path, sql: str) -> list[str]:
    from dashboard.data.reader import WarehouseReader

    reader = WarehouseReader(warehouse)
    try:
        return [str(code) for code in reader.query(sql).iloc[:, 0]]
    finally:
        reader.close()
