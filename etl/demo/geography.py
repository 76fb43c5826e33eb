"""The demo country's geography: polygons, codes, names and the area hierarchy.

Why: the real loaders need a data zone layer that tiles councils exactly and a lookup whose
codes look like GSS codes, so the demo builds a country shape, councils from a warped power
diagram of council seeds, data zones from Voronoi cells of population-weighted seed points,
and groups them into intermediate zones, wards, constituencies, health boards, HSCPs and
localities by recursive coordinate bisection (contiguous, compact groups).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from etl.demo.names import QUALIFIERS, NameBank

#: The first code of each area type (GSS shapes, outside the ranges real Scotland uses).
FIRST_CODE: dict[str, int] = {
    "dz": 1020001,  # S01020001
    "iz": 2010001,  # S02010001
    "ward": 13009001,  # S13009001
    "council": 12000901,  # S12000901
    "hb": 8000901,  # S08000901
    "hscp": 37000901,  # S37000901
    "spc": 16000901,  # S16000901
    "locality": 99009001,  # S99009001
}

#: SG 6-fold urban/rural classification names, by class number.
UR_NAMES: dict[int, str] = {
    1: "Large Urban Areas",
    2: "Other Urban Areas",
    3: "Accessible Small Towns",
    4: "Remote Small Towns",
    5: "Accessible Rural",
    6: "Remote Rural",
}


@dataclass(frozen=True)
class ScaleSpec:
    """How big the country is: counts per area type and the country's size."""

    dz_per_council: tuple[int, ...]
    n_health_boards: int
    n_iz_total: int | None  # None: about 5.45 data zones per IZ in each council
    n_spc: int
    size: float  # country radius multiplier (1.0 = Scotland-like)
    n_cities: int
    detailed: int  # index of the detailed council (with localities)
    wards_rule: str  # "demo" (8-12 per council) or "scotland" (~355 in all)


def scale_spec(scale: str, rng: np.random.Generator) -> ScaleSpec:
    """The counts for ``scale`` ("demo" or "scotland"), drawn reproducibly from ``rng``."""
    if scale == "demo":
        others = rng.integers(80, 161, size=5)
        counts = (int(rng.integers(330, 361)), *(int(c) for c in others))
        return ScaleSpec(counts, 3, None, max(4, round(sum(counts) / 95)), 0.62, 1, 0, "demo")
    if scale == "scotland":
        total, n = 6976, 32
        w = np.exp(rng.normal(0.0, 0.7, size=n))
        w = np.minimum(w / w.sum() * (total - 25 * n), 700)
        counts = 25 + _largest_remainder(w / w.sum() * (total - 25 * n))
        detailed = int(np.argmin(np.abs(counts - 494)))
        counts[detailed] = max(counts[detailed], 340)
        counts[np.argmax(np.where(np.arange(n) == detailed, -1, counts))] += total - counts.sum()
        return ScaleSpec(tuple(int(c) for c in counts), 14, 1279, 73, 1.0, 4, detailed, "scotland")
    raise ValueError(f"unknown scale {scale!r}: use 'demo' or 'scotland'")


def _largest_remainder(x: np.ndarray) -> np.ndarray:
    """Round non-negative reals to integers keeping their (rounded) total."""
    floor = np.floor(x).astype(np.int64)
    short = int(round(x.sum())) - int(floor.sum())
    if short > 0:
        floor[np.argsort(-(x - floor), kind="stable")[:short]] += 1
    return floor


@dataclass
class Geography:
    """Every area of the demo country, as parallel numpy arrays indexed by area number."""

    dz_code: np.ndarray
    dz_name: np.ndarray
    dz_geom: np.ndarray
    dz_xy: np.ndarray
    dz_council: np.ndarray
    dz_iz: np.ndarray
    dz_ward: np.ndarray
    dz_spc: np.ndarray
    dz_urclass: np.ndarray
    dz_town: np.ndarray  # town index, -1 for rural zones
    iz_code: np.ndarray
    iz_name: np.ndarray
    iz_council: np.ndarray
    ward_code: np.ndarray
    ward_name: np.ndarray
    council_code: np.ndarray
    council_name: np.ndarray
    council_hb: np.ndarray
    council_hscp: np.ndarray
    council_geom: np.ndarray
    hb_code: np.ndarray
    hb_name: np.ndarray
    hscp_code: np.ndarray
    hscp_name: np.ndarray
    spc_code: np.ndarray
    spc_name: np.ndarray
    town_xy: np.ndarray
    town_sigma: np.ndarray
    town_size: np.ndarray
    detailed: int
    locality_code: list[str] = field(default_factory=list)
    locality_name: list[str] = field(default_factory=list)
    locality_iz: list[np.ndarray] = field(default_factory=list)


def _codes(kind: str, n: int) -> np.ndarray:
    """``n`` consecutive GSS-shaped codes of ``kind`` (for example S01020001, S01020002...)."""
    start = FIRST_CODE[kind]
    width = 8
    return np.array([f"S{start + i:0{width}d}" for i in range(n)], dtype=object)


def rcb(xy: np.ndarray, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Split points into ``k`` compact groups by recursive coordinate bisection.

    Why: cutting along the longer axis at the weighted quantile gives contiguous, similarly
    sized groups of neighbouring areas, which is how IZs and wards look. Labels follow the
    bisection tree, so neighbouring groups get neighbouring numbers.
    """
    n = len(xy)
    if not 1 <= k <= n:
        raise ValueError(f"cannot split {n} points into {k} groups")
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    labels = np.empty(n, dtype=np.int64)

    def rec(idx: np.ndarray, k: int, start: int) -> None:
        if k == 1:
            labels[idx] = start
            return
        k1 = k // 2
        pts = xy[idx]
        axis = int(np.argmax(pts.max(axis=0) - pts.min(axis=0)))
        order = idx[np.argsort(pts[:, axis], kind="stable")]
        cum = np.cumsum(w[order])
        n1 = int(np.searchsorted(cum, cum[-1] * k1 / k)) + 1
        n1 = min(max(n1, k1), len(idx) - (k - k1))
        rec(order[:n1], k1, start)
        rec(order[n1:], k - k1, start + k1)

    rec(np.arange(n), k, 0)
    return labels


def _country(rng: np.random.Generator, size: float) -> shapely.Polygon:
    """A star-shaped, coastline-like polygon centred in Scotland's BNG extent."""
    theta = np.linspace(0.0, 2 * np.pi, 900, endpoint=False)
    ks = np.arange(2, 48)
    amp = rng.uniform(0.5, 1.0, size=ks.size) / ks**1.15
    phase = rng.uniform(0, 2 * np.pi, size=ks.size)
    p = (amp[:, None] * np.cos(ks[:, None] * theta[None, :] + phase[:, None])).sum(axis=0)
    p = (p - p.max()) / (p.max() - p.min()) * 0.5 + 0.1  # in [-0.4, 0.1]
    r = 1.0 + p
    x = 310_000 + 100_000 * size * r * np.cos(theta)
    y = 750_000 + 140_000 * size * r * np.sin(theta)
    return shapely.Polygon(np.column_stack([x, y]))


def _points_in(poly: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform random points inside ``poly`` (vectorised rejection sampling)."""
    x0, y0, x1, y1 = poly.bounds
    out: list[np.ndarray] = []
    got = 0
    shapely.prepare(poly)
    while got < n:
        m = max(64, 2 * (n - got))
        pts = rng.uniform([x0, y0], [x1, y1], size=(m, 2))
        pts = pts[shapely.contains_xy(poly, pts[:, 0], pts[:, 1])]
        out.append(pts)
        got += len(pts)
    return np.concatenate(out)[:n]


def _voronoi_cells(xy: np.ndarray, clip: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of ``xy`` (in input order) clipped to ``clip``: a tiling of ``clip``."""
    env = shapely.buffer(shapely.envelope(clip), 10_000.0)
    coll = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=env, ordered=True)
    cells = shapely.intersection(shapely.get_parts(coll), clip)
    return np.array([_polygonal(g) for g in cells], dtype=object)


def _polygonal(g: shapely.Geometry) -> shapely.Geometry:
    """The largest polygon of ``g`` (a cell cut by the coast keeps its main piece).

    Why: a Voronoi cell is convex, so any extra piece left by clipping touches the coast;
    dropping it leaves a notch in the coastline, never a hole between zones.
    """
    if shapely.get_type_id(g) == 3:
        return g
    parts = [p for p in shapely.get_parts(g) if shapely.get_type_id(p) == 3]
    return max(parts, key=lambda p: p.area) if parts else shapely.Polygon()


def _warp(xy: np.ndarray, rng: np.random.Generator, scale: float) -> np.ndarray:
    """A smooth random displacement of ``xy`` (wavy council boundaries, still contiguous)."""
    out = xy.copy()
    for axis in (0, 1):
        for _ in range(4):
            k = rng.normal(0, 1, size=2) / (scale * rng.uniform(0.6, 1.4))
            ph = rng.uniform(0, 2 * np.pi)
            out[:, axis] += 0.09 * scale * np.sin(xy @ k + ph)
    return out


def _councils(
    country: shapely.Polygon, spec: ScaleSpec, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Council polygons tiling the country, plus each council's seed and city flag."""
    n = len(spec.dz_per_council)
    aux = _points_in(country, 160 * n if n > 10 else 300 * n, rng)
    seeds = aux[rng.choice(len(aux), size=n, replace=False)].copy()
    for _ in range(20):  # Lloyd relaxation: councils of similar area
        lab = np.argmin(((aux[:, None, :] - seeds[None, :, :]) ** 2).sum(-1), axis=1)
        for i in range(n):
            if np.any(lab == i):
                seeds[i] = aux[lab == i].mean(axis=0)
    spacing = float(np.sqrt(country.area / n))
    centre = np.asarray(country.centroid.coords[0])
    # cities: interior councils (nearest the centre) other than the detailed one
    order = np.argsort(((seeds - centre) ** 2).sum(1), kind="stable")
    cities = [int(i) for i in order if i != spec.detailed][: spec.n_cities]
    weight = np.zeros(n)
    weight[cities] = -((0.75 * spacing) ** 2)
    cells = _voronoi_cells(aux, country)
    warped = _warp(aux, rng, spacing)
    cost = ((warped[:, None, :] - seeds[None, :, :]) ** 2).sum(-1) - weight[None, :]
    lab = np.argmin(cost, axis=1)
    for _ in range(6):  # keep each council in one piece
        moved = False
        polys = [shapely.coverage_union_all(cells[lab == i]) for i in range(n)]
        for i, poly in enumerate(polys):
            parts = shapely.get_parts(poly)
            if len(parts) <= 1:
                continue
            main = parts[np.argmax(shapely.area(parts))]
            stray = (lab == i) & ~shapely.intersects(main, shapely.point_on_surface(cells))
            if stray.any():
                c = cost[stray].copy()
                c[:, i] = np.inf
                lab[stray] = np.argmin(c, axis=1)
                moved = True
        if not moved:
            break
    polys = np.array([shapely.coverage_union_all(cells[lab == i]) for i in range(n)], dtype=object)
    is_city = np.zeros(n, dtype=bool)
    is_city[cities] = True
    return polys, seeds, is_city


def _council_unions(cells: np.ndarray, council: np.ndarray, n: int) -> np.ndarray:
    """Dissolve zones to councils; zones cut off from their council join a neighbour.

    Why: a council made of Voronoi cells can occasionally own a stray cell across the
    border, and a council should be one piece. ``council`` is updated in place.
    """
    for _ in range(10):
        polys = np.array(
            [shapely.coverage_union_all(cells[council == i]) for i in range(n)], dtype=object
        )
        moved = False
        for i in range(n):
            parts = shapely.get_parts(polys[i])
            if len(parts) <= 1:
                continue
            main = parts[np.argmax(shapely.area(parts))]
            for j in np.flatnonzero(council == i):
                if shapely.intersects(main, shapely.point_on_surface(cells[j])):
                    continue
                shared = shapely.length(shapely.intersection(cells[j], polys))
                shared[i] = -1.0
                council[j] = int(np.argmax(shared))
                moved = True
        if not moved:
            return polys
    return polys


@dataclass
class _Towns:
    xy: list[np.ndarray] = field(default_factory=list)
    sigma: list[float] = field(default_factory=list)
    size: list[int] = field(default_factory=list)
    council: list[int] = field(default_factory=list)


def _data_zone_points(
    council: shapely.Geometry,
    n_dz: int,
    is_city: bool,
    ci: int,
    towns: _Towns,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Seed points for a council's data zones (dense in towns) and each point's town."""
    n_towns = 1 + (min(int(rng.poisson(1.2)), 2) if is_city else min(int(rng.poisson(3.0)), 6))
    rural_share = rng.uniform(0.02, 0.08) if is_city else rng.uniform(0.18, 0.38)
    tw = np.exp(rng.normal(0, 1.1, size=n_towns))
    if is_city:
        tw[0] = tw.sum() * 3
    probs = np.concatenate([[rural_share], (1 - rural_share) * tw / tw.sum()])
    alloc = rng.multinomial(n_dz, probs)
    alloc[0] += n_dz - alloc.sum()
    inner = shapely.buffer(council, -2_000.0)
    if inner.is_empty or inner.area < 0.2 * council.area:
        inner = council
    centres = _points_in(inner, n_towns, rng)
    pts = [_points_in(council, int(alloc[0]), rng)] if alloc[0] else []
    town_of = [np.full(int(alloc[0]), -1)]
    shapely.prepare(council)
    for t in range(n_towns):
        m = int(alloc[t + 1])
        if m == 0:
            continue
        sigma = float(np.sqrt(m * 0.35e6 / (2 * np.pi)) * rng.uniform(0.8, 1.3))
        got: list[np.ndarray] = []
        need = m
        while need > 0:
            cand = centres[t] + rng.normal(0, sigma, size=(2 * need + 8, 2))
            cand = cand[shapely.contains_xy(council, cand[:, 0], cand[:, 1])][:need]
            got.append(cand)
            need -= len(cand)
        pts.append(np.concatenate(got))
        town_of.append(np.full(m, len(towns.xy)))
        towns.xy.append(centres[t])
        towns.sigma.append(sigma)
        towns.size.append(m)
        towns.council.append(ci)
    return np.concatenate(pts), np.concatenate(town_of)


def _urclass(xy: np.ndarray, town: np.ndarray, towns: _Towns) -> np.ndarray:
    """The 6-fold urban/rural class from each zone's town size and remoteness."""
    txy = np.asarray(towns.xy)
    tsize = np.asarray(towns.size)
    tsig = np.asarray(towns.sigma)
    big = tsize >= 14
    d_big = np.sqrt(((xy[:, None, :] - txy[None, big, :]) ** 2).sum(-1)).min(axis=1)
    remote = d_big > np.quantile(d_big, 0.88)  # the farthest 12 % from a town of 10,000+
    safe_town = np.maximum(town, 0)
    near = (town >= 0) & (np.sqrt(((xy - txy[safe_town]) ** 2).sum(-1)) <= 2.2 * tsig[safe_town])
    size = np.where(near, tsize[safe_town], 0)
    cls = np.where(remote, 6, 5)
    cls = np.where(size >= 4, np.where(remote, 4, 3), cls)
    cls = np.where(size >= 14, 2, cls)
    cls = np.where(size >= 100, 1, cls)
    return cls.astype(np.int64)


def _qualified(used: set[str], base: str, start: int = 0) -> str:
    """``"<base> <qualifier>"`` with the first qualifier (from ``start``) not yet in ``used``."""
    n = len(QUALIFIERS)
    for j in range(n):
        name = f"{base} {QUALIFIERS[(start + j) % n]}"
        if name not in used:
            used.add(name)
            return name
    return _unique(used, base)


def _unique(used: set[str], name: str) -> str:
    """``name``, or ``name`` with a number, whichever is not yet in ``used``."""
    candidate, k = name, 2
    while candidate in used:
        candidate = f"{name} {k}"
        k += 1
    used.add(candidate)
    return candidate


def _direction(dx: float, dy: float) -> int:
    """Index into QUALIFIERS of the compass direction of (dx, dy)."""
    if abs(dx) > abs(dy):
        return 2 if dx > 0 else 3
    return 0 if dy > 0 else 1


def build_geography(scale: str, seed: int) -> Geography:
    """Build the whole demo geography for ``scale`` from ``seed`` (deterministic)."""
    rng = np.random.default_rng([seed, 1])
    spec = scale_spec(scale, rng)
    names = NameBank(np.random.default_rng([seed, 2]))
    country = _country(rng, spec.size)
    council_poly, _seeds, is_city = _councils(country, spec, rng)
    n_c = len(council_poly)
    # the biggest data-zone counts go to the cities (compact and dense)
    counts = np.array(spec.dz_per_council)
    rest = [i for i in range(n_c) if i != spec.detailed]
    ranked = sorted(rest, key=lambda i: (-counts[i], i))
    city_idx = [i for i in rest if is_city[i]]
    other_idx = [i for i in rest if not is_city[i]]
    assigned = counts.copy()
    for i, c in zip(city_idx + other_idx, ranked, strict=True):
        assigned[i] = counts[c]
    counts = assigned

    towns = _Towns()
    xy_parts, town_parts, council_parts = [], [], []
    for ci in range(n_c):
        pts, town_of = _data_zone_points(
            council_poly[ci], int(counts[ci]), bool(is_city[ci]), ci, towns, rng
        )
        xy_parts.append(pts)
        town_parts.append(town_of)
        council_parts.append(np.full(len(pts), ci))
    seed_xy = np.concatenate(xy_parts)
    dz_town = np.concatenate(town_parts)
    dz_council_raw = np.concatenate(council_parts)
    # one Voronoi diagram for the whole country: neighbouring zones share exact edges, and
    # councils become unions of whole data zones (as in reality)
    dz_geom_raw = _voronoi_cells(seed_xy, country)
    council_poly = _council_unions(dz_geom_raw, dz_council_raw, n_c)
    counts = np.bincount(dz_council_raw, minlength=n_c)
    cent = shapely.point_on_surface(dz_geom_raw)
    dz_xy_raw = np.column_stack([shapely.get_x(cent), shapely.get_y(cent)])

    # council names and codes: codes follow the alphabetical order of names (as in reality)
    cnames = [""] * n_c
    cnames[spec.detailed] = names.featured()  # the detailed council is "Glen Tannoch"
    for i in rest:
        cnames[i] = names.featured()
    corder = sorted(range(n_c), key=lambda i: cnames[i])
    crank = np.empty(n_c, dtype=np.int64)
    crank[corder] = np.arange(n_c)

    # intermediate zones and wards per council, codes in council-code order
    if spec.n_iz_total is None:
        n_iz = np.maximum(1, np.round(counts / 5.45)).astype(np.int64)
    else:
        n_iz = np.maximum(1, _largest_remainder(counts * spec.n_iz_total / counts.sum()))
    if spec.wards_rule == "demo":
        n_ward = np.clip(np.round(counts / 14), 8, 12).astype(np.int64)
    else:
        n_ward = np.clip(np.round(3 + counts * 0.0371), 3, 23).astype(np.int64)

    order_parts, iz_parts, ward_parts = [], [], []
    iz_council: list[int] = []
    iz_off = ward_off = 0
    for ci in corder:
        idx = np.flatnonzero(dz_council_raw == ci)
        iz_lab = rcb(dz_xy_raw[idx], int(n_iz[ci]))
        ward_lab = rcb(dz_xy_raw[idx], int(n_ward[ci]))
        o = np.lexsort((np.arange(len(idx)), iz_lab))
        order_parts.append(idx[o])
        iz_parts.append(iz_lab[o] + iz_off)
        ward_parts.append(ward_lab[o] + ward_off)
        iz_council += [int(crank[ci])] * int(n_iz[ci])
        iz_off += int(n_iz[ci])
        ward_off += int(n_ward[ci])
    perm = np.concatenate(order_parts)
    dz_iz = np.concatenate(iz_parts)
    dz_ward = np.concatenate(ward_parts)
    dz_xy = dz_xy_raw[perm]
    dz_town = dz_town[perm]
    dz_geom = dz_geom_raw[perm]
    dz_council = crank[dz_council_raw[perm]]
    seed_xy = seed_xy[perm]
    n_dz = len(perm)

    # re-index councils by code order
    council_poly = council_poly[corder]
    cnames_sorted = np.array([cnames[i] for i in corder], dtype=object)
    detailed = int(crank[spec.detailed])
    town_council = crank[np.asarray(towns.council)]
    towns.council = list(town_council)

    # town names (each town inside one council), then IZ names from towns or villages
    town_name = [names.take() for _ in towns.xy]
    txy = np.asarray(towns.xy)
    tsig = np.asarray(towns.sigma)
    n_iz_all = iz_off
    iz_xy = np.zeros((n_iz_all, 2))
    np.add.at(iz_xy, dz_iz, dz_xy)
    iz_xy /= np.bincount(dz_iz, minlength=n_iz_all)[:, None]
    iz_town = np.full(n_iz_all, -1)
    for j in range(n_iz_all):
        mask = town_council == iz_council[j]
        if mask.any():
            cand = np.flatnonzero(mask)
            d = np.sqrt(((txy[cand] - iz_xy[j]) ** 2).sum(1)) / tsig[cand]
            if d.min() <= 2.5:
                iz_town[j] = cand[np.argmin(d)]
    iz_name = np.empty(n_iz_all, dtype=object)
    iz_used: set[str] = set()
    for t in range(len(town_name)):
        members = np.flatnonzero(iz_town == t)
        if len(members) == 1:
            iz_name[members[0]] = _unique(iz_used, town_name[t])
        if len(members) <= 1:
            continue
        dist = np.sqrt(((iz_xy[members] - txy[t]) ** 2).sum(1))
        for rank, j in enumerate(members[np.argsort(dist, kind="stable")]):
            if rank == 0:
                iz_name[j] = _unique(iz_used, f"{town_name[t]} Central")
            elif rank <= 4 or rank % 3 == 0:
                dx, dy = iz_xy[j] - txy[t]
                iz_name[j] = _qualified(iz_used, town_name[t], _direction(dx, dy))
            else:  # a named district of a larger town
                iz_name[j] = _unique(iz_used, names.take())
    for j in np.flatnonzero(iz_town < 0):
        iz_name[j] = _unique(iz_used, names.take())
    iz_base = np.array(
        [town_name[iz_town[j]] if iz_town[j] >= 0 else iz_name[j] for j in range(n_iz_all)],
        dtype=object,
    )

    # ward names: the main IZ's name, or "A and B" when a ward spans two places
    n_ward_all = ward_off
    ward_name = np.empty(n_ward_all, dtype=object)
    ward_used: set[str] = set()
    for w in range(n_ward_all):
        member_iz = dz_iz[dz_ward == w]
        bases, freq = np.unique(iz_base[member_iz], return_counts=True)
        top = bases[np.argsort(-freq, kind="stable")]
        if len(top) > 1 and freq.max() < 0.7 * freq.sum():
            ward_name[w] = _unique(ward_used, f"{top[0]} and {top[1]}")
            continue
        izs, zfreq = np.unique(member_iz, return_counts=True)
        for j in izs[np.argsort(-zfreq, kind="stable")]:
            if iz_name[j] not in ward_used:
                ward_name[w] = _unique(ward_used, str(iz_name[j]))
                break
        else:
            wxy = dz_xy[dz_ward == w].mean(0)
            tw = [i for i in range(len(town_name)) if town_name[i] == top[0]]
            dx, dy = (wxy - txy[tw[0]]) if tw else (0.0, 1.0)
            ward_name[w] = _qualified(ward_used, str(top[0]), _direction(dx, dy))

    # Scottish Parliament constituencies: national bisection (they cross council borders)
    dz_spc = rcb(dz_xy, min(spec.n_spc, n_dz))
    spc_name = np.empty(int(dz_spc.max()) + 1, dtype=object)
    spc_used: set[str] = set()
    for s in range(len(spc_name)):
        cs, freq = np.unique(dz_council[dz_spc == s], return_counts=True)
        top = cs[np.argsort(-freq, kind="stable")]
        if len(top) == 1 or freq.max() >= 0.75 * freq.sum():
            sxy = dz_xy[dz_spc == s].mean(0)
            cxy = np.asarray(council_poly[top[0]].centroid.coords[0])
            dx, dy = sxy - cxy
            spc_name[s] = _qualified(spc_used, str(cnames_sorted[top[0]]), _direction(dx, dy))
        else:
            pair = f"{cnames_sorted[top[0]]} and {cnames_sorted[top[1]]}"
            spc_name[s] = _unique(spc_used, pair)

    # health boards: groups of neighbouring councils
    ccent = shapely.centroid(council_poly)
    cxy = np.column_stack([shapely.get_x(ccent), shapely.get_y(ccent)])
    council_hb = rcb(cxy, spec.n_health_boards)
    hb_name = np.array([names.take() for _ in range(spec.n_health_boards)], dtype=object)

    # HSCPs: one per council except one pair of small neighbouring councils in one board
    best: tuple[int, int, int] | None = None
    for a in range(n_c):
        for b in range(a + 1, n_c):
            if council_hb[a] != council_hb[b] or detailed in (a, b):
                continue
            shared = shapely.length(shapely.intersection(council_poly[a], council_poly[b]))
            if shared <= 0:
                continue
            size = int(counts[corder[a]] + counts[corder[b]])
            if best is None or size < best[0]:
                best = (size, a, b)
    council_hscp = np.arange(n_c)
    hscp_names = list(cnames_sorted)
    if best is not None:
        _, a, b = best
        council_hscp[b] = council_hscp[a]
        council_hscp[council_hscp > b] -= 1
        hscp_names[a] = f"{cnames_sorted[a]} and {cnames_sorted[b]}"
        del hscp_names[b]

    geo = Geography(
        dz_code=_codes("dz", n_dz),
        dz_name=np.array(
            [f"{iz_name[dz_iz[i]]} - {k:02d}" for i, k in enumerate(_rank_within(dz_iz))],
            dtype=object,
        ),
        dz_geom=dz_geom,
        dz_xy=dz_xy,
        dz_council=dz_council,
        dz_iz=dz_iz,
        dz_ward=dz_ward,
        dz_spc=dz_spc,
        dz_urclass=_urclass(seed_xy, dz_town, towns),
        dz_town=dz_town,
        iz_code=_codes("iz", n_iz_all),
        iz_name=iz_name,
        iz_council=np.asarray(iz_council),
        ward_code=_codes("ward", n_ward_all),
        ward_name=ward_name,
        council_code=_codes("council", n_c),
        council_name=cnames_sorted,
        council_hb=council_hb,
        council_hscp=council_hscp,
        council_geom=council_poly,
        hb_code=_codes("hb", spec.n_health_boards),
        hb_name=hb_name,
        hscp_code=_codes("hscp", len(hscp_names)),
        hscp_name=np.array(hscp_names, dtype=object),
        spc_code=_codes("spc", len(spc_name)),
        spc_name=spc_name,
        town_xy=txy,
        town_sigma=tsig,
        town_size=np.asarray(towns.size),
        detailed=detailed,
    )
    _localities(geo, iz_xy, iz_base)
    return geo


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """1-based position of each element within its (contiguous, sorted) group."""
    start = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    first = np.repeat(start, np.diff(np.r_[start, len(groups)]))
    return np.arange(len(groups)) - first + 1


def _localities(geo: Geography, iz_xy: np.ndarray, iz_base: np.ndarray) -> None:
    """Four localities (groups of IZs) in the detailed council, named after their towns."""
    izs = np.flatnonzero(geo.iz_council == geo.detailed)
    k = min(4, len(izs))
    weights = np.bincount(geo.dz_iz, minlength=len(geo.iz_code))[izs]
    lab = rcb(iz_xy[izs], k, weights)
    centre = iz_xy[izs].mean(0)
    codes = _codes("locality", k)
    tops = []
    for j in range(k):
        bases, freq = np.unique(iz_base[izs[lab == j]], return_counts=True)
        tops.append(str(bases[np.argsort(-freq, kind="stable")][0]))
    used: set[str] = set()
    for j in range(k):
        members = izs[lab == j]
        dx, dy = iz_xy[members].mean(0) - centre
        if tops.count(tops[j]) == 1:
            name = _unique(used, tops[j])
        else:
            name = _qualified(used, tops[j], _direction(dx, dy))
        geo.locality_code.append(str(codes[j]))
        geo.locality_name.append(name)
        geo.locality_iz.append(members)
