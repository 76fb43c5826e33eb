"""Cache the responses of callbacks that only read the warehouse, per warehouse build.

Why: a theme board opens the same few profiles at once, and every figure is rebuilt in Python
(plotly validation) on each request. A callback whose outputs depend only on its inputs and
the warehouse gives the same bytes for the same request body until the warehouse is rebuilt,
so its response is kept, keyed by (build_id, request body). A few callbacks also read one of
the user's own files (``USER_FILE_OUTPUTS``: the exception report shows officers' commentary,
a user-made area's profile is differenced against the saved areas): theirs are kept under the
request body and that file's content, so a note or an area saved is a new key, and an answer
is kept only if the file did not change while it was computed. Every other callback that reads
or writes user files, depends on who is signed in, or makes a download is never cached: a
request is served from the cache only when every one of its outputs is listed.

Identical requests that arrive while the first is still being computed wait for it instead of
computing the same answer again ("single flight"): after a rebuild, when every cache is cold,
a board opening the same view at once costs one computation, not twenty.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import flask

from dashboard import ids
from dashboard.data.commentary import CommentaryStore
from dashboard.data.context import get_queries, get_user_dir
from dashboard.data.reader import WarehouseUnavailable
from dashboard.data.user_store import UserAreaStore
from dashboard.logic.home import USER_TYPE

#: Component ids whose callbacks read nothing but their inputs and the warehouse.
WAREHOUSE_ONLY_OUTPUTS = frozenset({
    # Area Profiles
    ids.PROFILE_MAIN, ids.PROFILE_SPINE, ids.PROFILE_INEQUALITY, ids.PROFILE_MORE_INEQUALITY_BODY, ids.PROFILE_URL,
    ids.PROFILE_AREA, ids.PROFILE_AREA_TYPE, ids.PROFILE_INDICATOR,
    # Quick Profile
    ids.AREA, ids.AREA_HEADING, ids.LATEST, ids.INDICATOR, ids.TREND, ids.HOME_URL, ids.HOME_STATUS,
    # Home tiles (a saved area's tile is only a link) and the Explorer
    ids.HOME_TILES, ids.HOME_PAGE_URL, ids.EXPLORER_RESULTS, ids.EXPLORER_URL,
    # Advanced Tables
    ids.TABLES_GRID, ids.TABLES_STATUS, ids.TABLES_URL, ids.TABLES_PERIODS,
    # the My areas map and its status line draw the selection passed in
    ids.MY_MAP, ids.MY_SUMMARY,
    # Dashboard: the controls and the RAG matrix (not the exception report, which shows commentary)
    ids.RAG_SCOPE, ids.RAG_AREA_TYPE, ids.RAG_MATRIX, ids.RAG_COMMENT_INDICATOR, ids.RAG_URL, ids.RAG_HEADING,
})
#: Outputs whose answer reads the warehouse and one file in the user folder (nothing else: not
#: who is signed in), and that file's path there.
USER_FILE_OUTPUTS: dict[str, Callable[[Path], Path]] = {
    ids.RAG_EXCEPTIONS: lambda user_dir: CommentaryStore(user_dir).path,
    ids.MY_PROFILE: lambda user_dir: UserAreaStore(user_dir).path,
}
#: Dash pages' router (page layouts) and the pages whose layout reads only the warehouse (not
#: My areas or the RAG dashboard, which list saved areas or officers' commentary).
PAGE_ROUTER_OUTPUTS = frozenset({"_pages_content", "_pages_store"})
PAGE_LOCATION = "_pages_location"
WAREHOUSE_ONLY_PAGES = frozenset({"/profile", "/area", "/explorer", "/tables", "/about"})
#: Home reads the user's files only for a saved area (``?area_type=user``: its tiles and the list
#: of saved areas); for a published area it is the warehouse's tiles alone.
HOME_PAGE = "/"
UPDATE_PATH = "/_dash-update-component"
EXTENSION_KEY = "cpop.response_cache"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: How long an identical request waits for the first one before computing the answer itself.
WAIT_SECONDS = 30.0


def output_ids(output: str) -> list[str]:
    """Component ids in Dash's ``output`` field: ``"a.children"`` or ``"..a.children...b.search.."``."""
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    return [part.rsplit(".", 1)[0] for part in parts if part]


class ResponseCache:
    """An LRU of callback responses bounded by total size, emptied when the build changes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._max_bytes = max_bytes
        self._size = 0
        self._build_id: str | None = None
        self._data: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple[str, str], threading.Event] = {}
        self.hits = 0
        self.misses = 0
        self.waits = 0

    def get(self, build_id: str, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            if build_id != self._build_id:
                self._data.clear()
                self._size = 0
                self._build_id = build_id
            found = self._data.get(key)
            if found is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return found

    def get_or_claim(self, build_id: str, key: str, wait: float = WAIT_SECONDS) -> tuple[bytes, str] | None:
        """The cached response; or, when an identical request is being computed, that one's
        response once it is done; or None, and the caller now computes it and must
        ``release`` the key afterwards (whatever happens)."""
        while True:
            found = self.get(build_id, key)
            if found is not None:
                return found
            with self._lock:
                running = self._computing.get((build_id, key))
                if running is None:
                    self._computing[(build_id, key)] = threading.Event()
                    return None
                self.waits += 1
            if not running.wait(wait):
                return None  # the first is stuck: compute it here, without claiming it
            with self._lock:
                found = self._data.get(key) if build_id == self._build_id else None
            if found is not None:
                return found
            # the first one did not leave a response to share (an error): try to claim again

    def release(self, build_id: str, key: str) -> None:
        """The claimed computation of ``key`` is over (cached or not): wake whoever waits."""
        with self._lock:
            running = self._computing.pop((build_id, key), None)
        if running is not None:
            running.set()

    def put(self, build_id: str, key: str, body: bytes, mimetype: str) -> None:
        if len(body) > self._max_bytes // 4:
            return  # one huge answer must not evict everything else
        with self._lock:
            if build_id != self._build_id:
                return
            old = self._data.pop(key, None)
            self._size -= len(old[0]) if old else 0
            self._data[key] = (body, mimetype)
            self._size += len(body)
            while self._size > self._max_bytes and self._data:
                _, (dropped, _) = self._data.popitem(last=False)
                self._size -= len(dropped)

    def __len__(self) -> int:
        return len(self._data)


def _cache_key(body: bytes) -> str | None:
    """The key of a cacheable callback request (with the content of the user file it reads, if
    any), or None when an output may read anything else of the user's."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    output = payload.get("output") if isinstance(payload, dict) else None
    if not isinstance(output, str):
        return None
    outputs = set(output_ids(output))
    if outputs <= PAGE_ROUTER_OUTPUTS:
        pathname = _location(payload, "pathname")
        if pathname not in WAREHOUSE_ONLY_PAGES and not (pathname == HOME_PAGE and _not_user(payload)):
            return None
        return hashlib.sha256(body).hexdigest()
    if not outputs <= WAREHOUSE_ONLY_OUTPUTS | USER_FILE_OUTPUTS.keys():
        return None
    key = hashlib.sha256(body)
    for output in sorted(outputs & USER_FILE_OUTPUTS.keys()):
        content = _file_content(USER_FILE_OUTPUTS[output](get_user_dir()))
        if content is None:
            return None
        key.update(b"\0" + content)
    return key.hexdigest()


def _file_content(path: Path) -> bytes | None:
    """A user file's bytes (empty when it does not exist yet; None when it cannot be read): read
    whole, as it is small (notes, lists of data zones) and its content, not its date, says whether
    an answer still holds."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""
    except OSError:
        return None


def _location(payload: dict, prop: str) -> Any:
    """A router request's ``_pages_location`` input (``pathname``: the page; ``search``: its query)."""
    inputs = payload.get("inputs")
    for item in inputs if isinstance(inputs, list) else []:
        if isinstance(item, dict) and item.get("id") == PAGE_LOCATION and item.get("property") == prop:
            return item.get("value")
    return None


def _not_user(payload: dict) -> bool:
    """Whether a Home request surely names no saved area: no value of its query is 'user' in any
    spelling (stricter than Home's own reading, ``clean_arg``), and the query is plain text."""
    search = _location(payload, "search")
    if search is None:
        return True
    if not isinstance(search, str):
        return False
    pairs = parse_qsl(search.lstrip("?"), keep_blank_values=True)
    return not any(value.strip().lower() == USER_TYPE for _, value in pairs)


def _cache() -> ResponseCache:
    return flask.current_app.extensions[EXTENSION_KEY]


def install_response_cache(server: flask.Flask, cache: ResponseCache | None = None) -> ResponseCache:
    """Serve repeated warehouse-only callback requests from ``cache`` (one per app, kept in
    ``server.extensions``, where tests and benchmarks may swap it)."""
    cache = cache or ResponseCache()
    server.extensions[EXTENSION_KEY] = cache

    @server.before_request
    def _serve_cached() -> flask.Response | None:
        request = flask.request
        if request.method != "POST" or not request.path.endswith(UPDATE_PATH):
            return None
        key = _cache_key(request.get_data(cache=True))
        if key is None:
            return None
        try:
            build_id = get_queries().reader.build_id()
        except WarehouseUnavailable:
            return None
        found = _cache().get_or_claim(build_id, key)
        if found is not None:
            return flask.Response(found[0], mimetype=found[1])
        flask.g.cpop_cache_key = (build_id, key)
        flask.g.cpop_cache_claim = (_cache(), build_id, key)
        return None

    @server.after_request
    def _keep(response: flask.Response) -> flask.Response:
        pending = flask.g.pop("cpop_cache_key", None)
        if pending is None or response.status_code != 200 or response.direct_passthrough:
            return response
        build_id, key = pending
        try:
            still = get_queries().reader.build_id()
        except WarehouseUnavailable:
            return response
        # not rebuilt while the callback ran, and no note or area saved meanwhile
        if still == build_id and _cache_key(flask.request.get_data(cache=True)) == key:
            _cache().put(build_id, key, response.get_data(), response.mimetype or "application/json")
        return response

    @server.teardown_request
    def _release(_error: BaseException | None) -> None:
        claim = flask.g.pop("cpop_cache_claim", None)
        if claim is not None:
            holder, build_id, key = claim
            holder.release(build_id, key)

    return cache
