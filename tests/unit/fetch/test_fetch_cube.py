"""A statistics.gov.scot "download CSV" source (a manifest ``cube`` file) against a replayed site on
127.0.0.1: the release is the dataset's ``dcterms:modified`` month, asked first with
``etl/sources/sparql/dataset_modified.rq``; the download lands where the build's loader reads it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest
import yaml

from etl.errors import InputError
from etl.fetch.manifest import MANIFEST, Manifest, load_manifest
from etl.fetch.runner import SourceOutcome, fetch_sources
from etl.sources import statistics_gov_scot
from tests.fixtures.fetch_publishers import SPARQL_PATH
from tests.fixtures.replay_server import Replay, Route

DATASET = "http://statistics.gov.scot/data/road-safety"
CUBE_PATH = "/downloads/cube-table"
#: the tidy layout of the site's download (docs/data-formats.md); the figures are made up for the test
TIDY = (b"FeatureCode,DateCode,Measurement,Units,Value,Outcome,Age,Gender\r\n"
        b"S12000047,2019,Count,People,201,Killed Or Seriously Injured,All,All\r\n"
        b"S12000047,2020,Count,People,164,Killed Or Seriously Injured,All,All\r\n"
        b"S92000003,2020,Count,People,1761,Killed Or Seriously Injured,All,All\r\n")
ENTRY = {
    "folder": "statistics_gov_scot", "publisher": "Transport Scotland (via statistics.gov.scot)",
    "title": "Road safety", "page": "https://statistics.gov.scot/data/road-safety",
    "release": {"from": "cube", "file": "road-safety.csv"},
    "files": [{"name": "road-safety.csv", "cube": DATASET,
               "expect": {"format": "csv", "columns": ["FeatureCode", "DateCode", "Measurement", "Units", "Value"]}}],
}


def fetch(replay: Replay, raw: Path, when: datetime) -> SourceOutcome:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    data["defaults"].update({"timeout_s": 5, "retries": 1, "backoff_s": 0})
    data["sources"] = {"road_safety": {**ENTRY, "endpoint": replay.base + SPARQL_PATH}}
    (outcome,) = fetch_sources(Manifest.model_validate(data), raw, now=when)
    return outcome


@pytest.fixture
def site(publishers: Replay) -> Replay:
    # the release query names the dataset; the population pulls' answers stay for other queries
    publishers.routes[SPARQL_PATH].by_query = {"road-safety": b"modified\r\n2025-01-14T09:00:00Z\r\n",
                                               **publishers.routes[SPARQL_PATH].by_query}
    publishers.routes[CUBE_PATH] = Route(TIDY)
    return publishers


def test_a_cube_download_lands_as_a_dataset_the_build_reads(site: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    got = fetch(site, raw, datetime(2025, 3, 3, tzinfo=UTC))
    assert (got.status, got.release) == ("new", "2025-01")  # the dataset's dcterms:modified month
    (query,) = [p for m, p, _ in site.requests if m == "GET" and p.startswith(CUBE_PATH)]
    assert query == f"{CUBE_PATH}?uri=http%3A%2F%2Fstatistics.gov.scot%2Fdata%2Froad-safety"
    assert unquote(query.split("uri=")[1]) == DATASET
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    statistics_gov_scot.load(con, [raw])
    rows = con.execute("SELECT dataset, _release, \"FeatureCode\", \"DateCode\", \"Value\", dimensions['Outcome'] "
                       "FROM raw.statistics_gov_scot__observations ORDER BY _source_row").fetchall()
    assert rows[0] == ("road-safety", "2025-01", "S12000047", "2019", "201", "Killed Or Seriously Injured")
    assert len(rows) == 3


def test_the_dataset_date_is_asked_first(site: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    fetch(site, raw, datetime(2025, 3, 3, tzinfo=UTC))
    site.requests.clear()
    assert fetch(site, raw, datetime(2025, 4, 1, tzinfo=UTC)).status == "unchanged"
    assert site.count("POST", SPARQL_PATH) == 1 and site.count("GET", CUBE_PATH) == 0  # no download
    site.routes[SPARQL_PATH].by_query["road-safety"] = b"modified\r\n2025-09-30T09:00:00Z\r\n"
    site.routes[CUBE_PATH].body = TIDY.replace(b"2020,Count,People,164", b"2020,Count,People,166")
    got = fetch(site, raw, datetime(2025, 10, 2, tzinfo=UTC))
    assert (got.status, got.release) == ("new", "2025-09")
    assert b"166" in (raw / "statistics_gov_scot/2025-09/road-safety.csv").read_bytes()
    assert (raw / "statistics_gov_scot/2025-01/road-safety.csv").read_bytes() == TIDY  # kept


def test_a_cube_entry_is_validated(tmp_path: Path) -> None:
    bad = {**ENTRY, "files": [{**ENTRY["files"][0], "cube": "http://statistics.gov.scot/data/x> ?s ?p"}]}
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump({"user_agent": "cpop", "sources": {"x": {**bad, "endpoint": "https://e"}}}),
                    encoding="utf-8")
    with pytest.raises(InputError, match="cube"):
        load_manifest(path)
    path.write_text(yaml.safe_dump({"user_agent": "cpop", "sources": {"x": ENTRY}}), encoding="utf-8")
    with pytest.raises(InputError, match="need 'endpoint'"):
        load_manifest(path)
