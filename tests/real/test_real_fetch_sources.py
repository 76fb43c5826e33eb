"""`cpop fetch` of the SIMD indicator workbook and the zipped data zone Shapefile, served on 127.0.0.1
from slices of the real published data (../shared/real): what lands reads with the build's loaders
and gives back the published values and polygons."""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio

from etl.fetch.runner import fetch_sources
from etl.sources import boundaries, published
from etl.sources.readers import PUBLISHER_READERS
from tests.fixtures.fetch_publishers import BOUNDARIES_PATH, INDICATORS_PATH, manifest_for, publish
from tests.fixtures.fetch_zips import SHAPEFILE_STEM, zipped
from tests.fixtures.real_data import real_data_missing
from tests.fixtures.replay_server import Replay, replay_server

#: Aberdeen City's Culter, and Orkney's West Mainland (islands: multipolygons)
CODES = ["S01006506", "S01006507", "S01011808", "S01011809"]


def _real(real_dir: Path, relative: str) -> Path:
    path = real_dir / relative
    if not path.is_file():
        real_data_missing(path)
    return path


def test_real_slices_fetch_and_load_as_published(real_dir: Path, tmp_path: Path) -> None:
    with replay_server() as publishers:
        publish(publishers)
        _fetch_real_slices(publishers, real_dir, tmp_path / "raw")


def _fetch_real_slices(publishers: Replay, real_dir: Path, raw: Path) -> None:
    indicators = pd.read_csv(_real(real_dir, "simd/simd2020v2_dz2011_indicators.csv"), dtype=str, nrows=40)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["Data_Zone", *indicators.columns[1:]])  # the workbook's heading for the converted copy's dz11_code
    for row in indicators.itertuples(index=False):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    publishers.routes[INDICATORS_PATH].body = out.getvalue()

    polygons = pyogrio.read_dataframe(_real(real_dir, "geography/dz2011_scotland_simplified.geojson"),
                                      where="dz11_code IN ({})".format(", ".join(f"'{c}'" for c in CODES)))
    polygons = polygons.rename(columns={"dz11_code": "DataZone", "dz11_name": "Name"}).to_crs(27700)
    with tempfile.TemporaryDirectory() as folder:
        polygons.to_file(Path(folder) / f"{SHAPEFILE_STEM}.shp", engine="pyogrio", encoding="UTF-8")
        publishers.routes[BOUNDARIES_PATH].body = zipped({p.name: p.read_bytes() for p in Path(folder).iterdir()})

    got = {o.source: o for o in fetch_sources(manifest_for(publishers.base), raw, only=["simd_indicators", "boundaries"],
                                              now=datetime(2025, 3, 3, tzinfo=UTC))}
    assert {s: o.status for s, o in got.items()} == {"simd_indicators": "new", "boundaries": "new"}, got

    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    published.load(con, [raw], PUBLISHER_READERS)
    counts = dict(con.execute("SELECT \"FeatureCode\", \"Value\" FROM raw.published__observations WHERE "
                              "\"Measurement\" = 'Income deprived' AND \"Units\" = 'People'").fetchall())
    assert counts == dict(zip(indicators["dz11_code"], indicators["Income_count"], strict=True))
    assert counts["S01006506"] == "71"  # the published count for Culter - 01

    files, landed = boundaries.load([raw])
    assert files[0].path.name == f"{SHAPEFILE_STEM}.shp" and landed is not None
    assert sorted(landed["datazone_code"]) == sorted(CODES)
    assert (landed.geom_type == "MultiPolygon").sum() >= 2  # the islands came through whole
    expected = gpd.GeoSeries(polygons.geometry.values, index=polygons["DataZone"], crs=27700)
    areas = landed.set_index("datazone_code").area
    for code in CODES:
        assert abs(areas[code] - expected[code].area) < 1e-6 * expected[code].area, code
