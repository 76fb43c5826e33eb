"""My areas (path "/areas"): build, save and profile user-made areas.

Why: KnowFife's headline feature — an officer defines the area that suits their service (a
regeneration zone, a school catchment) by choosing localities, wards, intermediate zones or data
zones by name from a list (no map needed), by clicking or lassoing data zones (or whole
intermediate zones) on a map, pasting codes, or uploading a CSV/GeoJSON, names it, and sees
its profile at once with the same statistics, intervals and disclosure control as published
areas (plus protection against differencing). Saved areas live outside the warehouse
(data/user/), survive rebuilds, and each has a shareable URL (?id=...).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import ids, payloads
from dashboard.auth.server import SIGN_IN_PAGE, audit_log, signed_in_officer
from dashboard.components.error_panel import warehouse_unavailable_panel
from dashboard.components.glossary_text import glossary_text
from dashboard.components.html_table import frame_table
from dashboard.components.radio_group import radio_group
from dashboard.data.context import get_queries, get_request_limit, get_upload_limit, get_user_dir
from dashboard.data.reader import WarehouseUnavailable
from dashboard.data.user_areas import expand_codes, unknown_datazones
from dashboard.data.user_store import (
    UserAreaStore,
    area_to_csv,
    area_to_geojson,
    codes_from_text,
)
from dashboard.exports import ProfileError
from dashboard.figures.area import selection_layer, selection_map
from dashboard.figures.config import SELECT_CONFIG
from dashboard.guard import PayloadError
from dashboard.logic.area_upload import refuse_foreign_codes
from dashboard.logic.my_areas import (
    DATAZONE_MODE,
    SELECT_MODES,
    add_zones,
    added_summary,
    codes_from_upload,
    hover_texts,
    map_click,
    map_lasso,
    part_options,
    pasted_summary,
    pick_options,
    profile_rows,
    select_mode,
    selected_share,
    selection_summary,
    unavailable_text,
    zone_index,
)
from dashboard.logic.records import row_tuples
from dashboard.saved_profiles import other_saved_areas, user_area_profile_data

dash.register_page(__name__, path="/areas", name="My areas", order=6, title="cpop – my areas")


MAP_LABEL = ("Map of the council's zones, the selected ones shaded (for a mouse or touch). Without the map, add zones "
             "by name above, paste codes or postcodes, or upload a file; the line above the map says what is selected.")


def _store() -> UserAreaStore:
    return UserAreaStore(get_user_dir())


def layout(id: str | None = None, **_: Any) -> html.Div:  # noqa: A002 - the URL parameter is "id"
    try:
        councils = get_queries().search_areas("council", None, limit=100)
    except WarehouseUnavailable as exc:
        return dbc.Container(warehouse_unavailable_panel(exc), fluid="lg")
    area = _store().get(id) if isinstance(id, str) and id else None
    officer = signed_in_officer()
    limit_mb = get_upload_limit() // (1024 * 1024)
    options = [{"label": r.area_name, "value": r.area_code} for r in row_tuples(councils)]
    council = options[0]["value"] if options else None
    if area:  # a saved area's map opens on the council holding most of its data zones
        main = get_queries().datazone_summary(tuple(area.datazones))["council_code"]
        council = main if main in {o["value"] for o in options} else council
    return dbc.Container([
        dcc.Location(id=ids.MY_URL, refresh=False),
        dcc.Store(id=ids.MY_SELECTION, data=list(area.datazones) if area else []),
        html.H1("My areas", className="h3"),
        html.P("Make your own area from data zones — add localities, wards, intermediate zones or data zones by "
               "name, pick them on the map (data zones one by one, or whole intermediate zones), paste codes (data zones, intermediate zones, wards…) or postcodes, or upload a "
               "CSV or GeoJSON — then name and save it. Its profile uses the same methods and disclosure control as "
               "published areas."),
        dbc.Row([
            dbc.Col([
                dbc.Label("Council to draw in", html_for=ids.MY_COUNCIL),
                dcc.Dropdown(id=ids.MY_COUNCIL, options=options, value=council, clearable=False),
                dbc.Label("Add zones by name: localities, wards, intermediate zones or data zones of this council",
                          html_for=ids.MY_PICK, className="mt-2"),
                dcc.Dropdown(id=ids.MY_PICK, options=[], value=[], multi=True, searchable=True,
                             placeholder="Type part of a name or code, then choose"),
                dbc.Button("Add to selection", id=ids.MY_ADD, size="sm", color="primary", className="mt-1"),
                html.Div([
                    radio_group(ids.MY_MODE, "Select on the map", [{"label": label, "value": value}
                                                                   for value, label in SELECT_MODES],
                                DATAZONE_MODE, legend_class="col-form-label col-form-label-sm fw-semibold me-2 p-0 "
                                                            "float-none w-auto mb-0 fs-6",
                                class_name="d-flex align-items-center mb-0"),
                    dbc.Button("Clear selection", id=ids.MY_CLEAR, size="sm", color="secondary",
                               className="ms-auto"),
                ], className="d-flex align-items-center flex-wrap gap-2 mt-2"),
                html.P("Click a zone to add it (an intermediate zone adds all its data zones), click it again to remove "
                       "it; drag on the map to draw a lasso round several zones to add them all. Scroll (or use the + "
                       "and − buttons in the map's toolbar) to zoom; to move the map, pick the pan tool in the map's "
                       "toolbar (the lasso tool brings the lasso back).", className="small text-muted mb-1"),
                html.Div(id=ids.MY_SUMMARY, className="small fw-semibold", role="status"),
                # mb-5 leaves room for the "Download SVG" button under the fixed-height map
                html.Div(dcc.Graph(id=ids.MY_MAP, config=SELECT_CONFIG, className="mt-2 mb-5", style={"height": "490px"}),
                         role="figure", **{"aria-label": MAP_LABEL}),
            ], lg=7),
            dbc.Col([
                dbc.Label("Paste codes or postcodes", html_for=ids.MY_CODES),
                dbc.Textarea(id=ids.MY_CODES, rows=4, debounce=True,
                             placeholder="Data zone or IZ codes (S01020001, S02010001) or postcodes (EH1 1YZ), "
                                         "separated by commas, spaces or new lines"),
                # max_size spares the browser sending a file the server would refuse unread (it drops
                # such a file without a word); a file over the upload limit but under this is
                # sent, so the server can say it is too large
                dcc.Upload(id=ids.MY_UPLOAD, max_size=get_request_limit() * 3 // 4,
                           children=html.Div([f"Or drop / choose a CSV, GeoJSON or Excel file (up to {limit_mb} MB)"]),
                           className="border rounded p-2 my-2 text-center"),
                dbc.Label("Name", html_for=ids.MY_NAME),
                dbc.Input(id=ids.MY_NAME, value=area.name if area else "", placeholder="e.g. Riverside regeneration zone"),
                html.Div([dbc.Button("Save area", id=ids.MY_SAVE, color="primary", className="me-2 mt-2",
                                     disabled=not officer),
                          dbc.Button("Rename", id=ids.MY_RENAME, color="secondary", className="me-2 mt-2",
                                     disabled=not officer),
                          dbc.Button("Delete", id=ids.MY_DELETE, color="danger", className="mt-2",
                                     disabled=not officer)]),
                *([] if officer else [html.P(["Anyone can build an area and see its profile; officers ",
                                              html.A("sign in", href=f"{SIGN_IN_PAGE}?next=/areas"),
                                              " to save, rename or delete areas."], className="small text-muted mt-1")]),
                html.Div(id=ids.MY_STATUS, className="small my-2", role="status"),
                html.H2("Saved areas", className="h6 mt-3"),
                html.Div(_saved_list(), id=ids.MY_LIST),
            ], lg=5),
        ]),
        html.H2("Profile", className="h5 mt-3"),
        html.Div([dbc.Button("PDF", id=ids.MY_EXPORT_PDF, size="sm", color="primary", className="me-1"),
                  dbc.Button("CSV of codes", id=ids.MY_EXPORT_CSV, size="sm", color="secondary", className="me-1"),
                  dbc.Button("GeoJSON", id=ids.MY_EXPORT_GEOJSON, size="sm", color="secondary"),
                  dcc.Download(id=ids.MY_DOWNLOAD)], className="mb-2"),
        html.Div(id=ids.MY_EXPORT_STATUS, className="small mb-2", role="status"),
        dcc.Loading(html.Div(id=ids.MY_PROFILE), delay_show=300),
    ], fluid="lg")


def _zone_index(council: str | None) -> Any:
    """The council's data zone and IZ names and IZ membership, parsed once per build."""
    queries = get_queries()
    return queries.parsed(("my-areas zone index", council), lambda: zone_index(queries.council_zones(council)))


@callback(Output(ids.MY_MAP, "figure"), Input(ids.MY_COUNCIL, "value"), Input(ids.MY_MODE, "value"),
          Input(ids.MY_SELECTION, "data"))
def draw_map(council: str | None, mode: str | None, selection: list[str]) -> Any:
    queries = get_queries()
    mode = select_mode(mode if isinstance(mode, str) else None)
    council = payloads.optional_text(council, "council")
    selection = payloads.selection(selection)
    layer = queries.parsed(("my-areas layer", mode, council),
                           lambda: selection_layer(queries.area_boundaries(mode, council)))
    index = _zone_index(council)
    chosen = selection or []
    empty = ("No intermediate zone boundaries for this council: select data zones instead." if mode != DATAZONE_MODE
             else "No data zone boundaries in this warehouse: paste or upload codes instead.")
    return selection_map(layer, selected_share(layer.codes, chosen, index), hover_texts(layer.codes, chosen, index),
                         council, empty)


@callback(Output(ids.MY_SUMMARY, "children"), Input(ids.MY_SELECTION, "data"))
def summarise_selection(selection: list[str]) -> str:
    chosen = tuple(payloads.selection(selection))
    return selection_summary(len(chosen), get_queries().datazone_summary(chosen)["population"] if chosen else None)


@callback(Output(ids.MY_SELECTION, "data"), Output(ids.MY_STATUS, "children", allow_duplicate=True),
          Input(ids.MY_MAP, "clickData"), Input(ids.MY_MAP, "selectedData"), Input(ids.MY_CODES, "value"),
          Input(ids.MY_UPLOAD, "contents"), Input(ids.MY_CLEAR, "n_clicks"), State(ids.MY_UPLOAD, "filename"),
          State(ids.MY_SELECTION, "data"), State(ids.MY_COUNCIL, "value"), prevent_initial_call=True)
def update_selection(click: Any, selected: Any, text: str | None, upload: str | None, _clear: int | None,
                     filename: str | None, current: list[str], council: str | None) -> tuple[list[str], str]:
    trigger = ctx.triggered_id
    try:
        current = payloads.selection(current)
    except PayloadError:
        current = []  # a forged selection is dropped, never kept
    try:
        council = payloads.optional_text(council, "council")
        if trigger == ids.MY_CLEAR:
            return [], "Selection cleared."
        if trigger == ids.MY_MAP and ctx.triggered[0]["prop_id"].endswith("clickData"):
            return map_click(current, payloads.map_event(click), _zone_index(council)), ""
        if trigger == ids.MY_MAP and selected:
            return map_lasso(current, payloads.map_event(selected), _zone_index(council)), ""
        if trigger == ids.MY_CODES and not (text or "").strip():
            # an empty paste box (even one Tab passing through it sends its value) leaves the selection as it is
            return current or [], ""
        if trigger == ids.MY_CODES:
            text = payloads.text(text, "pasted text", payloads.MAX_PASTED_CHARS)
            refuse_foreign_codes(text)
            tokens = codes_from_text(text)
            datazones = _at_most_scotland(expand_codes(get_queries().reader, tokens))
            return datazones, pasted_summary(tokens, datazones)
        if trigger == ids.MY_UPLOAD:
            filename = payloads.text(filename, "file name", payloads.MAX_FILENAME_CHARS) or "the file"
            upload = payloads.text(upload, "upload", get_request_limit())
            codes = codes_from_upload(upload, filename, get_upload_limit())
            return _at_most_scotland(expand_codes(get_queries().reader, codes)), f"Read {filename}."
    except ValueError as exc:
        return current, f"Could not read that: {exc}"
    return current, ""


def _at_most_scotland(datazones: list[str]) -> list[str]:
    """The data zones found, refused when more than Scotland has (a forged warehouse or input)."""
    return payloads.selection(datazones)


@callback(Output(ids.MY_PICK, "options"), Input(ids.MY_COUNCIL, "value"), Input(ids.MY_PICK, "search_value"),
          State(ids.MY_PICK, "value"))
def part_choices(council: str | None, text: str | None, chosen: Any) -> list[dict[str, str]]:
    """The council's localities, wards, intermediate zones and data zones whose name or code holds
    what is typed, to add by name (the chosen ones stay listed)."""
    if not council:
        return []
    try:
        queries = get_queries()
        if queries.area("council", council) is None:  # a forged code must not grow the per-build memo
            return []
        options = queries.parsed(("part_options", council), lambda: part_options(queries.council_parts(council)))
    except WarehouseUnavailable:
        return []
    return pick_options(options, text, chosen)


@callback(Output(ids.MY_SELECTION, "data", allow_duplicate=True), Output(ids.MY_STATUS, "children", allow_duplicate=True),
          Output(ids.MY_PICK, "value"), Input(ids.MY_ADD, "n_clicks"), State(ids.MY_PICK, "value"),
          State(ids.MY_SELECTION, "data"), prevent_initial_call=True)
def add_by_name(_add: int | None, picked: Any, current: list[str] | None) -> tuple[Any, str, Any]:
    """Add the chosen areas' data zones to the selection (each code checked against the warehouse)."""
    codes = [c for c in picked if isinstance(c, str)] if isinstance(picked, list) else []
    if not codes:
        return dash.no_update, "Choose one or more zones in the list first.", dash.no_update
    try:
        current = payloads.selection(current)  # the browser's copy of the selection: checked like any payload
        datazones = _at_most_scotland(expand_codes(get_queries().reader, codes))
    except ValueError as exc:
        return dash.no_update, f"Could not add that: {exc}", dash.no_update
    after = add_zones(current, datazones)
    return after, added_summary(codes, current, after), []


def _saved_list() -> Any:
    areas = _store().list()
    if not areas:
        return html.P("No saved areas yet.", className="text-muted small")
    return html.Ul([html.Li(dcc.Link(f"{a.name} ({len(a.datazones)} data zones)", href=f"/areas?id={a.area_id}"))
                    for a in areas])


@callback(Output(ids.MY_STATUS, "children"), Output(ids.MY_URL, "search"), Output(ids.MY_LIST, "children"),
          Input(ids.MY_SAVE, "n_clicks"), Input(ids.MY_RENAME, "n_clicks"), Input(ids.MY_DELETE, "n_clicks"),
          State(ids.MY_NAME, "value"), State(ids.MY_SELECTION, "data"), State(ids.MY_URL, "search"),
          prevent_initial_call=True)
def save_area(_save: int | None, _rename: int | None, _delete: int | None, name: str | None, selection: list[str],
              search: str | None) -> tuple[str, str, Any]:
    """Save, rename or delete an area: officers only, checked here on the server (the buttons are
    disabled for viewers, but a request can be sent without them); each change is audited.

    Not called as the page loads (the layout lists the saved areas): the profile reads this
    callback's output (the address), so Dash held a saved area's profile, the page's slowest
    request, until this one had answered."""
    store = _store()
    try:
        search = payloads.url_search(search)
    except PayloadError:
        search = ""
    if ctx.triggered_id not in (ids.MY_SAVE, ids.MY_RENAME, ids.MY_DELETE):
        return "", search, _saved_list()
    officer = signed_in_officer()
    if officer is None:
        return "Only a signed-in officer can save, rename or delete areas: sign in first.", search, _saved_list()
    current = _open_id(search) or None
    try:
        if ctx.triggered_id == ids.MY_SAVE:
            area_in = payloads.named_area(name, selection)
            if not area_in.datazones:
                return "Choose some data zones first.", search, _saved_list()
            payloads.refuse_unknown(unknown_datazones(get_queries().reader, area_in.datazones))
            area = store.create(area_in.name, area_in.datazones)
            audit_log().append(officer, "save area", area.area_id, name=area.name, datazones=len(area.datazones))
            return f"Saved '{area.name}'. Share this page's address to show it to others.", f"?id={area.area_id}", \
                _saved_list()
        if not current:
            return "Save the area first (or open a saved one).", search, _saved_list()
        if ctx.triggered_id == ids.MY_RENAME:
            old = store.get(current)
            area = store.rename(current, payloads.text(name, "area name", payloads.NAME_MAX_CHARS))
            audit_log().append(officer, "rename area", area.area_id, name=area.name, old_name=old.name if old else None)
            return f"Renamed to '{area.name}'.", search, _saved_list()
        old = store.get(current)
        if old is None:
            return "That area is not saved (it may have been deleted already).", "", _saved_list()
        store.delete(current)
        audit_log().append(officer, "delete area", current, name=old.name, datazones=len(old.datazones))
        return "Deleted.", "", _saved_list()
    except (ValueError, KeyError) as exc:
        return str(exc).strip("'\""), search, _saved_list()


@callback(Output(ids.MY_PROFILE, "children"), Input(ids.MY_SELECTION, "data"), Input(ids.MY_URL, "search"))
def show_profile(selection: list[str], search: str | None) -> Any:
    selection, search = payloads.selection(selection), payloads.url_search(search)
    if not selection:
        return dbc.Alert("Choose data zones to see the area's profile.", color="info")
    try:
        # the export's gatherer: the same values, comparisons and trend verdicts as the PDF
        data = user_area_profile_data(get_queries(), _store(), selection, _open_id(search))
    except ProfileError as exc:
        return dbc.Alert(str(exc), color="warning")
    table = profile_rows(data.indicators)
    notes = [html.P(f"{data.datazone_count} data zones, population {data.population:,}."
                    if data.population else f"{data.datazone_count} data zones.")]
    notes += [dbc.Alert(w, color="warning") for w in data.warnings]
    absent = unavailable_text(data.indicators)
    return [*notes, frame_table(table, "The area's latest value of each indicator, compared with Scotland and its "
                                       "council, with its trend and source"),
            html.P(glossary_text(PROFILE_KEY, "profile-key"), className="small text-muted"),
            *([html.P(absent, className="small text-muted")] if absent else [])]


PROFILE_KEY = ("How to read the table: 95% CI is the 95% confidence interval; vs Scotland and vs council say whether "
               "the area is significantly better or worse than them, or similar; Trend is the statistical trend over "
               "the last five periods. A suppressed value is withheld to protect confidentiality, never shown as "
               "zero.")


def _open_id(search: str | None) -> str:
    """The saved area open on the page (``?id=`` in ``search``), or ''."""
    return (search or "").partition("id=")[2].split("&")[0][:64]


def _other_saved_areas(search: str | None) -> list[tuple[str, ...]]:
    """The data zones of every saved area except the one open: the areas a new area must not be
    differenced against."""
    return other_saved_areas(_store(), _open_id(search))


@callback(Output(ids.MY_DOWNLOAD, "data"), Output(ids.MY_EXPORT_STATUS, "children"),
          Input(ids.MY_EXPORT_PDF, "n_clicks"), Input(ids.MY_EXPORT_CSV, "n_clicks"),
          Input(ids.MY_EXPORT_GEOJSON, "n_clicks"), State(ids.MY_SELECTION, "data"), State(ids.MY_NAME, "value"),
          State(ids.MY_URL, "search"), prevent_initial_call=True)
def export_area(_pdf: int | None, _csv: int | None, _geo: int | None, selection: list[str], name: str | None,
                search: str | None) -> Any:
    """The area's codes, outline or PDF profile; a profile the disclosure rules refuse (too few data
    zones, or one that would difference a saved area) says why instead of failing."""
    from dashboard.data.user_store import UserArea

    selection, search = payloads.selection(selection), payloads.url_search(search)
    name = payloads.text(name, "area name", payloads.NAME_MAX_CHARS)
    if not selection:
        return dash.no_update, "Choose data zones first: there is nothing to export."
    area = UserArea("unsaved", name or "My area", tuple(selection), "", "")
    if ctx.triggered_id == ids.MY_EXPORT_CSV:
        return dcc.send_bytes(area_to_csv(area), "my-area.csv"), "The data zone codes are downloading (CSV)."
    if ctx.triggered_id == ids.MY_EXPORT_GEOJSON:
        geometries = get_queries().datazone_geometries(tuple(selection))
        return dcc.send_bytes(area_to_geojson(area, geometries), "my-area.geojson"), \
            "The area's outline is downloading (GeoJSON)."
    from dashboard.exports import profile_file

    try:
        filename, content = profile_file(get_queries(), "user", list(selection), "pdf", area_name=area.name,
                                         saved_areas=_other_saved_areas(search))
    except ProfileError as exc:
        return dash.no_update, f"No PDF: {exc}."
    return dcc.send_bytes(content, filename), "The profile is downloading (PDF)."
