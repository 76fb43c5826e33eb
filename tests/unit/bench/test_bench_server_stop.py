"""The benches stop their waitress servers without a worker's traceback after the figures
(bench.dashboard_bench.stop_server)."""

from __future__ import annotations

import logging
import threading
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from waitress.server import create_server

from bench.dashboard_bench import stop_server


def _answer_late(entered: threading.Event, release: threading.Event) -> Callable[..., list[bytes]]:
    def app(_environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        entered.set()
        release.wait(30)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"done"]
    return app


def _serve(server: Any) -> None:
    try:
        server.run()
    except OSError:  # the loop caught inside select() as the sockets close: the server was stopped
        pass


def _stop_while_answering(stop: Callable[[Any], None]) -> tuple[list[logging.LogRecord], bool]:
    """Stop a server while one of its workers is still answering; the errors logged and whether the
    answer was let through before the stop returned."""
    entered, release = threading.Event(), threading.Event()
    server = create_server(_answer_late(entered, release), host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=_serve, args=(server,), daemon=True).start()
    url = f"http://127.0.0.1:{server.effective_port}/"
    client = threading.Thread(target=lambda: _fetch(url), daemon=True)
    client.start()
    assert entered.wait(30), "the request never reached the app"
    threading.Timer(0.3, release.set).start()  # the worker answers a moment after the stop begins
    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.ERROR)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("waitress")
    logger.addHandler(handler)
    try:
        stop(server)
        released_first = release.is_set()
        release.set()
        client.join(30)
        server.task_dispatcher.shutdown(timeout=30)  # every worker has finished, and logged what it hit
    finally:
        logger.removeHandler(handler)
    return records, released_first


def _fetch(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=30).read()
    except OSError:
        pass


def test_a_worker_still_answering_finishes_before_the_sockets_close() -> None:
    records, released_first = _stop_while_answering(stop_server)
    assert released_first, "stop_server returned before its worker had finished answering"
    assert [r.getMessage() for r in records] == []


@pytest.mark.parametrize("stop", [lambda server: server.close()], ids=["close-only"])
def test_closing_first_is_what_printed_the_traceback(stop: Callable[[Any], None]) -> None:
    """Why stop_server exists: closed first, the worker's answer hits a closed trigger."""
    records, released_first = _stop_while_answering(stop)
    assert not released_first
    assert any(r.exc_info and isinstance(r.exc_info[1], OSError) for r in records)
