"""create_app: pages found, offline by construction, friendly when the warehouse is missing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dash
import pytest

from dashboard.app import PLOTLY_JS_PATH, TITLE, create_app, serve
from dashboard.data.context import queries_of
from etl.settings import Settings

HOME = "dashboard.pages.home"
QUICK = "dashboard.pages.quick_profile"


def _app(path: Path) -> dash.Dash:
    app = create_app(Settings(warehouse_path=path))
    # Serve one request so this app takes the page callbacks registered for it
    # (dash.callback registrations are global until an app's first request).
    assert app.server.test_client().get("/").status_code == 200
    return app


def test_index_is_offline(warehouse_path: Path) -> None:
    app = _app(warehouse_path)
    html = app.server.test_client().get("/").get_data(as_text=True)
    assert f"<title>{TITLE}</title>" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, "expected local scripts and stylesheets"
    assert all(s.startswith("/") for s in sources), sources
    assert "/assets/bootstrap.min.css" in html
    assert app.config.external_stylesheets == [] and app.config.external_scripts == []
    assert HOME in dash.page_registry
    queries_of(app.server).reader.close()


def test_plotly_js_starts_with_the_page_from_where_the_graph_component_would_load_it(warehouse_path: Path) -> None:
    """plotly.js is a deferred script in the head (parsed while the layout is fetched), at the address
    dash-renderer gives the graph component, so a page with a chart fetches and parses it once; no
    other async bundle (MathJax) is loaded eagerly."""
    app = _app(warehouse_path)
    client = app.server.test_client()
    html = client.get("/").get_data(as_text=True)
    head = html.split("</head>", 1)[0]
    assert f'<script defer src="{PLOTLY_JS_PATH}"></script>' in head
    assert "mathjax" not in html.lower()
    renderer = Path(dash.__file__).parent / "dash-renderer" / "build" / "dash_renderer.min.js"
    assert PLOTLY_JS_PATH.lstrip("/") in renderer.read_text(encoding="utf-8")
    response = client.get(PLOTLY_JS_PATH)
    assert response.status_code == 200 and b"plotly.js" in response.get_data()[:400]
    queries_of(app.server).reader.close()


def test_layout_reads_url_arguments(warehouse_path: Path) -> None:
    app = _app(warehouse_path)
    layout = dash.page_registry[QUICK]["layout"]
    with app.server.test_request_context("/"):
        page = str(layout(area_type="ward", area="S13002883", indicator="hi_early_mortality"))
    assert "Kirkcaldy Central" in page
    assert "hi_early_mortality" in page
    queries_of(app.server).reader.close()


def test_missing_warehouse_shows_a_panel_not_a_traceback(tmp_path: Path) -> None:
    app = _app(tmp_path / "absent.duckdb")
    layout = dash.page_registry[HOME]["layout"]
    with app.server.test_request_context("/"):
        page = str(layout())
    assert "cpop build" in page
    assert "not built yet" in page


@pytest.mark.parametrize("page_name", ["home", "quick_profile", "area_profile", "rag", "tables",
                                       "about"])
def test_every_page_layout_survives_a_missing_warehouse(tmp_path: Path, page_name: str) -> None:
    app = _app(tmp_path / "absent.duckdb")
    layout = dash.page_registry[f"dashboard.pages.{page_name}"]["layout"]
    with app.server.test_request_context("/"):
        page = str(layout())
    assert "not built yet" in page


def test_home_layout_reads_url_arguments(warehouse_path: Path) -> None:
    app = _app(warehouse_path)
    layout = dash.page_registry[HOME]["layout"]
    with app.server.test_request_context("/"):
        page = str(layout(area_type="ward", area="S13002883"))
    assert "Kirkcaldy Central: is it improving?" in page
    assert "0 of 1 measure improving" in page
    queries_of(app.server).reader.close()


def test_serve_prints_the_url(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                              tmp_path: Path) -> None:
    calls: dict[str, object] = {}

    def fake_serve(app: object, **kwargs: object) -> None:
        calls.update(kwargs)

    monkeypatch.setattr("waitress.serve", fake_serve)
    serve(Settings(warehouse_path=tmp_path / "x.duckdb", host="127.0.0.1", port=8123))
    assert "Serving cpop dashboard at http://127.0.0.1:8123/" in capsys.readouterr().out
    assert calls["host"] == "127.0.0.1" and calls["port"] == 8123


def test_page_callbacks_are_bound_before_the_first_request(warehouse_path: Path) -> None:
    """Concurrent first requests after a restart must all find their callbacks: Dash's lazy
    first-request set-up has already run when create_app returns."""
    import threading

    from dashboard import ids

    app = create_app(Settings(warehouse_path=warehouse_path))
    assert any(key.startswith(f"{ids.PROFILE_SPINE}.") or f"..{ids.PROFILE_SPINE}." in key
               for key in app.callback_map)
    body = {"output": f"{ids.PROFILE_SPINE}.children",
            "outputs": {"id": ids.PROFILE_SPINE, "property": "children"},
            "inputs": [{"id": ids.PROFILE_AREA, "property": "value", "value": None},
                       {"id": ids.PROFILE_THEME, "property": "value", "value": "early_years"}],
            "state": [{"id": ids.PROFILE_AREA_TYPE, "property": "value", "value": "council"}],
            "changedPropIds": [f"{ids.PROFILE_AREA}.value"]}
    statuses: list[int] = []

    def post() -> None:
        client = app.server.test_client()
        statuses.append(client.post("/_dash-update-component", json=body).status_code)

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert statuses and all(s in (200, 204) for s in statuses), statuses
    queries_of(app.server).reader.close()


def test_a_second_app_in_the_process_has_every_callback_of_the_first(warehouse_path: Path) -> None:
    """Dash gives callbacks registered at import time to the first app only. The keyboard "Clear
    area" button did nothing in any app created after the first (found when the browser tests
    served a second app before the shared one): every app must get the same callbacks, the
    browser's clientside ones included."""

    def dependencies(app: object) -> list[str]:
        response = app.server.test_client().get("/_dash-dependencies")  # type: ignore[attr-defined]
        return sorted(json.dumps(item["inputs"], sort_keys=True) for item in response.get_json())

    first = create_app(Settings(warehouse_path=warehouse_path))
    second = create_app(Settings(warehouse_path=warehouse_path))
    try:
        assert dependencies(second) == dependencies(first)
        assert any("clear-picker" in inputs for inputs in dependencies(second))
        assert "set_props(trigger.target" in second.server.test_client().get("/").get_data(as_text=True)
    finally:
        for app in (first, second):
            queries_of(app.server).reader.close()
