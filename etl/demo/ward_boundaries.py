"""Demo ward boundaries that, like real wards, do not follow data zone edges exactly.

Why: the build measures how well the lookup's ward of each data zone (``MMWcode``) fits the
real ward polygons (``etl/sources/ward_boundaries.py``). Polygons that were unions of the
demo's data zones would always score 1.0 and exercise nothing. So, within each council, the
generators of a Voronoi diagram are every data zone's centroid (the NRS-style point written to
``dz_centroids``) and one point near each corner of the data zone (a random 50-115 % of the way
from the centroid to the corner), each labelled with the data zone's lookup ward; a ward is the
union of its generators' cells, clipped to the council. Hence:

- the wards tile each council and nest in councils, as real wards do;
- every data zone's centroid lies inside its lookup ward's polygon (it lies in its own cell),
  so the demo lookup's ``MMWcode`` is the best fit of these polygons by centroid;
- ward edges run between the generators of neighbouring data zones, not along data zone
  edges, so a data zone on a ward edge is partly outside its ward: measured ward fits come
  out at about 0.88-0.99 (population-weighted mean about 0.94).

The layer is written like an ONS ward file (properties ``WD21CD``, ``WD21NM``), in EPSG:27700.
The same seed gives the same file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely

from etl.demo.geography import Geography
from etl.demo.writers import write_geojson_27700

WARD_RELEASE = "2021-12"
#: How far from a data zone's centroid towards (or past) each corner its corner generator lies.
CORNER_REACH = (0.5, 1.15)


def ward_polygons(geo: Geography, seed: int) -> list[shapely.Geometry]:
    """One polygon per ward (in ``geo.ward_code`` order), drawn as the module docstring says."""
    rng = np.random.default_rng([seed, 7081])
    wards: list[shapely.Geometry] = [shapely.Polygon()] * len(geo.ward_code)
    corners = shapely.get_exterior_ring(geo.dz_geom)
    for council, outline in enumerate(geo.council_geom):
        members = np.flatnonzero(geo.dz_council == council)
        xy, which = shapely.get_coordinates(corners[members], return_index=True)
        open_ring = np.r_[which[1:] == which[:-1], False]  # drop each ring's closing point
        xy, which = xy[open_ring], which[open_ring]
        centre = geo.dz_xy[members][which]
        reach = rng.uniform(*CORNER_REACH, size=(len(xy), 1))
        points = np.concatenate([geo.dz_xy[members], centre + reach * (xy - centre)])
        label = np.concatenate([geo.dz_ward[members], geo.dz_ward[members][which]])
        # the centroids come first, so a corner point landing on one is the one dropped
        _, first = np.unique(points, axis=0, return_index=True)
        keep = np.sort(first)
        points, label = points[keep], label[keep]
        cells = shapely.get_parts(shapely.voronoi_polygons(
            shapely.multipoints(points), extend_to=shapely.buffer(shapely.envelope(outline), 10_000.0),
            ordered=True))
        if len(cells) != len(points):
            raise ValueError(f"council {geo.council_code[council]}: Voronoi cells do not match their points")
        for ward in np.unique(label):
            geom = shapely.intersection(shapely.coverage_union_all(cells[label == ward]), outline)
            wards[int(ward)] = geom if geom.is_valid else shapely.make_valid(geom)
    return wards


def write_ward_boundaries(raw_dir: Path, geo: Geography, seed: int) -> Path:
    """Write ``ward_boundaries/<release>/wards.geojson`` (EPSG:27700, ``WD21CD``/``WD21NM``)."""
    properties = [{"WD21CD": str(code), "WD21NM": str(name)} for code, name in zip(geo.ward_code, geo.ward_name,
                                                                                   strict=True)]
    path = raw_dir / "ward_boundaries" / WARD_RELEASE / "wards.geojson"
    return write_geojson_27700(path, "wards", properties, ward_polygons(geo, seed))
