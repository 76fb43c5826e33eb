"""Demo community council areas (best-fit polygons) and data zone centroids.

Why: community councils are the demo's file-defined, best-fit area type
(``etl/catalogue/geographies.yaml``). Their boundaries must NOT follow data zone edges, or the
best-fit code would never be exercised, so they are a Voronoi diagram of about 15 seeds clipped
to the detailed council's outline. Names are invented ("… Community Council" built from the
demo's made-up syllables) and codes are ``S9999xxxx``, outside every real GSS range.
The NRS-style population-weighted data zone centroids (``dz_centroids``) are the demo's data
zone seed points, which lie inside their data zones.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from etl.demo.geography import Geography
from etl.demo.names import NameBank
from etl.demo.writers import write_geojson_27700, write_plain_csv

CC_RELEASE = "2025-04"
CENTROIDS_RELEASE = "2011"
FIRST_CC_CODE = 99990001  # S99990001: outside any real GSS range
N_COMMUNITY_COUNCILS = 15


def community_council_polygons(geo: Geography, seed: int, n: int = N_COMMUNITY_COUNCILS) -> list[shapely.Geometry]:
    """``n`` polygons tiling the detailed council: Voronoi cells of seeds near its data zones.

    Seeds are data zone points (so councils are denser where people live) moved by up to
    ±1.5 km, so cell edges cut across data zones.
    """
    rng = np.random.default_rng([seed, 7071])
    outline = geo.council_geom[geo.detailed]
    members = np.flatnonzero(geo.dz_council == geo.detailed)
    chosen = np.sort(rng.choice(members, size=min(n, len(members)), replace=False))
    seeds = geo.dz_xy[chosen] + rng.uniform(-1500.0, 1500.0, size=(len(chosen), 2))
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=outline.envelope.buffer(10_000))
    parts = shapely.get_parts(cells)
    # voronoi_polygons does not keep the input order: match each cell to its seed
    seed_points = shapely.points(seeds)
    ordered = [parts[int(np.flatnonzero(shapely.contains(parts, p))[0])] for p in seed_points]
    clipped = [shapely.intersection(cell, outline) for cell in ordered]
    return [shapely.make_valid(g) if not g.is_valid else g for g in clipped]


def write_community_councils(raw_dir: Path, geo: Geography, seed: int) -> Path:
    """Write ``community_councils/<release>/community_councils.geojson`` (EPSG:27700)."""
    polygons = community_council_polygons(geo, seed)
    names = NameBank(np.random.default_rng([seed, 7072]))
    properties = [{"cc_code": f"S{FIRST_CC_CODE + i:08d}", "cc_name": f"{names.take()} Community Council"}
                  for i in range(len(polygons))]
    path = raw_dir / "community_councils" / CC_RELEASE / "community_councils.geojson"
    return write_geojson_27700(path, "community_councils", properties, polygons)


def write_datazone_centroids(raw_dir: Path, geo: Geography) -> Path:
    """Write NRS-style population-weighted centroids: ``DataZone,Name,Easting,Northing``."""
    rows = [[str(code), str(name), f"{x:.0f}", f"{y:.0f}"]
            for code, name, (x, y) in zip(geo.dz_code, geo.dz_name, geo.dz_xy, strict=True)]
    path = raw_dir / "dz_centroids" / CENTROIDS_RELEASE / "SG_DataZone_Cent_2011.csv"
    write_plain_csv(path, ["DataZone", "Name", "Easting", "Northing"], rows)
    return path
