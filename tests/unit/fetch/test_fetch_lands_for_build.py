"""What `cpop fetch` lands is what `cpop build` reads: each fetched release folder is found beside the
committed snapshot's releases (``Settings.input_roots()``) and its files load as that release."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.fetch.runner import fetch_sources
from etl.settings import SNAPSHOT_DIR, get_settings
from etl.sources import boundaries, nrs_sape, published
from etl.sources.files import release_dirs
from etl.sources.readers import PUBLISHER_READERS
from tests.fixtures.fetch_publishers import manifest_for
from tests.fixtures.replay_server import Replay


def test_fetched_releases_load_beside_the_snapshot(publishers: Replay, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    fetch_sources(manifest_for(publishers.base), raw, now=datetime(2025, 3, 3, tzinfo=UTC))
    roots = get_settings(raw_dir=raw, snapshot_dir=SNAPSHOT_DIR, use_snapshot=True).input_roots()
    # the snapshot's CPOP releases stay; the fetched ones are added beside them, newest last
    assert [r for r, _ in release_dirs(roots, "cpop")] == ["2022-08", "2023-09", "2024-05", "2025-03"]
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    published.load(con, [raw], PUBLISHER_READERS)
    landed = dict(con.execute("SELECT _release || ' ' || dataset, count(*) FROM raw.published__observations "
                              "GROUP BY ALL").fetchall())
    assert landed == {"2025-03 cpop-cpp-app": 30, "2024-05 cpop-population-cpp": 16, "2020v2 simd-indicators": 78}
    income = con.execute("SELECT \"Units\", \"Value\" FROM raw.published__observations WHERE dataset = 'simd-indicators' "
                         "AND \"FeatureCode\" = 'S01006506' AND \"Measurement\" = 'Income deprived' "
                         "AND \"DateCode\" = '2017' ORDER BY 1").fetchall()
    assert income == [("People", "71"), ("Population base", "894"), ("Proportion", "0.08")]  # the SG workbook's row
    fife = con.execute("SELECT \"Value\" FROM raw.published__observations WHERE \"FeatureCode\" = 'S12000047' "
                       "AND \"DateCode\" = '2020/21' AND dataset = 'cpop-cpp-app'").fetchall()  # CPOP's 2021/22, a year back
    assert fife == [("17.49528894472362",)]
    nrs_sape.load(con, [raw])  # PHS's layout (Year, DataZone, Sex, AllAges, Age0 … Age90plus)
    rows = con.execute("SELECT _release, year, sex, datazone_code, total_population, age_0, age_90plus "
                       "FROM raw.nrs__sape_dz ORDER BY datazone_code, sex LIMIT 1").fetchall()
    assert rows == [("2024-07", "2020", "All", "S01006506", "843", "5", "6")]  # the fixture's first line
    # the data zone Shapefile extracted from the SG zip is the newest boundary release the build reads
    files, polygons = boundaries.load(roots)
    assert {f.release for f in files} == {"2021-10"} and files[0].path.name == "SG_DataZone_Bdry_2011.shp"
    assert polygons is not None and sorted(polygons["datazone_code"]) == ["S01006506", "S01006507"]
    assert polygons.crs.to_epsg() == 27700 and round(polygons.area.sum()) == 2_000_000
