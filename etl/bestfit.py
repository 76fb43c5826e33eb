"""Best-fit lookups: assign whole data zones to areas that do not follow data zone edges.

Why: community councils (and wards, in the SG lookup) are drawn without regard to data
zones, but every statistic in the warehouse is held at data zone grain. The standard answer
(used by SG and NRS for their own best-fit lookups) is to give each data zone to the area
that contains its population-weighted centroid, and to say how good the fit is. Wards are
already assigned by the lookup (``MMWcode``); ``measure_fit`` scores that given assignment
against the real ward boundaries with the same shares, without re-assigning anything.

Notes
-----
Assignment: data zone ``d`` goes to the area ``A`` whose polygon contains ``d``'s point: the
NRS population-weighted centroid when one is supplied, else ``d``'s point on surface (a point
guaranteed to lie inside the polygon, near its middle). A point on the shared edge of two
areas goes to the one overlapping ``d`` most (ties: the smaller code). A point in no area
leaves ``d`` unassigned.

Fit quality of area ``A`` with assigned data zones ``D(A)``, population assumed uniform
within each data zone::

    fit_quality(A)    = Σ_{d∈D(A)} pop_d · area(d ∩ A) / area(d)  /  Σ_{d∈D(A)} pop_d
    footprint_share(A) = Σ_{d∈D(A)} area(d ∩ A)  /  area(A)

``inside_share_d = area(d ∩ A) / area(d)`` is returned per data zone; the population weighting
happens in SQL (``marts.areas``) with the latest population. Data zones do not overlap, so the
footprint sum does not double count.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from etl.errors import InputError


@dataclass(frozen=True)
class BestFit:
    """The result of a best fit.

    ``assignments``: one row per assigned data zone (``datazone_code``, ``area_code``,
    ``inside_share``). ``areas``: one row per area with at least one data zone
    (``area_code``, ``footprint_share``, ``datazone_count``). ``empty_areas``: codes of areas
    that received no data zone (too small to hold any data zone's centroid).
    """

    assignments: pd.DataFrame
    areas: pd.DataFrame
    empty_areas: tuple[str, ...]


def datazone_points(datazones: gpd.GeoDataFrame, centroids: pd.DataFrame | None = None) -> np.ndarray:
    """One point per data zone: its population-weighted centroid if given, else its point on surface.

    ``centroids`` has columns ``datazone_code``, ``x``, ``y`` (EPSG:27700 metres); data zones
    missing from it fall back to the point on surface.
    """
    points = shapely.point_on_surface(datazones.geometry.to_numpy())
    if centroids is not None and len(centroids):
        xy = centroids.set_index("datazone_code")[["x", "y"]]
        xy = xy.reindex(datazones["datazone_code"].astype(str).to_numpy())
        have = xy["x"].notna().to_numpy() & xy["y"].notna().to_numpy()
        points = points.copy()
        points[have] = shapely.points(xy["x"].to_numpy()[have], xy["y"].to_numpy()[have])
    return points


def best_fit(
    datazones: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    points: np.ndarray | None = None,
) -> BestFit:
    """Assign each data zone to the area containing its point, and measure the fit.

    ``datazones``: ``GeoDataFrame[datazone_code, geometry]``; ``areas``:
    ``GeoDataFrame[area_code, geometry]``, both in the same projected CRS (EPSG:27700).
    ``points``: one point per data zone (default: ``datazone_points(datazones)``).
    """
    _check_arguments(datazones, areas)
    dz_geoms = datazones.geometry.to_numpy()
    dz_codes = datazones["datazone_code"].astype(str).to_numpy()
    area_geoms = areas.geometry.to_numpy()
    area_codes = areas["area_code"].astype(str).to_numpy()
    if points is None:
        points = datazone_points(datazones)
    if len(points) != len(dz_geoms):
        raise InputError(None, f"argument 'points' has {len(points)} points for {len(dz_geoms)} data zones")

    tree = shapely.STRtree(area_geoms)
    point_idx, area_idx = tree.query(points, predicate="intersects")
    overlap = _overlaps(dz_geoms[point_idx], area_geoms[area_idx])
    pairs = pd.DataFrame({"dz": point_idx, "area": area_idx, "overlap": overlap,
                          "code": area_codes[area_idx]})
    # a point on the edge of two areas: the one overlapping the data zone most, then the smaller code
    pairs = (pairs.sort_values(["dz", "overlap", "code"], ascending=[True, False, True], kind="stable")
             .drop_duplicates("dz", keep="first"))
    return _measured(dz_codes, dz_geoms, area_codes, area_geoms, pairs)


def measure_fit(datazones: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, assignment: pd.DataFrame) -> BestFit:
    """Measure how well a given assignment of data zones to areas fits the areas' polygons.

    Why: the SIMD lookup already gives each data zone a ward (``MMWcode``, the Scottish
    Government's own best fit); with the real ward boundaries the fit can be measured without
    re-assigning anything. ``assignment`` has columns ``datazone_code`` and ``area_code`` (one
    row per data zone); pairs whose data zone or area has no polygon are left out (the caller
    reports them). ``inside_share`` and ``footprint_share`` are those of ``best_fit`` (see the
    module Notes); ``empty_areas`` lists polygons no data zone is assigned to.
    """
    _check_arguments(datazones, areas, assignment)
    dz_geoms = datazones.geometry.to_numpy()
    dz_codes = datazones["datazone_code"].astype(str).to_numpy()
    area_geoms = areas.geometry.to_numpy()
    area_codes = areas["area_code"].astype(str).to_numpy()
    dz_pos = pd.Series(np.arange(len(dz_codes)), index=dz_codes)
    area_pos = pd.Series(np.arange(len(area_codes)), index=area_codes)
    given = assignment[["datazone_code", "area_code"]].astype(str).drop_duplicates("datazone_code")
    dz_idx = dz_pos.reindex(given["datazone_code"].to_numpy()).to_numpy()
    area_idx = area_pos.reindex(given["area_code"].to_numpy()).to_numpy()
    have = ~(np.isnan(dz_idx) | np.isnan(area_idx))
    dz_idx, area_idx = dz_idx[have].astype(np.int64), area_idx[have].astype(np.int64)
    pairs = pd.DataFrame({"dz": dz_idx, "area": area_idx,
                          "overlap": _overlaps(dz_geoms[dz_idx], area_geoms[area_idx]),
                          "code": area_codes[area_idx]})
    return _measured(dz_codes, dz_geoms, area_codes, area_geoms, pairs)


def nest_within(datazones: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, assignment: pd.DataFrame,
                parent: pd.Series) -> pd.DataFrame:
    """Re-assign data zones so that every area holds data zones of one parent area only.

    Why: some best-fit areas nest in a parent by definition (a Health and Social Care Partnership
    divides its council into localities), but a centroid near a council boundary can fall in the
    neighbouring council's locality when both layers are simplified, and a coastal data zone's
    centroid can fall outside every simplified polygon. Figures for such an area would mix two
    councils, and the council's areas would not add up to the council.

    ``parent`` maps each data zone code to its parent's code (the lookup's council). An area's
    parent is the parent of most data zones ``assignment`` gives it (ties: the smaller code).
    Each data zone keeps its area when that area has the same parent; otherwise (or when it has
    no area) it goes to the area of its own parent that it overlaps most, else the nearest one
    (ties: the smaller code). A data zone whose parent has no area stays unassigned.
    Returns ``DataFrame[datazone_code, area_code]``, one row per assigned data zone, for
    ``measure_fit``.
    """
    _check_arguments(datazones, areas, assignment)
    given = assignment[["datazone_code", "area_code"]].astype(str)
    given = given.assign(parent=parent.reindex(given["datazone_code"].to_numpy()).to_numpy())
    counts = given.dropna(subset=["parent"]).groupby(["area_code", "parent"]).size().reset_index(name="n")
    area_parent = (counts.sort_values(["area_code", "n", "parent"], ascending=[True, False, True], kind="stable")
                   .drop_duplicates("area_code").set_index("area_code")["parent"])
    dz_codes = datazones["datazone_code"].astype(str).to_numpy()
    dz_parent = parent.reindex(dz_codes).to_numpy()
    current = given.set_index("datazone_code")["area_code"].reindex(dz_codes).to_numpy()
    keep = pd.notna(current) & (area_parent.reindex(current).to_numpy() == dz_parent)
    result = pd.DataFrame({"datazone_code": dz_codes, "area_code": current}).loc[keep]
    area_codes = areas["area_code"].astype(str).to_numpy()
    area_geoms = areas.geometry.to_numpy()
    of_area = area_parent.reindex(area_codes).to_numpy()
    moved = []
    for i in np.flatnonzero(~keep & pd.notna(dz_parent)):
        candidates = np.flatnonzero(of_area == dz_parent[i])
        if not len(candidates):
            continue
        geom = datazones.geometry.iloc[i]
        overlap = shapely.area(shapely.intersection(geom, area_geoms[candidates]))
        score = overlap if overlap.max() > 0 else -shapely.distance(geom, area_geoms[candidates])
        best = (pd.DataFrame({"code": area_codes[candidates], "score": score})
                .sort_values(["score", "code"], ascending=[False, True], kind="stable"))
        moved.append((dz_codes[i], best["code"].iloc[0]))
    moved_frame = pd.DataFrame(moved, columns=["datazone_code", "area_code"])
    return (pd.concat([result, moved_frame], ignore_index=True) if len(moved_frame) else result) \
        .sort_values("datazone_code", kind="stable").reset_index(drop=True)


def _check_arguments(datazones: gpd.GeoDataFrame, areas: gpd.GeoDataFrame,
                     assignment: pd.DataFrame | None = None) -> None:
    """Name the argument missing its code column, or the pair in different coordinate systems."""
    wanted = [("datazones", datazones, "datazone_code"), ("areas", areas, "area_code")]
    if assignment is not None:
        wanted += [("assignment", assignment, "datazone_code"), ("assignment", assignment, "area_code")]
    for name, frame, column in wanted:
        if column not in frame.columns:
            raise InputError(None, f"argument '{name}' has no '{column}' column", column=column)
    if datazones.crs is not None and areas.crs is not None and datazones.crs != areas.crs:
        raise InputError(None, "arguments 'datazones' and 'areas' are in different coordinate systems",
                         hint="reproject both to EPSG:27700")


def _overlaps(dz_geoms: np.ndarray, area_geoms: np.ndarray) -> np.ndarray:
    """``area(d ∩ A)`` pair by pair; a data zone wholly inside its area needs no overlay."""
    overlap = shapely.area(dz_geoms)
    partial = ~shapely.contains_properly(area_geoms, dz_geoms)
    if partial.any():
        overlap = overlap.copy()
        overlap[partial] = shapely.area(shapely.intersection(dz_geoms[partial], area_geoms[partial], grid_size=None))
    return overlap


def _measured(dz_codes: np.ndarray, dz_geoms: np.ndarray, area_codes: np.ndarray, area_geoms: np.ndarray,
              pairs: pd.DataFrame) -> BestFit:
    """Shares per data zone and per area from one (data zone, area, overlap) row per data zone."""
    dz_area = shapely.area(dz_geoms[pairs["dz"].to_numpy()])
    assignments = pd.DataFrame({
        "datazone_code": dz_codes[pairs["dz"].to_numpy()],
        "area_code": pairs["code"].to_numpy(),
        "inside_share": np.clip(pairs["overlap"].to_numpy() / np.where(dz_area > 0, dz_area, 1.0), 0.0, 1.0),
    }).sort_values("datazone_code", kind="stable").reset_index(drop=True)
    per_area = pairs.groupby("area", sort=True).agg(overlap=("overlap", "sum"), datazone_count=("dz", "size"))
    footprint = shapely.area(area_geoms[per_area.index.to_numpy()])
    summary = pd.DataFrame({
        "area_code": area_codes[per_area.index.to_numpy()],
        "footprint_share": np.clip(per_area["overlap"].to_numpy() / np.where(footprint > 0, footprint, 1.0),
                                   0.0, 1.0),
        "datazone_count": per_area["datazone_count"].to_numpy().astype(np.int64),
    }).sort_values("area_code", kind="stable").reset_index(drop=True)
    empty = tuple(sorted(set(area_codes) - set(summary["area_code"])))
    return BestFit(assignments, summary, empty)


def fit_quality(assignments: pd.DataFrame, population: pd.Series) -> pd.Series:
    """Population-weighted fit quality per area (the formula ``marts.areas`` applies in SQL).

    ``population`` is indexed by data zone code. Returns ``Σ pop_d · inside_share_d / Σ pop_d``
    per ``area_code``; an area whose data zones have no population gets the unweighted mean.
    """
    frame = assignments.assign(pop=population.reindex(assignments["datazone_code"].to_numpy()).to_numpy())
    frame["weighted"] = frame["pop"] * frame["inside_share"]
    sums = frame.groupby("area_code", sort=True).agg(weighted=("weighted", "sum"), pop=("pop", "sum"),
                                                     mean=("inside_share", "mean"))
    quality = sums["weighted"] / sums["pop"].where(sums["pop"] > 0)
    return quality.fillna(sums["mean"]).rename("fit_quality")
