"""End-to-end fixtures: the app served in-process by waitress, driven by Debian Chromium.

Why: one server and one browser per session keep the whole e2e suite to seconds. The
warehouse the app reads comes from the ``e2e_warehouse`` fixture: override it (in a
conftest closer to the tests, or here) to point the suite at the built demo warehouse.

Chromium is ``/usr/bin/chromium`` (no ``playwright install``). When it is missing the
tests skip, unless the ``CI`` environment variable is set, in which case they fail.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "dashboard"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from e2e_case import E2ECase, derive_case  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1"}
#: The officer the journeys sign in as (added to the served app's user folder by ``sign_in``).
E2E_OFFICER = ("e2e-officer", "e2e officer password")


def e2e_user_dir(warehouse: Path) -> Path:
    """Where the app serving ``warehouse`` keeps accounts, saved areas and commentary."""
    return warehouse.parent / "e2e-user"


@pytest.fixture(scope="session")
def e2e_warehouse(demo_warehouse: Path) -> Path:
    """The warehouse the e2e app reads: the built-in demo, built by the real ETL."""
    return demo_warehouse


@pytest.fixture(scope="session")
def e2e_case(e2e_warehouse: Path) -> E2ECase:
    """What the journey picks and expects, read from whichever warehouse is in use."""
    return derive_case(e2e_warehouse)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (local)
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def serve_app(warehouse: Path, **settings: Any) -> Iterator[str]:
    """Serve ``create_app`` on a free 127.0.0.1 port in a thread; yield the base URL.

    The first request (made here) is what binds the page callbacks to this app. ``settings`` are
    more Settings (e.g. ``raw_dir`` for an app whose Build now rebuilds its own copy of the demo).
    """
    from waitress import wasyncore
    from waitress.server import create_server

    from dashboard.app import create_app
    from dashboard.data.context import queries_of
    from etl.settings import Settings

    port = _free_port()
    app = create_app(Settings(warehouse_path=warehouse, host="127.0.0.1", port=port,
                              user_dir=e2e_user_dir(warehouse), **settings))
    socket_map: dict[int, object] = {}
    server = create_server(app.server, map=socket_map, host="127.0.0.1", port=port, threads=4)
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:
            # closing the sockets below can catch the loop inside select(): "Bad file
            # descriptor" then means only that the server was stopped, not that it failed
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, name=f"e2e-waitress-{port}", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url + "/")
        yield url
    finally:
        stopping.set()
        server.close()
        server.task_dispatcher.shutdown()
        wasyncore.close_all(socket_map)  # keep-alive browser connections end the loop too
        thread.join(timeout=5)
        queries_of(app.server).reader.close()


@pytest.fixture(scope="session")
def app_url(e2e_warehouse: Path) -> Iterator[str]:
    """Base URL ('http://127.0.0.1:PORT') of the app reading ``e2e_warehouse``."""
    with serve_app(e2e_warehouse) as url:
        yield url


@pytest.fixture(scope="module")
def real_app_url(real_warehouse: Path) -> Iterator[str]:
    """Base URL of an app reading real Scotland (``real_warehouse``, built once per session from the
    committed snapshot); one server per test module that asks for it."""
    with serve_app(real_warehouse) as url:
        yield url


@pytest.fixture
def unavailable_app_url(tmp_path: Path, app_url: str) -> Iterator[str]:
    """An app whose warehouse file does not exist (as before the first ``cpop build``)."""
    with serve_app(tmp_path / "not-built.duckdb") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian Chromium for the session (skips when absent, fails on CI)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required on CI (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class PageWatch:
    """What a page did: console errors and every URL it requested."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def remote_requests(self) -> list[str]:
        """Requests whose host is not 127.0.0.1 (data: and blob: URLs are local)."""
        return [u for u in self.requests
                if urlparse(u).scheme in {"http", "https", "ws", "wss"}
                and urlparse(u).hostname not in LOCAL_HOSTS]


@pytest.fixture
def page(browser: object) -> Iterator[tuple[object, PageWatch]]:
    """A fresh browser context and page, with console errors and requests recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})  # type: ignore[attr-defined]
    pg = context.new_page()
    # generous bounds on waiting for a condition: this machine is often busy (a 5 s wait has
    # failed a fresh clone's run); a test still finishes as soon as its condition holds
    pg.set_default_timeout(30_000)
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
    watch = PageWatch()
    pg.on("console", lambda msg: watch.console_errors.append(msg.text)
          if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))
    pg.on("request", lambda req: watch.requests.append(req.url))
    yield pg, watch
    context.close()


@pytest.fixture
def sign_in(e2e_warehouse: Path) -> Any:
    """``sign_in(pg, base_url, next_path)``: sign in as the e2e officer through the sign-in page (the
    account is created in the served app's user folder first), landing on ``next_path``."""
    from playwright.sync_api import expect

    from dashboard import ids
    from dashboard.auth.users import UserStore

    UserStore(e2e_user_dir(e2e_warehouse)).add(*E2E_OFFICER, replace=True)

    def _sign_in(pg: Any, base_url: str, next_path: str = "/") -> None:
        pg.goto(f"{base_url}/sign-in?next={next_path}")
        pg.fill(f"#{ids.SIGN_IN_USERNAME}", E2E_OFFICER[0])
        pg.fill(f"#{ids.SIGN_IN_PASSWORD}", E2E_OFFICER[1])
        pg.click(f"#{ids.SIGN_IN_SUBMIT}")
        expect(pg.locator(f"#{ids.NAV_SIGN_OUT}")).to_be_visible()
        expect(pg).to_have_url(f"{base_url}{next_path}")

    return _sign_in
