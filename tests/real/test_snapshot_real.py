"""The committed snapshot (data/snapshot) is what `cpop snapshot ../shared/real` makes, and is small.

Skipped when ../shared/real is absent. The snapshot is rebuilt into a temporary folder and
compared with the committed one: the manifest must be equal and every Parquet file must hold the
same table. Then the committed files are read as the build reads them: the pandas loaders (SIMD
2012's bridge) get the same text from a snapshot as from its CSV, and the HSCP localities (best
fit, nested in councils) fall each in one council and cover Scotland.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from etl.settings import SNAPSHOT_DIR
from etl.snapshot import MANIFEST_FILE, make_snapshot, snapshot_files
from etl.sources.files import find_files
from tests.fixtures.real_data import real_data_missing

pytestmark = pytest.mark.real
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"
#: The committed snapshot must stay well under this (git history keeps every version).
LIMIT_BYTES = 30_000_000


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not REAL.is_dir():
        real_data_missing(REAL, "real data folder")
    out = tmp_path_factory.mktemp("snapshot")
    make_snapshot(REAL, out)
    return out


def test_rebuilding_the_snapshot_gives_the_committed_manifest(rebuilt: Path) -> None:
    committed = yaml.safe_load((SNAPSHOT_DIR / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert yaml.safe_load((rebuilt / MANIFEST_FILE).read_text(encoding="utf-8")) == committed, \
        "data/snapshot is stale: run `make snapshot` and commit data/snapshot/"


def test_rebuilding_the_snapshot_gives_the_committed_tables(rebuilt: Path) -> None:
    ours = [p.relative_to(rebuilt) for p in snapshot_files(rebuilt)]
    assert ours == [p.relative_to(SNAPSHOT_DIR) for p in snapshot_files(SNAPSHOT_DIR)]
    assert ours, "no snapshot files"
    for relative in ours:
        fresh, committed = pq.read_table(rebuilt / relative), pq.read_table(SNAPSHOT_DIR / relative)
        assert fresh.schema.names == committed.schema.names, relative
        assert fresh.equals(committed), relative


def test_the_committed_snapshot_is_small() -> None:
    size = sum(p.stat().st_size for p in SNAPSHOT_DIR.rglob("*") if p.is_file())
    assert 0 < size < LIMIT_BYTES, f"data/snapshot is {size / 1e6:.1f} MB"


def test_the_pandas_loaders_read_the_snapshot_tables_as_the_csvs() -> None:
    """What SIMD 2012's bridge (and the other pandas loaders) read: header and text, file by file.

    A column without a heading (the SIMD 2012 file ends with an empty one) is named as DuckDB,
    and so ``land_csv``, names it (``column28``), where pandas says ``Unnamed: 28``: no loader reads it.
    """
    import pandas as pd

    from etl.sources.files import csv_header, read_text_table

    if not REAL.is_dir():
        real_data_missing(REAL, "real data folder")
    pairs = {"simd2012_data_00410767_plusintervals.csv": REAL / "simd", "lookup_dz2001_dz2011.csv": REAL / "geography",
             "sape2021_iz2011_total.csv": REAL / "population"}
    found = {f.path.name: f.path for source in ("simd", "nrs_sape") for f in find_files(SNAPSHOT_DIR, source, (".csv",))}
    for name, folder in pairs.items():
        snapshot = found[name + ".snapshot.parquet"]
        header, stored = csv_header(folder / name), csv_header(snapshot)
        named = [i for i, c in enumerate(header) if c]
        assert len(stored) == len(header) and [stored[i] for i in named] == [header[i] for i in named]
        original, copy = read_text_table(folder / name), read_text_table(snapshot)
        pd.testing.assert_frame_equal(copy.iloc[:, named], original.iloc[:, named], obj=name)


def test_hscp_localities_from_the_snapshot_nest_in_councils() -> None:
    """130 localities, each in one council, 6,976 data zones in all (the snapshot's own files)."""
    import geopandas as gpd
    import pandas as pd

    from etl.bestfit import best_fit, datazone_points, measure_fit, nest_within
    from etl.sources.area_types import find_layer, newest_release
    from etl.sources.files import read_text_table
    from geo.boundaries import read_datazone_boundaries

    dz = read_datazone_boundaries(find_layer(newest_release(SNAPSHOT_DIR, "boundaries")))
    layer = gpd.read_parquet(find_layer(newest_release(SNAPSHOT_DIR, "hsc_localities"))).to_crs(27700)
    layer = layer.rename(columns={"code": "area_code"})[["area_code", "geometry"]]
    lookup_file = next(f for f in find_files(SNAPSHOT_DIR, "simd", (".xlsx",)) if f.release == "2020v2")
    councils = read_text_table(lookup_file.path).set_index("DZ")["LAcode"]
    plain = best_fit(dz, layer, datazone_points(dz))
    fit = measure_fit(dz, layer, nest_within(dz, layer, plain.assignments, councils))
    members = fit.assignments.assign(council=councils.reindex(fit.assignments["datazone_code"]).to_numpy())
    per_locality = members.groupby("area_code").agg(n=("datazone_code", "size"), councils=("council", "nunique"))
    assert len(per_locality) == 130 and fit.empty_areas == ()
    assert per_locality["councils"].max() == 1
    assert per_locality["n"].sum() == len(dz) == 6976
    assert members.groupby("council")["area_code"].nunique().min() >= 1  # every council has localities
    assert len(set(members["council"])) == 32
    assert pd.Series(plain.assignments["area_code"]).nunique() == 130
