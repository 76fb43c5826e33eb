"""Invariants of dissolve and web simplification on random edge-matched coverages.

Why: the map must agree with the figures. Children must reassemble their parent exactly,
every data zone must land in one area per type, and simplification must neither open
gaps nor create overlaps between neighbours, whatever the shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.dissolve import dissolve_to_areas
from geo.simplify import simplify_for_web

CELL = 1000.0
X0, Y0 = 300_000.0, 650_000.0
PARTITIONS = ("datazone", "intermediate_zone", "council", "scotland")
PARENT = {"datazone": "intermediate_zone", "intermediate_zone": "council", "council": "scotland"}
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Case:
    """A random coverage of data zones and its nested lookup."""

    datazones: gpd.GeoDataFrame
    bridge: pd.DataFrame


def _edge(
    start: tuple[float, float],
    end: tuple[float, float],
    rng: np.random.Generator,
    points: int,
    wiggle: float,
) -> list[tuple[float, float]]:
    """Return a polyline from ``start`` to ``end`` with ``points`` wiggles off the straight line.

    Intermediate points sit in the middle half of the edge and at most ``wiggle`` (< 0.25
    of the edge length) off it, so edges meeting at a corner never cross.
    """
    (x0, y0), (x1, y1) = start, end
    t = np.sort(rng.uniform(0.25, 0.75, points))
    off = rng.uniform(-wiggle, wiggle, points)
    nx, ny = (y0 - y1) / CELL, (x1 - x0) / CELL  # unit normal
    inner = [
        (x0 + ti * (x1 - x0) + o * nx, y0 + ti * (y1 - y0) + o * ny)
        for ti, o in zip(t, off, strict=True)
    ]
    return [start, *inner, end]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """Draw a grid of data zones with wiggly shared edges and a random nested lookup."""
    nx, ny = draw(st.integers(2, 6)), draw(st.integers(2, 5))
    points, wiggle = draw(st.integers(0, 6)), draw(st.floats(0, 0.1 * CELL))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def corner(i: int, j: int) -> tuple[float, float]:
        return (X0 + i * CELL, Y0 + j * CELL)

    horizontal = {
        (i, j): _edge(corner(i, j), corner(i + 1, j), rng, points, wiggle)
        for i in range(nx)
        for j in range(ny + 1)
    }
    vertical = {
        (i, j): _edge(corner(i, j), corner(i, j + 1), rng, points, wiggle)
        for i in range(nx + 1)
        for j in range(ny)
    }
    polygons = [
        shapely.Polygon(
            horizontal[i, j][:-1]
            + vertical[i + 1, j][:-1]
            + horizontal[i, j + 1][::-1][:-1]
            + vertical[i, j][::-1][:-1]
        )
        for j in range(ny)
        for i in range(nx)
    ]
    codes = [f"S01{n:06d}" for n in range(len(polygons))]
    datazones = gpd.GeoDataFrame({"datazone_code": codes}, geometry=polygons, crs=27700)
    n_iz = draw(st.integers(1, len(codes)))
    iz = rng.integers(0, n_iz, len(codes))
    council_of_iz = rng.integers(0, draw(st.integers(1, 3)), n_iz)
    parts = {
        "datazone": codes,
        "intermediate_zone": [f"S02{z:06d}" for z in iz],
        "council": [f"S12{c:06d}" for c in council_of_iz[iz]],
        "scotland": ["S92000003"] * len(codes),
    }
    bridge = pd.concat(
        [
            pd.DataFrame({"datazone_code": codes, "area_type": t, "area_code": a})
            for t, a in parts.items()
        ]
    )
    in_locality = rng.random(len(codes)) < 0.5  # a partial area type: not every data zone
    localities = pd.DataFrame(
        {
            "datazone_code": np.asarray(codes)[in_locality],
            "area_type": "locality",
            "area_code": rng.integers(0, 3, in_locality.sum()).astype(str),
        }
    )
    return Case(datazones, pd.concat([bridge, localities], ignore_index=True))


@SETTINGS
@given(cases())
def test_children_reassemble_their_parent(case: Case) -> None:
    assert shapely.coverage_is_valid(case.datazones.geometry.to_numpy())
    areas = dissolve_to_areas(case.datazones, case.bridge).set_index(["area_type", "area_code"])
    codes = case.bridge.pivot(index="datazone_code", columns="area_type", values="area_code")
    for child, parent in PARENT.items():
        pairs = codes[[child, parent]].drop_duplicates()
        for parent_code, members in pairs.groupby(parent)[child]:
            whole = areas.geometry[parent, parent_code]
            union = shapely.union_all([areas.geometry[child, c] for c in members])
            assert abs(union.area - whole.area) <= 1e-6 * whole.area
            assert union.symmetric_difference(whole).area < 1e-6 * whole.area


@SETTINGS
@given(cases())
def test_every_datazone_is_in_one_area_per_type(case: Case) -> None:
    areas = dissolve_to_areas(case.datazones, case.bridge)
    inside = shapely.point_on_surface(case.datazones.geometry.to_numpy())
    members = case.bridge.groupby("area_type")["datazone_code"].apply(set)
    for area_type, group in areas.groupby("area_type"):
        hits = shapely.contains(group.geometry.to_numpy()[:, None], inside[None, :]).sum(axis=0)
        expected = case.datazones["datazone_code"].isin(members[area_type]).astype(int)
        assert hits.tolist() == expected.tolist()


@SETTINGS
@given(cases(), st.sampled_from([10.0, 25.0, 50.0]))
def test_simplified_areas_neither_overlap_nor_open_gaps(case: Case, tolerance: float) -> None:
    areas = dissolve_to_areas(case.datazones, case.bridge)
    web = simplify_for_web(areas, tolerance_m=tolerance)
    assert web.is_valid.all()
    back = web.to_crs(27700)
    for area_type, group in back.groupby("area_type"):
        geoms = group.geometry.to_numpy()
        total = areas.loc[areas["area_type"] == area_type].area.sum()
        left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
        pairs = left < right
        overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
        assert overlap.sum() < 1e-6 * total
        union = shapely.union_all(geoms)
        assert abs(union.area - total) < 0.01 * total
        if area_type in PARTITIONS:  # the grid has no holes, so neither may its union
            assert all(shapely.get_num_interior_rings(shapely.get_parts(union)) == 0)
