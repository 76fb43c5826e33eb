"""Warehouse-only callback responses are cached per build; user-file callbacks never are."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskClient

from dashboard import ids
from dashboard.app import create_app
from dashboard.response_cache import EXTENSION_KEY, ResponseCache, output_ids
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


def _my_profile_request() -> str:
    return json.dumps({
        "output": f"{ids.MY_PROFILE}.children",
        "outputs": {"id": ids.MY_PROFILE, "property": "children"},
        "inputs": [{"id": ids.MY_SELECTION, "property": "data", "value": []},
                   {"id": ids.MY_URL, "property": "search", "value": ""}],
        "changedPropIds": [f"{ids.MY_SELECTION}.data"],
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

    assert post(_my_profile_request()).status_code == 200  # reads the user's saved areas: not cached
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
