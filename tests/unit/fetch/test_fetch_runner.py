"""``cpop fetch`` against replayed publishers on 127.0.0.1: first fetch, no change, a new release
with revisions, an outage (500), a truncated download, a timeout, a changed layout, a dry run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml

from etl.fetch.runner import fetch_sources
from tests.fixtures.fetch_publishers import (
    CKAN_API,
    CPP_PATH,
    SAPE_PATH,
    SIMD_PATH,
    SPARQL_PATH,
    manifest_for,
)
from tests.fixtures.replay_server import FIXTURES, Replay

MARCH = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)
SEPTEMBER = datetime(2025, 9, 4, 6, 0, tzinfo=UTC)


def run(replay: Replay, raw: Path, when: datetime = MARCH, **kwargs: object) -> dict:
    manifest = manifest_for(replay.base, **kwargs.pop("defaults", {}))  # type: ignore[arg-type]
    for source, limit in (kwargs.pop("file_max_mb", None) or {}).items():  # type: ignore[attr-defined]
        manifest.sources[source].files[0].max_mb = limit
    outcomes = fetch_sources(manifest, raw, now=when, **kwargs)  # type: ignore[arg-type]
    return {o.source: o for o in outcomes}


def tree(raw: Path) -> dict[str, bytes]:
    return {str(p.relative_to(raw)): p.read_bytes() for p in sorted(raw.rglob("*")) if p.is_file()}


def test_first_fetch_lands_each_source_in_its_release_folder(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    got = run(publishers, raw)
    assert {s: o.status for s, o in got.items()} == dict.fromkeys(
        ["cpop", "cpop_populations", "nrs_sape", "simd", "simd_indicators", "boundaries"], "new")
    # how each release is recognised: first seen (no date published), SPARQL dcterms:modified, CKAN, edition,
    # the file's Last-Modified
    assert {s: o.release for s, o in got.items()} == {"cpop": "2025-03", "cpop_populations": "2024-05",
                                                     "nrs_sape": "2024-07", "simd": "2020v2",
                                                     "simd_indicators": "2020v2", "boundaries": "2021-10"}
    assert (raw / "cpop/2025-03/CPPcleandata.csv").read_bytes() == (FIXTURES / "CPPcleandata.csv").read_bytes()
    assert (raw / "cpop/2024-05/under_16_population.csv").read_bytes() == \
        (FIXTURES / "under_16_population.csv").read_bytes()
    assert (raw / "nrs_sape/2024-07/dz2011_population_estimates.csv").is_file()
    assert (raw / "simd/2020v2/SIMD+2020v2+-+datazone+lookup.xlsx").is_file()
    record = yaml.safe_load((raw / "cpop/2025-03/.fetch-cpop.yaml").read_text())
    assert record["files"][0]["sha256"] == got["cpop"].files[0].sha256 and len(record["files"][0]["sha256"]) == 64
    assert record["files"][0]["origin"] == publishers.base + CPP_PATH
    # polite: every request names the project
    assert all(h.get("User-Agent", "").startswith("cpop/") for _, _, h in publishers.requests)
    assert not [p for p in raw.rglob(".incoming-*")]


def test_no_change_means_no_download(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    run(publishers, raw)
    before = tree(raw)
    publishers.requests.clear()
    got = run(publishers, raw, SEPTEMBER)
    assert {o.status for o in got.values()} == {"unchanged"}
    assert tree(raw) == before
    # conditional GETs (answered 304), the release date asked once, the pulls not run again
    cpp = [h for m, p, h in publishers.requests if p == CPP_PATH]
    assert len(cpp) == 1 and cpp[0]["If-None-Match"]
    assert publishers.count("POST", SPARQL_PATH) == 1
    assert publishers.count("GET", CKAN_API) == 1 and publishers.count("GET", SAPE_PATH) == 0


def test_new_release_with_revisions_keeps_the_earlier_release(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    run(publishers, raw)
    first = (raw / "cpop/2025-03/CPPcleandata.csv").read_bytes()
    # DWP's revision of 2019/20, and 2022/23 observed instead of projected
    revised = first.replace(b"Fife,Child Poverty,Raw data,2019/20,20.25963564258272",
                            b"Fife,Child Poverty,Raw data,2019/20,21.1")
    revised = revised.replace(b"Fife,Child Poverty,Projected,2022/23,23.40471038763347",
                              b"Fife,Child Poverty,Raw data,2022/23,24.5")
    assert revised.count(b"21.1,") == 1 and revised.count(b"24.5,") == 1
    publishers.routes[CPP_PATH].body = revised
    got = run(publishers, raw, SEPTEMBER)
    assert got["cpop"].status == "new" and got["cpop"].release == "2025-09"
    assert (raw / "cpop/2025-09/CPPcleandata.csv").read_bytes() == revised
    assert (raw / "cpop/2025-03/CPPcleandata.csv").read_bytes() == first  # never written over
    assert got["nrs_sape"].status == got["simd"].status == "unchanged"


def test_a_new_sparql_release_date_fetches_the_pulls_again(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    run(publishers, raw)
    pulls = publishers.routes[SPARQL_PATH].by_query
    pulls["dcterms:modified"] = b"modified\r\n2025-06-10T08:00:00Z\r\n"
    got = run(publishers, raw, SEPTEMBER)
    assert got["cpop_populations"].status == "unchanged"  # a new date, the same figures: nothing new landed
    assert not (raw / "cpop/2025-06").exists()
    publishers.requests.clear()
    assert run(publishers, raw, SEPTEMBER)["cpop_populations"].status == "unchanged"
    assert publishers.count("POST", SPARQL_PATH) == 1  # that date is remembered: the pulls are not run again
    pulls["dcterms:modified"] = b"modified\r\n2025-07-01T08:00:00Z\r\n"
    pulls["child_population"] = pulls["child_population"].replace(b'"Fife",2016,64372', b'"Fife",2016,64390')
    got = run(publishers, raw, SEPTEMBER)
    assert got["cpop_populations"].status == "new" and got["cpop_populations"].release == "2025-07"
    assert sorted(p.name for p in (raw / "cpop/2025-07").iterdir()) == [
        ".fetch-cpop_populations.yaml", "under_16_population.csv", "working_age_population_cpp.csv"]


def test_publisher_500_fails_that_source_only(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    publishers.routes[SIMD_PATH].status = 500
    got = run(publishers, raw)
    assert got["simd"].status == "failed"
    assert "HTTP 500" in got["simd"].message and "after 3 tries" in got["simd"].message
    assert SIMD_PATH in got["simd"].message and "try again later" in got["simd"].message
    assert publishers.count("GET", SIMD_PATH) == 3  # retried (urllib3 Retry), then given up
    assert not (raw / "simd/2020v2").exists()
    assert got["cpop"].status == got["nrs_sape"].status == got["cpop_populations"].status == "new"


def test_truncated_download_is_resumed(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    route = publishers.routes[SAPE_PATH]
    route.truncate_at, route.truncations = 300, 1
    got = run(publishers, raw, only=["nrs_sape"])
    assert got["nrs_sape"].status == "new"
    assert (raw / "nrs_sape/2024-07/dz2011_population_estimates.csv").read_bytes() == route.body
    ranges = [h.get("Range") for m, p, h in publishers.requests if m == "GET" and p == SAPE_PATH]
    assert ranges == [None, "bytes=300-"]


def test_download_that_keeps_breaking_fails_and_resumes_next_run(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    route = publishers.routes[SAPE_PATH]
    route.truncate_at = 0  # each answer promises the whole file and sends nothing more
    first_cut = route.body[:500]
    route.truncate_at, route.truncations = 500, 1
    got = run(publishers, raw, only=["nrs_sape"], defaults={"retries": 0})
    assert got["nrs_sape"].status == "failed"
    assert "stopped at 500 of" in got["nrs_sape"].message and "resume" in got["nrs_sape"].message
    assert not (raw / "nrs_sape/2024-07").exists()
    part = raw / "nrs_sape/.incoming-nrs_sape/dz2011_population_estimates.csv.part"
    assert part.read_bytes() == first_cut
    got = run(publishers, raw, only=["nrs_sape"])
    assert got["nrs_sape"].status == "new"
    assert (raw / "nrs_sape/2024-07/dz2011_population_estimates.csv").read_bytes() == route.body
    assert [h.get("Range") for m, p, h in publishers.requests if m == "GET" and p == SAPE_PATH][-1] == "bytes=500-"


def test_timeout_fails_that_source_with_a_clear_message(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    publishers.routes[CPP_PATH].delay_s = 1.5
    got = run(publishers, raw, defaults={"timeout_s": 0.3, "retries": 0})
    assert got["cpop"].status == "failed"
    assert "no answer within 0.3 s" in got["cpop"].message
    assert not (raw / "cpop/2025-03").exists()
    assert got["simd"].status == "new"


def test_changed_column_layout_replaces_nothing(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    run(publishers, raw)
    before = tree(raw)
    body = publishers.routes[CPP_PATH].body
    publishers.routes[CPP_PATH].body = body.replace(b"CPP,Indicator,Type,Year,value,", b"CPP,Indicator,Type,Year,Value %,", 1)
    got = run(publishers, raw, SEPTEMBER)
    assert got["cpop"].status == "failed"
    message = got["cpop"].message
    assert "layout changed" in message and "column 'value'" in message and "Value %" in message
    assert "nothing was replaced" in message
    assert tree(raw) == before  # no new release, the earlier one intact, the state as it was
    assert not (raw / "cpop/2025-09").exists()


def test_changed_sheet_of_a_workbook_is_refused(publishers: Replay, tmp_path: Path) -> None:
    from tests.fixtures.fetch_publishers import simd_workbook

    publishers.routes[SIMD_PATH].body = simd_workbook("SIMD 2025 DZ lookup data")
    got = run(publishers, tmp_path / "raw", only=["simd"])
    assert got["simd"].status == "failed" and "no sheet 'SIMD 2020v2 DZ lookup data'" in got["simd"].message


def test_changed_file_under_the_same_edition_is_not_written_over(publishers: Replay, tmp_path: Path) -> None:
    from tests.fixtures.fetch_publishers import simd_workbook

    raw = tmp_path / "raw"
    run(publishers, raw, only=["simd"])
    before = (raw / "simd/2020v2/SIMD+2020v2+-+datazone+lookup.xlsx").read_bytes()
    publishers.routes[SIMD_PATH].body = simd_workbook(first_rank=4692)  # corrected in place, same edition
    got = run(publishers, raw, only=["simd"])
    assert got["simd"].status == "failed" and "names the same release, 2020v2" in got["simd"].message
    assert (raw / "simd/2020v2/SIMD+2020v2+-+datazone+lookup.xlsx").read_bytes() == before


def test_size_limit(publishers: Replay, tmp_path: Path) -> None:
    got = run(publishers, tmp_path / "raw", only=["nrs_sape"], file_max_mb={"nrs_sape": 0.001})
    assert got["nrs_sape"].status == "failed" and "above the limit" in got["nrs_sape"].message


def test_dry_run_downloads_nothing(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    got = run(publishers, raw, dry_run=True)
    assert {o.status for o in got.values()} == {"would change"}
    assert got["nrs_sape"].release == "2024-07" and got["simd"].release == "2020v2"
    assert not raw.exists() or not any(raw.rglob("*"))
    assert publishers.count("GET", CPP_PATH) == 0 and publishers.count("HEAD", CPP_PATH) == 1
    run(publishers, raw)
    got = run(publishers, raw, SEPTEMBER, dry_run=True)
    assert {o.status for o in got.values()} == {"unchanged"}


def test_cli_reports_each_source_and_exits_1_when_one_failed(publishers: Replay, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from etl.cli import app

    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(yaml.safe_dump(manifest_for(publishers.base).model_dump(by_alias=True)), encoding="utf-8")
    publishers.routes[SIMD_PATH].status = 500
    result = CliRunner().invoke(app, ["fetch", "--manifest", str(manifest), "--raw-dir", str(tmp_path / "raw")])
    assert result.exit_code == 1, result.output
    assert "NEW" in result.output and "FAILED" in result.output and "simd: the publisher answered HTTP 500" in result.output
    assert "5 new release(s), 1 failed" in result.output
    result = CliRunner().invoke(app, ["fetch", "cpop", "--dry-run", "--manifest", str(manifest),
                                      "--raw-dir", str(tmp_path / "raw")])
    assert result.exit_code == 0 and "UNCHANGED" in result.output and "up to date (release" in result.output
    result = CliRunner().invoke(app, ["fetch", "nowhere", "--manifest", str(manifest)])
    assert result.exit_code == 1 and "unknown source 'nowhere'" in result.output


def test_fetch_bookkeeping_does_not_count_as_new_input(publishers: Replay, tmp_path: Path) -> None:
    """`cpop build --if-changed` after a fetch that changed nothing (or left a partial download) does nothing."""
    from etl.fingerprint import inputs_fingerprint
    from etl.settings import REAL_CATALOGUE, get_settings

    raw = tmp_path / "raw"
    run(publishers, raw, only=["simd"])
    settings = get_settings(raw_dir=raw, use_snapshot=False)
    before = inputs_fingerprint(settings, REAL_CATALOGUE)
    (raw / ".fetch-state.json").write_text("{}", encoding="utf-8")
    (raw / "cpop/.incoming-cpop").mkdir(parents=True)
    (raw / "cpop/.incoming-cpop/CPPcleandata.csv.part").write_bytes(b"CPP,")
    assert inputs_fingerprint(settings, REAL_CATALOGUE) == before
    (raw / "simd/2020v2/extra.csv").write_text("x\n", encoding="utf-8")
    assert inputs_fingerprint(settings, REAL_CATALOGUE) != before


def test_two_sources_of_one_folder_and_month_share_the_release(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    got = run(publishers, raw, datetime(2024, 5, 20, tzinfo=UTC), only=["cpop", "cpop_populations"])
    # CPOP's file first seen in May 2024, the month statistics.gov.scot dates its populations: one release
    assert (got["cpop"].release, got["cpop_populations"].release) == ("2024-05", "2024-05")
    assert got["cpop"].status == got["cpop_populations"].status == "new"
    assert sorted(p.name for p in (raw / "cpop/2024-05").iterdir()) == [
        ".fetch-cpop.yaml", ".fetch-cpop_populations.yaml", "CPPcleandata.csv", "under_16_population.csv",
        "working_age_population_cpp.csv"]
    before = tree(raw)
    publishers.routes[CPP_PATH].body += b"Fife,Child Poverty,Projected,2025/26,27.0,Child Poverty (%),3\n"
    got = run(publishers, raw, datetime(2024, 5, 28, tzinfo=UTC), only=["cpop"])  # changed again within the month
    assert got["cpop"].status == "failed" and "names the same release, 2024-05" in got["cpop"].message
    (raw / "nrs_sape/2024-07").mkdir(parents=True)  # a folder put there by hand is never written to
    got = run(publishers, raw, only=["nrs_sape"])
    assert got["nrs_sape"].status == "failed" and "was not made by `cpop fetch`" in got["nrs_sape"].message
    assert tree(raw) == before
