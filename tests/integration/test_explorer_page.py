"""The Data explorer's results as the server sends them (demo warehouse): readable words only, no file
paths or checksums (issue 13: those are the researchers', in meta.sources and on About & methods), and
each indicator's full record sent only when it is opened."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.data.context import queries_of
from etl.settings import Settings
from tests.fixtures.dash_callbacks import UPDATE, callback_key, post, response_props, text_of

pytestmark = pytest.mark.slow
#: a sha256 or a shortened one (12+ hex digits), a folder path, or a file name with its extension
INTERNALS = re.compile(r"\b[0-9a-f]{12,}\b|sha256|data/raw|/[\w.-]+/[\w.-]+/|\b[\w-]+\.(?:csv|parquet|xlsx|shp|dbf|zip)\b",
                       re.IGNORECASE)


def _open_record(client: Any, app: Any, indicator: Any) -> str:
    """The text the server sends when the record of ``indicator`` is opened (as the browser asks for it)."""
    key = callback_key(app, json.dumps({"indicator": ["MATCH"], "type": "explorer-record"}, separators=(",", ":")))
    summary, record = ids.explorer_summary(indicator), ids.explorer_record(indicator)
    response = client.post(UPDATE, json={
        "output": key, "outputs": {"id": record, "property": "children"},
        "inputs": [{"id": summary, "property": "n_clicks", "value": 1}], "state": [],
        "changedPropIds": [json.dumps(summary, separators=(",", ":"), sort_keys=True) + ".n_clicks"]})
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        return "not in this build (refused)"
    data = json.loads(response.get_data(as_text=True))
    return text_of(next(iter(data["response"].values()))["children"])


def test_unfiltered_explorer_text_has_no_file_path_or_checksum(demo_warehouse: Path, tmp_path: Path) -> None:
    app = create_app(Settings(warehouse_path=demo_warehouse, user_dir=tmp_path / "user"))
    try:
        client = app.server.test_client()
        client.get("/")
        files = queries_of(app.server).reader.query("SELECT file_name, sha256 FROM meta.sources")
        assert len(files) > 0  # the warehouse has them: the page must not show them
        response = post(client, app, callback_key(app, ids.EXPLORER_RESULTS),
                        {f"{ids.EXPLORER_SEARCH}.value": "", f"{ids.EXPLORER_PRIORITY}.value": []})
        assert response.status_code == 200
        text = text_of(response_props(response)[ids.EXPLORER_RESULTS]["children"])
        assert "datasets found" in text and "child-poverty (statistics.gov.scot)" in text
        assert INTERNALS.findall(text) == []
        assert not any(name in text for name in files.file_name) and not any(sha[:12] in text for sha in files.sha256)
        assert "Numerator" not in text  # each indicator's full record is drawn when it is first opened
        record = _open_record(client, app, "ey_child_poverty")
        assert "Numerator" in record and "Disclosure control" in record
        assert INTERNALS.findall(record) == []
        assert "not in this build" in _open_record(client, app, "no_such_indicator")
        assert "not in this build" in _open_record(client, app, ["a list, not an id"])  # a forged request
    finally:
        queries_of(app.server).reader.close()
