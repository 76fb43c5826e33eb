"""`cpop fetch` of the Scottish Government's zipped data zone Shapefile and SIMD indicator workbook, against
replayed publishers on 127.0.0.1: first fetch, no change (ETag), a changed release, and the zips refused
whole (a `../` member, a zip bomb, no `.shp`, a changed field), with nothing replaced on failure."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from etl.fetch.runner import SourceOutcome, fetch_sources
from etl.sources.files import sha256_of
from tests.fixtures.fetch_publishers import BOUNDARIES_PATH, INDICATORS_PATH, manifest_for
from tests.fixtures.fetch_zips import (
    SHAPEFILE_STEM,
    boundary_members,
    boundary_zip,
    simd_indicator_workbook,
    zipped,
)
from tests.fixtures.replay_server import Replay

MARCH = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)
PARTS = [f"{SHAPEFILE_STEM}{s}" for s in (".cpg", ".dbf", ".prj", ".shp", ".shx")]


def fetch(replay: Replay, raw: Path, unzip_max_mb: float | None = None) -> SourceOutcome:
    manifest = manifest_for(replay.base)
    if unzip_max_mb is not None:
        manifest.sources["boundaries"].files[0].unzip.max_mb = unzip_max_mb  # type: ignore[union-attr]
    (outcome,) = fetch_sources(manifest, raw, only=["boundaries"], now=MARCH)
    return outcome


def tree(raw: Path) -> dict[str, bytes]:
    return {str(p.relative_to(raw)): p.read_bytes() for p in sorted(raw.rglob("*")) if p.is_file()}


def test_first_fetch_extracts_the_shapefile_beside_the_zip(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    got = fetch(publishers, raw)
    assert (got.status, got.release) == ("new", "2021-10")  # the zip's Last-Modified month
    landed = raw / "boundaries/2021-10"
    # the Shapefile's parts, flat, beside the zip; the ArcGIS extras (.sbn, .shp.xml) stay in the zip
    assert sorted(p.name for p in landed.iterdir()) == sorted([".fetch-boundaries.yaml", "SG_DataZoneBdry_2011.zip",
                                                               *PARTS])
    record = yaml.safe_load((landed / ".fetch-boundaries.yaml").read_text(encoding="utf-8"))
    extracted = {e["name"]: e for e in record["files"][0]["extracted"]}
    assert sorted(extracted) == PARTS
    for name, entry in extracted.items():
        assert entry["sha256"] == sha256_of(landed / name) and entry["size_bytes"] == (landed / name).stat().st_size
    assert record["files"][0]["sha256"] == sha256_of(landed / "SG_DataZoneBdry_2011.zip")
    assert not list(raw.rglob(".incoming-*"))


def test_unchanged_zip_is_not_downloaded_again(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    fetch(publishers, raw)
    before = tree(raw)
    publishers.requests.clear()
    assert fetch(publishers, raw).status == "unchanged"
    (asked,) = [h for m, p, h in publishers.requests if p == BOUNDARIES_PATH]
    assert asked["If-None-Match"] == publishers.routes[BOUNDARIES_PATH].etag  # answered 304
    assert tree(raw) == before


def test_a_revised_zip_is_a_new_release_beside_the_old(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    fetch(publishers, raw)
    old = tree(raw)
    route = publishers.routes[BOUNDARIES_PATH]
    route.body, route.last_modified = boundary_zip(second_pop=801), "Tue, 11 Feb 2025 10:00:00 GMT"
    got = fetch(publishers, raw)
    assert (got.status, got.release) == ("new", "2025-02")
    assert (raw / "boundaries/2025-02/SG_DataZoneBdry_2011.zip").read_bytes() == route.body
    assert all(tree(raw)[name] == body for name, body in old.items() if name.startswith("boundaries/2021-10/"))


@pytest.mark.parametrize(("members", "reason"), [
    ({**boundary_members(), "../../evil.shp": b"x"}, "member '../../evil.shp' has an unsafe path"),
    ({**boundary_members(), "/etc/cron.d/evil.prj": b"x"}, "member '/etc/cron.d/evil.prj' has an unsafe path"),
    (boundary_members(leave_out=(".shp",)), "the zip has no '.shp' member(s)"),
    (boundary_members(leave_out=(".prj",)), "the zip has no '.prj' member(s)"),
    ({**boundary_members(), f"old/{SHAPEFILE_STEM}.shp": b"x"}, f"two members are named {SHAPEFILE_STEM}.shp"),
    (boundary_members(code_field="DZ_CODE"), "the publisher's layout changed: no 'DataZone' field"),
])
def test_a_bad_zip_replaces_nothing(publishers: Replay, tmp_path: Path, members: dict[str, bytes],
                                    reason: str) -> None:
    raw = tmp_path / "raw"
    fetch(publishers, raw)
    before = tree(raw)
    route = publishers.routes[BOUNDARIES_PATH]
    route.body, route.last_modified = zipped(members), "Tue, 11 Feb 2025 10:00:00 GMT"
    got = fetch(publishers, raw)
    assert got.status == "failed", got
    assert reason in got.message and "SG_DataZoneBdry_2011.zip" in got.message and BOUNDARIES_PATH in got.message
    assert tree(raw) == before  # the earlier release and the state as they were
    assert not (raw / "boundaries/2025-02").exists() and not list(raw.rglob(".incoming-*"))
    assert not list(tmp_path.rglob("evil*")) and not Path("/etc/cron.d/evil.prj").exists()


def test_a_zip_bomb_is_refused(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    bomb = boundary_members()
    bomb[f"{SHAPEFILE_STEM}.cpg"] = b"\0" * 8_000_000  # deflates to a few kilobytes
    publishers.routes[BOUNDARIES_PATH].body = body = zipped(bomb)
    assert len(body) < 100_000
    got = fetch(publishers, raw, unzip_max_mb=5)
    assert got.status == "failed"
    assert "would unpack to 8.0 MB, above the limit of 5 MB" in got.message and "nothing was replaced" in got.message
    assert not (raw / "boundaries").exists() or not any((raw / "boundaries").iterdir())


def test_not_a_zip_is_refused(publishers: Replay, tmp_path: Path) -> None:
    publishers.routes[BOUNDARIES_PATH].body = b"<html>Service unavailable</html>"
    got = fetch(publishers, tmp_path / "raw")
    assert got.status == "failed" and "is not a zip that can be read" in got.message


def test_simd_indicators_checked_with_the_build_reader(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    manifest = manifest_for(publishers.base)
    (got,) = fetch_sources(manifest, raw, only=["simd_indicators"], now=MARCH)
    assert (got.status, got.release) == ("new", "2020v2")
    assert (raw / "simd_indicators/2020v2/SIMD+2020v2+-+indicators.xlsx").read_bytes() == \
        publishers.routes[INDICATORS_PATH].body
    # a corrected file under the same edition is refused, the edition landed is kept
    publishers.routes[INDICATORS_PATH].body = simd_indicator_workbook(income_count=72)
    (got,) = fetch_sources(manifest, raw, only=["simd_indicators"], now=MARCH)
    assert got.status == "failed" and "names the same release, 2020v2" in got.message
    # a renamed code column fails the build's own reader before anything lands
    publishers.routes[INDICATORS_PATH].body = simd_indicator_workbook(heading="Zone")
    (got,) = fetch_sources(manifest, tmp_path / "other", only=["simd_indicators"], now=MARCH)
    assert got.status == "failed" and "no sheet has a data zone code column" in got.message
    assert not (tmp_path / "other/simd_indicators/2020v2").exists()


def test_a_zip_that_understates_its_sizes_is_refused_without_filling_the_disk(tmp_path: Path) -> None:
    """The declared sizes pass the limit check, so the bytes written are what stops it."""
    import struct

    from etl.errors import InputError
    from etl.fetch.manifest import Unzip
    from etl.fetch.unzip import extract_zip

    members = boundary_members()
    members[f"{SHAPEFILE_STEM}.cpg"] = b"\0" * 8_000_000
    body = bytearray(zipped(members))
    # rewrite the .cpg's uncompressed size to 5 bytes in its local header and central directory entry
    name = f"{SHAPEFILE_STEM}.cpg".encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := body.find(signature, start)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if body[name_at:name_at + len(name)] == name:
                body[at + offset:at + offset + 4] = struct.pack("<I", 5)
            start = at + 4
    archive = tmp_path / "lying.zip"
    archive.write_bytes(bytes(body))
    into = tmp_path / "into"
    into.mkdir()
    rule = Unzip(members=[".shp", ".shx", ".dbf", ".prj", ".cpg"], required=[".shp"], check=".shp", max_mb=5)
    with pytest.raises(InputError, match="is not a zip that can be read"):
        extract_zip(archive, into, rule, shown_as="lying.zip")
    assert not any(into.iterdir())  # zipfile stops at the declared size (CRC fails); what was written is removed


def test_a_member_packed_with_an_unreadable_method_is_named_before_anything_is_written() -> None:
    import zipfile

    from etl.errors import InputError
    from etl.fetch.unzip import _refuse_unreadable

    info = zipfile.ZipInfo("SG_DataZone_Bdry_2011.shp")
    info.compress_type = 9  # deflate64, which zipfile cannot read
    with pytest.raises(InputError, match="compression method 9"):
        _refuse_unreadable(info, "boundaries.zip")
    info.compress_type = zipfile.ZIP_DEFLATED
    _refuse_unreadable(info, "boundaries.zip")
