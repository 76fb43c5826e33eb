"""No internals on screen, and every statistical term explained, on every page (issue 13, finding 7).

Each page's layout and its main callbacks' outputs are rendered on the demo warehouse (callbacks
through the server, as a browser calls them) and read as a person would: the words on screen,
option labels, table cells and headings, tooltips and alt texts. The test fails on internal words
(``marts.``, ``low_is_good``, ``wilson``, "sum of z", raw timestamps, snake_case identifiers,
sha256 hashes), on a statistical term with no glossary entry (``undefined`` from the glossary's own
test), on a glossary button whose id repeats on its page, and when a page's notes lose their
glossary buttons.

Checked: Home, Quick profile, Dashboard, My areas, What changed, Advanced tables, Spend and need, the
Data explorer and About & methods (the Area profile's captions are checked in
tests/integration/test_area_profile_demo_charts.py). About's full methods text (docs/methods.md, in
its collapsed "Full methods, for analysts" section) is exempt: it is the analysts' reference, and
names the methods and formulae on purpose; the rest of that section is checked. A file name
(``CPPcleandata.csv``) is an internal too; the catalogues' reader-facing texts (definitions,
caveats, sources) are checked for one here, since the demo warehouse holds only the demo catalogue.
Not checked yet: Local data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import plotly.utils
import pytest
from typer.testing import CliRunner

from dashboard import ids
from dashboard.app import create_app
from dashboard.components.html_table import ATTRIBUTE as TABLE_ATTRIBUTE
from dashboard.data.context import queries_of
from dashboard.labels import plural_labels
from dashboard.logic.tables import DEFAULT_COLUMNS
from etl.cli import app as cli
from etl.settings import Settings
from tests.fixtures.dash_callbacks import callback_key, elements, post, response_props
from tests.fixtures.spend.files import demo_localities, write_spend_csv
from tests.unit.dashboard.test_dashboard_glossary import undefined

#: a file's name: a word, a dot and a data or document file's extension
FILE_NAME = re.compile(r"\b[\w-]+\.(?:csv|tsv|xlsx?|ods|zip|json|geojson|parquet|duckdb|shp|gpkg|ya?ml|md|sql|txt)\b",
                       re.IGNORECASE)
#: words and shapes of the warehouse's insides that a reader must never meet
INTERNALS = re.compile(
    r"marts\.|low_is_good|high_is_good|\bwilson\b|\bbyar\b|sum of z|\d{4}-\d\d-\d\d(?:T|\s\d\d:\d\d)|\bsha256\b"
    r"|\b[0-9a-f]{64}\b"
    r"|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"
    r"|" + FILE_NAME.pattern, re.IGNORECASE)
#: properties a person reads (children are walked separately; figures and ids are not text)
READ_PROPS = ("title", "alt", "aria-label", "placeholder", "label", "headerName", "summary")


def _tree(component: Any) -> Any:
    return json.loads(json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder))


def _text(node: Any) -> str:
    """The words of a JSON component tree as shown (a glossary term's definition is an attribute)."""
    if isinstance(node, str | int | float) and not isinstance(node, bool):
        return str(node)
    if isinstance(node, list):
        return "".join(_text(n) for n in node)
    if isinstance(node, dict) and "props" in node:
        words = _text(node["props"].get("children"))
        return f" {words} " if node.get("type") in BLOCKS else words  # a block starts a new line
    return ""


BLOCKS = {"Div", "P", "Li", "Td", "Th", "Br", "H1", "H2", "H3", "H4", "H5", "H6", "Dd", "Dt"}


def read(node: Any) -> list[str]:
    """Every piece of text a person reads in ``node``: each element's words with its children's,
    the readable properties, drop-down labels and table cells."""
    out = []
    for element in elements(node):
        props = element["props"]
        children = props.get("children")
        direct = children if isinstance(children, list) else [children]
        if any(isinstance(c, str | int | float) for c in direct):
            out.append(_text(element))
        out += [str(props[p]) for p in READ_PROPS if isinstance(props.get(p), str)]
        for option in props.get("options") or []:
            if isinstance(option, dict) and isinstance(option.get("label"), str):
                out.append(option["label"])
        columns = props.get("columnDefs") or []
        shown = {c.get("field") for c in columns}  # a grid shows only its columns' fields
        for row in props.get("rowData") or []:
            out += [str(v) for k, v in row.items() if isinstance(v, str) and (k in shown or not columns)]
        out += [str(c.get("headerName", "")) for c in columns]
        if isinstance(props.get(TABLE_ATTRIBUTE), str):  # a table sent as JSON (components/html_table.py)
            spec = json.loads(props[TABLE_ATTRIBUTE])
            out += [spec["caption"], *spec["columns"]]
            for title, cells in spec["rows"]:
                out += [title, *(t for c in cells for t in ([c] if isinstance(c, str) else [c[0], *c[2:]]))]
    return [t for t in out if t.strip()]


def glossary_ids(node: Any) -> list[str]:
    return [e["props"]["id"] for e in elements(node) if "data-glossary" in e["props"]]


def glossary_slugs(node: Any) -> set[str]:
    return {e["props"]["data-glossary"] for e in elements(node) if "data-glossary" in e["props"]}


@pytest.fixture(scope="module")
def app(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dash.Dash]:
    """The app on the demo, with an officer's spend file added (so Spend and need draws its chart)."""
    root = tmp_path_factory.mktemp("jargon")
    spend = write_spend_csv(root / "spend.csv", demo_localities(demo_warehouse, indicator="econ_income_deprived"))
    added = CliRunner().invoke(cli, ["spend", "add", str(spend), "--title", "Community services spend",
                                     "--organisation", "Glen Tannoch Council", "--warehouse", str(demo_warehouse),
                                     "--user-dir", str(root / "user")])
    assert added.exit_code == 0, added.output
    made = create_app(Settings(warehouse_path=demo_warehouse, user_dir=root / "user"))
    assert made.server.test_client().get("/").status_code == 200
    yield made
    queries_of(made.server).reader.close()


def _areas(app: dash.Dash) -> dict[str, str]:
    reader = queries_of(app.server).reader
    frame = reader.query("SELECT area_type, min(area_code) AS code FROM marts.areas GROUP BY area_type")
    return dict(zip(frame.area_type, frame.code, strict=True))


def _layout(app: dash.Dash, page: str, **args: Any) -> Any:
    with app.server.test_request_context("/"):
        return _tree(dash.page_registry[f"dashboard.pages.{page}"]["layout"](**args))


def _callback(app: dash.Dash, output: str, values: dict[str, Any], prop: str | None = None) -> Any:
    client = app.server.test_client()
    response = post(client, app, callback_key(app, output, prop), values)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    # each output as an element holding the property it sets, so it is read like the layout
    shown = [{"type": "Output", "props": props} for props in response_props(response).values()]
    assert shown, output
    return shown


def rendered_pages(app: dash.Dash) -> dict[str, list[Any]]:
    """Each page's layout and main callback outputs, as JSON trees, for a council (and a ward)."""
    areas = _areas(app)
    council, ward = areas["council"], areas["ward"]
    queries = queries_of(app.server)
    indicator = "hi_early_mortality"
    pages: dict[str, list[Any]] = {
        "home": [_layout(app, "home", area_type="council", area=council)],
        "home, a ward": [_layout(app, "home", area_type="ward", area=ward)],
        "quick_profile": [_layout(app, "quick_profile", area_type="council", area=council, indicator=indicator)],
        "quick_profile, a ward": [_layout(app, "quick_profile", area_type="ward", area=ward, indicator=indicator)],
        "rag": [_layout(app, "rag", council=council)],
        "my_areas": [_layout(app, "my_areas")],
        "changes": [_layout(app, "changes")],
        "tables": [_layout(app, "tables", indicators=f"{indicator},ey_child_poverty", area_type="council")],
        "spend_need": [_layout(app, "spend_need")],
        "explorer": [_layout(app, "explorer")],
        "about": [_without_methods(_layout(app, "about"))],
    }
    pages["home"] += _callback(app, ids.HOME_CHANGES, {f"{ids.HOME_PAGE_URL}.search": f"?area={council}"})
    pages["quick_profile"] += _callback(app, ids.TREND, {
        f"{ids.INDICATOR}.value": indicator, f"{ids.AREA}.value": council, f"{ids.AREA_TYPE}.value": "council"})
    rag = {f"{ids.RAG_COUNCIL}.value": council, f"{ids.RAG_SCOPE}.value": council}
    pages["rag"] += (_callback(app, ids.RAG_MATRIX, rag | {f"{ids.RAG_AREA_TYPE}.value": "intermediate_zone"})
                     + _callback(app, ids.RAG_EXCEPTIONS, rag))
    zones = list(queries.reader.query("SELECT area_code FROM marts.areas WHERE area_type = 'datazone' "
                                      "ORDER BY area_code LIMIT 40").area_code)
    pages["my_areas"] += _callback(app, ids.MY_PROFILE, {f"{ids.MY_SELECTION}.data": zones,
                                                         f"{ids.MY_URL}.search": ""})
    pages["changes"] += _callback(app, ids.CHANGES_BODY, {f"{ids.CHANGES_SINCE}.value": "__each__",
                                                          f"{ids.CHANGES_COUNCIL}.value": council})
    pages["tables"] += _callback(app, ids.TABLES_GRID, {
        f"{ids.TABLES_INDICATORS}.value": [indicator, "ey_child_poverty"], f"{ids.TABLES_AREA_TYPE}.value": "council",
        f"{ids.TABLES_PIVOT}.value": "long", f"{ids.TABLES_COLUMNS}.value": DEFAULT_COLUMNS}, "rowData")
    spend = pages["spend_need"][0]
    dataset = next(e["props"]["value"] for e in elements(spend) if e["props"].get("id") == ids.SPEND_DATASET)
    pages["spend_need"] += _callback(app, ids.SPEND_VIEW, {f"{ids.SPEND_DATASET}.value": dataset})
    pages["explorer"] += _callback(app, ids.EXPLORER_RESULTS, {f"{ids.EXPLORER_SEARCH}.value": "",
                                                               f"{ids.EXPLORER_PRIORITY}.value": []})
    pages["explorer"] += _explorer_records(app)
    return pages


def _explorer_records(app: dash.Dash) -> list[Any]:
    """Every indicator's full record, as the explorer draws it when its toggle is opened (show_record)."""
    import sys

    page = sys.modules["dashboard.pages.explorer"]
    queries = queries_of(app.server)
    labels = plural_labels(queries.area_type_labels())
    with app.server.test_request_context("/"):
        return [_tree(page._facts(page._indicator_facts(row, labels), row.indicator_id))
                for row in queries.explorer_indicators().itertuples(index=False)]


def _without_methods(tree: Any) -> Any:
    """About's tree without docs/methods.md (the analysts' text in its collapsed section, exempt)."""
    from dashboard.pages.about import METHODS_CLASS

    found = []

    def prune(node: Any) -> Any:
        if isinstance(node, list):
            return [prune(n) for n in node]
        if isinstance(node, dict) and "props" in node:
            if node["props"].get("className") == METHODS_CLASS:
                found.append(node)
                return None
            return node | {"props": {k: prune(v) for k, v in node["props"].items()}}
        return node

    pruned = prune(tree)
    assert len(found) == 1 and found[0]["type"] == "Markdown"  # the exemption hides the methods text only
    return pruned


@pytest.fixture(scope="module")
def pages(app: dash.Dash) -> dict[str, list[Any]]:
    return rendered_pages(app)


def test_no_page_shows_internal_names(pages: dict[str, list[Any]]) -> None:
    found = {name: sorted({t[max(0, m.start() - 30):m.end() + 30] for t in read(trees) for m in INTERNALS.finditer(t)})
             for name, trees in pages.items()}
    assert {name: words for name, words in found.items() if words} == {}


def test_every_statistical_term_on_every_page_has_a_glossary_entry(pages: dict[str, list[Any]]) -> None:
    found = {name: sorted({f"{u}: {t[:120]}" for t in read(trees) for u in undefined(t)})
             for name, trees in pages.items()}
    assert {name: words for name, words in found.items() if words} == {}


def test_glossary_buttons_are_unique_on_each_page(pages: dict[str, list[Any]]) -> None:
    for name, trees in pages.items():
        buttons = [i for tree in trees for i in glossary_ids(tree)]
        assert len(buttons) == len(set(buttons)), (name, sorted(i for i in buttons if buttons.count(i) > 1))


#: the terms each page's notes, legends and headers must open (a page that stops using
#: glossary_text for them fails here). Introductions above a page's first controls stay plain text:
#: every button is a Tab stop, and a keyboard user should reach the area picker first.
EXPECTED_TERMS = {
    "home": {"gap", "significant"},
    "quick_profile": {"confidence-interval", "trend", "gap", "family-group"},
    "rag": {"trend", "significant", "suppressed", "target-status", "gap", "percentage-points"},
    "my_areas": {"confidence-interval", "trend"},
    "changes": {"trend", "rag", "improvement-rate", "gap"},
    "tables": {"suppressed"},
    "spend_need": {"spend-per-head", "quadrant", "council-wide"},
    "explorer": {"confidence-interval", "trend"},
    "about": {"confidence-interval", "significant", "suppressed", "gap"},
}


@pytest.mark.parametrize("page", sorted(EXPECTED_TERMS))
def test_each_page_opens_its_statistical_terms_from_the_glossary(pages: dict[str, list[Any]], page: str) -> None:
    shown = set().union(*(glossary_slugs(tree) for tree in pages[page]))
    assert EXPECTED_TERMS[page] <= shown, EXPECTED_TERMS[page] - shown


def test_the_checks_can_fail() -> None:
    tree = _tree(dash.html.Div([dash.html.P("Method: wilson, built 2024-01-02T10:00, marts.trend, 2024-01-02 10:00:01"),
                                dash.html.P("The SII and the XYZ index"),
                                dash.html.P("The release's CPPcleandata.csv and Data-Aug.xlsx, e.g. 1.5 at ONS.")]))
    words = [m.group(0) for t in read(tree) for m in INTERNALS.finditer(t)]
    assert words == ["wilson", "2024-01-02T", "marts.", "2024-01-02 10:00", "CPPcleandata.csv", "Data-Aug.xlsx"]
    assert [u for t in read(tree) for u in undefined(t)] == ["XYZ"]



@pytest.mark.parametrize("catalogue", ["real", "demo"])
def test_no_catalogue_text_a_reader_sees_names_a_file(catalogue: str) -> None:
    """The catalogue's definitions, caveats and sources are shown in the explorer's records, the PDF and
    About: a file name there ('the same release's CPPcleandata.csv ...') means nothing to a reader."""
    from etl.catalogue.models import load_catalogue
    from etl.settings import DEMO_CATALOGUE, REAL_CATALOGUE

    shown = ("title", "short_title", "definition", "source", "publisher", "numerator_definition",
             "denominator_definition")
    found = {}
    for ind in load_catalogue(REAL_CATALOGUE if catalogue == "real" else DEMO_CATALOGUE):
        texts = [str(getattr(ind, f)) for f in shown] + list(ind.caveats) + [ind.disclosure.rule]
        names = [m.group(0) for t in texts for m in FILE_NAME.finditer(t)]
        if names:
            found[ind.id] = names
    assert found == {}


def test_about_starts_plain_and_keeps_the_full_methods_one_click_away(app: dash.Dash) -> None:
    tree = _layout(app, "about")
    shown = " ".join(read(_without_methods(tree)))
    assert re.search(r"Data as at \d+ \w+ \d{4}: ", shown) and re.search(r"Built on \d+ \w+ \d{4}\.", shown)
    assert re.search(r"All \d+ data checks passed", shown) and "meta.sources" in shown
    details = [e for e in elements(tree) if e.get("type") == "Details"]
    assert len(details) == 1 and not details[0]["props"].get("open")  # collapsed until an analyst opens it
    assert "Full methods, for analysts" in _text(details[0])
    assert any(e.get("type") == "Markdown" for e in elements(details[0]))  # docs/methods.md is inside it
