"""Build the Dash app (``create_app``) and serve it with waitress (``serve``).

Why: one factory used by the CLI (``cpop serve``), the WSGI entry (``dashboard.wsgi``) and
the tests, so all three run the same app. Offline by construction: assets are served
from ``dashboard/assets`` (vendored Bootstrap) and Dash's own bundles, never a CDN.
"""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dashboard import ids
from dashboard.auth.server import install_auth
from dashboard.components.account_nav import account_nav
from dashboard.components.clear_button import register_clear_buttons
from dashboard.data.context import attach_queries, attach_settings, queries_of
from dashboard.data.queries import Queries
from dashboard.data.reader import WarehouseReader, WarehouseUnavailable
from dashboard.data.warmer import CacheWarmer
from dashboard.guard import failed_update_alert, install_payload_guard, report_callback_error
from dashboard.response_cache import install_response_cache
from etl.settings import Settings

PACKAGE_DIR = Path(__file__).resolve().parent
TITLE = "cpop – community outcomes profile"


def _navbar() -> dbc.Navbar:
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
        if not page["module"].endswith("not_found_404") and page.get("nav", True) and page.get("in_navbar", True)
    ]
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand("cpop", href="/"),
            dbc.NavbarToggler(id=ids.NAVBAR_TOGGLER),
            dbc.Collapse([dbc.Nav(links, navbar=True), account_nav()], id=ids.NAVBAR_COLLAPSE, navbar=True,
                         is_open=False),
        ], fluid="lg"),
        color="dark", dark=True, id=ids.NAVBAR, className="mb-0", expand="xl",
    )


def _demo_banner() -> object:
    """The fictional-demo banner when the warehouse is the demo (read per page load, so a rebuild from
    the demo to real data, or back, shows at once); nothing on real data or without a warehouse."""
    from dashboard.components.provenance import demo_banner
    from dashboard.data.context import get_queries

    try:
        return demo_banner(get_queries().build_info())
    except (WarehouseUnavailable, RuntimeError):  # no warehouse yet, or outside a request
        return None


def _layout() -> html.Div:
    """The shell of every page: skip link, navigation, the demo banner (demo only), a failed
    update's alert, the page, the footer."""
    from dashboard.components.page_chrome import site_footer, skip_link

    return html.Div([skip_link(), _navbar(), _demo_banner(), failed_update_alert(),
                     html.Main(dash.page_container, id=ids.MAIN, tabIndex="-1", className="pt-2"), site_footer()])


#: Where Dash's graph component loads plotly.js from when it is served locally (dash-renderer's
#: ``window._dashPlotlyJSURL``); the same address, so the browser fetches and parses it once.
PLOTLY_JS_PATH = "/_dash-component-suites/plotly/package_data/plotly.min.js"


def _index_string(app: dash.Dash) -> str:
    """Dash's page template, in English, with plotly.js started as the page loads.

    Why: by default the first chart on a page asks for plotly.js only once the layout and its
    first callbacks have arrived, and the 4.6 MB script is then fetched and parsed while the page
    waits (about a second of a first render). A deferred script in the head is parsed while the
    browser waits for the layout instead; the graph component finds ``window.Plotly`` and loads
    nothing. Only plotly.js: Dash's ``eager_loading`` would also fetch MathJax and every other
    async bundle on every page.
    """
    plotly = f'<script defer src="{app.get_relative_path(PLOTLY_JS_PATH)}"></script>'
    template = app.index_string.replace("<html>", '<html lang="en">', 1)
    return template.replace("{%css%}", "{%css%}\n        " + plotly, 1)


def create_app(settings: Settings | None = None) -> dash.Dash:
    """A Dash app reading ``settings.warehouse_path`` (read-only, reopened on rebuild).

    Pages are discovered in ``dashboard/pages``. The warehouse is opened lazily, so the
    app starts even before ``cpop build`` has run (pages then show how to build it).
    """
    settings = settings or Settings()
    app = dash.Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(PACKAGE_DIR / "pages"),
        assets_folder=str(PACKAGE_DIR / "assets"),
        serve_locally=True,
        external_stylesheets=[],
        external_scripts=[],
        title=TITLE,
        update_title=None,
        # pages share one callback registry; a page only holds its own components
        suppress_callback_exceptions=True,
        description="Outcomes profiles for Scotland's Community Planning Partnerships",
        # a callback that fails says so on the page (and in the log), never an HTTP 500
        on_error=report_callback_error,
    )
    app.index_string = _index_string(app)
    attach_queries(app.server, Queries(WarehouseReader(settings.warehouse_path)))
    attach_settings(app.server, settings)
    install_auth(app.server, settings)
    install_payload_guard(app)
    install_response_cache(app.server)
    app.layout = _layout
    app.clientside_callback(
        "function (n, open) { return n ? !open : open; }",
        Output(ids.NAVBAR_COLLAPSE, "is_open"), Input(ids.NAVBAR_TOGGLER, "n_clicks"),
        State(ids.NAVBAR_COLLAPSE, "is_open"), prevent_initial_call=True)
    register_clear_buttons(app)
    _finish_setup(app)
    return app


def _finish_setup(app: dash.Dash) -> None:
    """Run Dash's first-request set-up now (it copies the pages' callbacks into the app).

    Why: Dash does it lazily on the first request and not under a lock, so when a restarted
    server is hit by several browsers at once, the requests that arrive while the first one
    is still copying find no callback and fail ("Callback function not found").
    """
    app.server.test_client().get("/")


def freeze_startup_objects() -> None:
    """Move everything allocated at start-up out of the garbage collector's view.

    Why: the app's modules, page registry and plotly validators are long-lived; without this,
    full collections walk them during requests and add 100+ ms pauses to random callbacks.
    """
    from dashboard.data.warmer import freeze_long_lived

    freeze_long_lived()


def serving_app(settings: Settings) -> tuple[dash.Dash, CacheWarmer]:
    """The app as ``cpop serve`` runs it: caches (the pages' and the profiles' per-build
    constants, Home's "What changed" comparison, the Area profile's first lists) warmed in the
    background once per build, and start-up objects frozen out of the garbage collector's view
    (benchmarks use this too)."""
    from dashboard.exports.profile import warm_profile_constants
    from dashboard.logic.area_profile import warm_area_pickers
    from dashboard.logic.changes import warm_release_changes

    app = create_app(settings)
    warmer = CacheWarmer(queries_of(app.server),
                         also=(warm_profile_constants, warm_release_changes, warm_area_pickers)).start()
    freeze_startup_objects()
    return app, warmer


def serve(settings: Settings | None = None) -> None:
    """Serve the dashboard with waitress on ``settings.host:settings.port`` (blocks)."""
    from waitress import serve as waitress_serve

    settings = settings or Settings()
    app, _ = serving_app(settings)
    print(f"Serving cpop dashboard at http://{settings.host}:{settings.port}/ "
          f"(warehouse {settings.warehouse_path}; press Ctrl+C to stop)", flush=True)
    # waitress refuses a larger body from its Content-Length, before reading it (issue 14)
    waitress_serve(app.server, host=settings.host, port=settings.port,
                   threads=settings.server_threads, max_request_body_size=settings.max_request_bytes)
