"""A seeded, fictional but believable country written in the real raw file formats.

Why: the demo (``cpop demo``) must exercise the same loaders as real data without shipping
real data, so it writes data zone boundaries, SIMD look-ups, NRS population estimates,
localities, ward boundaries and statistics.gov.scot series exactly as their publishers do (see
docs/data-formats.md). The same seed and scale always give byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from etl.demo.community_councils import write_community_councils, write_datazone_centroids
from etl.demo.family_groups import write_demo_family_groups, write_demo_targets
from etl.demo.geography import Geography, build_geography
from etl.demo.indicators import DATASET_STORIES, write_indicators
from etl.demo.population import YEARS, build_population, write_sape
from etl.demo.postcodes import write_postcodes
from etl.demo.simd import build_deprivation, write_simd
from etl.demo.ward_boundaries import write_ward_boundaries
from etl.demo.writers import write_plain_csv, write_shapefile
from etl.settings import DEMO_MARKER

__all__ = ["DATASET_STORIES", "DemoSummary", "write_demo"]

LOCALITIES_RELEASE = "2025-06"


@dataclass(frozen=True)
class DemoSummary:
    """What ``write_demo`` produced: area counts and the files written."""

    data_zones: int
    intermediate_zones: int
    wards: int
    councils: int
    health_boards: int
    hscps: int
    localities: int
    files: tuple[Path, ...]

    @property
    def files_written(self) -> int:
        """Number of files written (Shapefile parts counted separately)."""
        return len(self.files)


def _write_localities(raw_dir: Path, geo: Geography) -> Path:
    """Localities of the detailed council: some rows by IZ code, others by data zone code.

    Why: the loader must accept both kinds of member; every third IZ is listed as its data
    zones instead of by its own code.
    """
    rows: list[list[str]] = []
    council = str(geo.council_code[geo.detailed])
    for code, name, izs in zip(geo.locality_code, geo.locality_name, geo.locality_iz, strict=True):
        for k, iz in enumerate(izs):
            if k % 3 == 2:
                rows += [[code, name, council, str(d)] for d in geo.dz_code[geo.dz_iz == iz]]
            else:
                rows.append([code, name, council, str(geo.iz_code[iz])])
    path = raw_dir / "localities" / LOCALITIES_RELEASE / "localities.csv"
    write_plain_csv(path, ["locality_code", "locality_name", "council_code", "area_code"], rows)
    return path


def write_demo(
    raw_dir: Path,
    *,
    scale: Literal["demo", "scotland"] = "demo",
    seed: int = 20261122,
) -> DemoSummary:
    """Write the demo country's raw files under ``raw_dir`` and summarise what was written.

    Why: one call gives a complete, reproducible ``data/raw`` tree for demos and tests;
    ``scale="scotland"`` gives Scotland's real counts (6,976 data zones, 32 councils) for
    performance work.
    """
    raw_dir = Path(raw_dir)
    geo = build_geography(scale, seed)
    dep = build_deprivation(geo, seed)
    pop = build_population(dep.dep, geo.dz_urclass, seed)
    totals = {y: pop[i].sum(axis=(1, 2)) for i, y in enumerate(YEARS)}
    working = {y: pop[i, :, :, 16:65].sum(axis=(1, 2)) for i, y in enumerate(YEARS)}

    files: list[Path] = []
    shp = raw_dir / "boundaries" / "2011" / "SG_DataZone_Bdry_2011.shp"
    files += write_shapefile(shp, geo.dz_code, geo.dz_name, geo.dz_geom)
    files += write_simd(raw_dir, geo, dep, totals, working)
    files += write_sape(raw_dir, geo.dz_code, pop)
    files.append(_write_localities(raw_dir, geo))
    files += write_indicators(raw_dir, geo, dep.dep, pop, seed)
    files.append(write_demo_family_groups(raw_dir, [str(c) for c in geo.council_code], seed=seed))
    files.append(write_demo_targets(raw_dir, seed=seed))
    files.append(write_community_councils(raw_dir, geo, seed))
    files.append(write_datazone_centroids(raw_dir, geo))
    files.append(write_ward_boundaries(raw_dir, geo, seed))
    files.append(write_postcodes(raw_dir, geo, seed))
    (raw_dir / DEMO_MARKER).write_text(f"built-in fictional demo data, scale={scale}\n", encoding="utf-8")
    files.append(raw_dir / DEMO_MARKER)
    return DemoSummary(
        data_zones=len(geo.dz_code),
        intermediate_zones=len(geo.iz_code),
        wards=len(geo.ward_code),
        councils=len(geo.council_code),
        health_boards=len(geo.hb_code),
        hscps=len(np.unique(geo.council_hscp)),
        localities=len(geo.locality_code),
        files=tuple(files),
    )
