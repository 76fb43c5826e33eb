"""A deprivation surface for the demo country and its SIMD 2020v2 and SIMD16 look-up files.

Why: every indicator's level depends on deprivation, and the ETL reads the area lookup from
the SIMD file, so one spatially plausible score (a smooth regional field, deprived and
affluent sides of each town, clustered by intermediate zone) drives ranks, domain ranks and
later the indicator rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from etl.demo.geography import UR_NAMES, Geography
from etl.demo.writers import write_plain_csv

#: The SIMD 2020v2 look-up columns, as published, plus the optional HSCP pair.
SIMD2020_COLUMNS: tuple[str, ...] = (
    "DZ", "DZname", "SIMD2020v2_Rank", "SIMD2020v2_Vigintile", "SIMD2020v2_Decile",
    "SIMD2020v2_Quintile", "SIMD2020v2_Income_Domain_Rank", "SIMD2020_Employment_Domain_Rank",
    "SIMD2020_Education_Domain_Rank", "SIMD2020_Health_Domain_Rank",
    "SIMD2020_Access_Domain_Rank", "SIMD2020_Crime_Domain_Rank", "SIMD2020_Housing_Domain_Rank",
    "Population", "Working_Age_Population", "URclass", "URname", "IZcode", "IZname", "LAcode",
    "LAname", "HBcode", "HBname", "MMWcode", "MMWname", "SPCcode", "SPCname",
    "HSCPcode", "HSCPname",
)  # fmt: skip

#: The SIMD16 look-up columns, as published (employment before income).
SIMD16_COLUMNS: tuple[str, ...] = (
    "DZ", "DZname", "SIMD16_Rank", "SIMD16_Vigintile", "SIMD16_Decile", "SIMD16_Quintile",
    "SIMD16_Employment_Domain_Rank", "SIMD16_Income_Domain_Rank",
    "SIMD16_Education_Domain_Rank", "SIMD16_Health_Domain_Rank", "SIMD16_Access_Domain_Rank",
    "SIMD16_Crime_Domain_Rank", "SIMD16_Housing_Domain_Rank", "Population",
    "Working_Age_Population_revised", "URclass", "URname", "IZcode", "IZname", "LAcode",
    "LAname", "HBcode", "HBname", "MMWcode", "MMWname", "SPCcode", "SPCname",
)  # fmt: skip

DOMAINS: tuple[str, ...] = (
    "Income",
    "Employment",
    "Education",
    "Health",
    "Access",
    "Crime",
    "Housing",
)
# correlation of each domain score with the overall score; rounding step (ties, as published)
_DOMAIN_RHO = {"Income": 0.95, "Employment": 0.93, "Education": 0.85, "Health": 0.88,
               "Access": 0.25, "Crime": 0.65, "Housing": 0.6}  # fmt: skip
_DOMAIN_TIES = {"Income": 0.02, "Employment": 0.02, "Crime": 0.05, "Housing": 0.05}


@dataclass
class Deprivation:
    """Scores and ranks of both SIMD editions; ``dep`` is 1 for the most deprived zone, 0 least."""

    score: np.ndarray
    rank20: np.ndarray
    domains20: dict[str, np.ndarray]
    rank16: np.ndarray
    domains16: dict[str, np.ndarray]
    dep: np.ndarray


def _rank_desc(score: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score; ties broken by order (overall ranks are never tied)."""
    r = np.empty(len(score), dtype=np.int64)
    r[np.argsort(-score, kind="stable")] = np.arange(1, len(score) + 1)
    return r


def _domain_ranks(
    z: np.ndarray, rural: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Seven domain ranks correlated with the overall score (access: mostly rurality)."""
    out: dict[str, np.ndarray] = {}
    for d in DOMAINS:
        rho = _DOMAIN_RHO[d]
        s = rho * z + np.sqrt(1 - rho**2) * rng.normal(size=len(z))
        if d == "Access":
            s = s + 1.2 * rural
        step = _DOMAIN_TIES.get(d)
        if step:
            s = np.round(s / step) * step
        out[d] = pd.Series(-s).rank(method="average").to_numpy()
    return out


def build_deprivation(geo: Geography, seed: int) -> Deprivation:
    """The latent deprivation score of every data zone and both editions' ranks."""
    rng = np.random.default_rng([seed, 3])
    xy = geo.dz_xy / 1000.0
    n = len(xy)
    smooth = np.zeros(n)
    for _ in range(6):
        k = rng.normal(size=2) * 2 * np.pi / rng.uniform(60, 160)
        smooth += np.sin(xy @ k + rng.uniform(0, 2 * np.pi))
    smooth = (smooth - smooth.mean()) / smooth.std()

    urban = np.zeros(n)
    has_town = geo.dz_town >= 0
    t = geo.dz_town[has_town]
    n_town = len(geo.town_sigma)
    m = rng.integers(1, 3, size=n_town)
    phase = rng.uniform(0, 2 * np.pi, size=n_town)
    strength = np.minimum(1.0, np.log1p(geo.town_size) / np.log(200.0))
    d = geo.dz_xy[has_town] - geo.town_xy[t]
    r = np.sqrt((d**2).sum(1)) / geo.town_sigma[t]
    theta = np.arctan2(d[:, 1], d[:, 0])
    urban[has_town] = strength[t] * (
        0.6 * np.exp(-((r / 0.8) ** 2)) + 1.0 * np.cos(m[t] * theta + phase[t]) * np.minimum(r, 1.5)
    )
    rural = (geo.dz_urclass >= 5).astype(float)
    iz_effect = rng.normal(0, 0.55, size=len(geo.iz_code))[geo.dz_iz]
    council_effect = rng.normal(0, 0.2, size=len(geo.council_code))[geo.dz_council]
    score = (
        0.4 * smooth + urban - 0.6 * rural + iz_effect + council_effect
        + rng.normal(0, 0.45, size=n)
    )  # fmt: skip
    z = (score - score.mean()) / score.std()
    rank20 = _rank_desc(z)
    domains20 = _domain_ranks(z, rural, rng)
    z16 = 0.97 * z + np.sqrt(1 - 0.97**2) * rng.normal(size=n)
    rank16 = _rank_desc(z16)
    domains16 = _domain_ranks(z16, rural, rng)
    dep = 1.0 - (rank20 - 1) / max(n - 1, 1)
    return Deprivation(z, rank20, domains20, rank16, domains16, dep)


def bands(rank: np.ndarray, k: int) -> np.ndarray:
    """National k-tiles of a rank (1 = most deprived band)."""
    n = len(rank)
    return (rank - 1) * k // n + 1


def _fmt_rank(r: np.ndarray) -> list[str]:
    """Ranks as published: integers, or ``x.5`` for tied ranks."""
    return [str(int(v)) if v == int(v) else f"{v:.1f}" for v in r]


def _lookup_columns(geo: Geography, suffix_ward: str, suffix_spc: str) -> dict[str, list[str]]:
    """The geography columns shared by both editions."""
    ur = geo.dz_urclass
    c = geo.dz_council
    return {
        "URclass": [str(v) for v in ur],
        "URname": [UR_NAMES[int(v)] for v in ur],
        "IZcode": list(geo.iz_code[geo.dz_iz]),
        "IZname": list(geo.iz_name[geo.dz_iz]),
        "LAcode": list(geo.council_code[c]),
        "LAname": list(geo.council_name[c]),
        "HBcode": list(geo.hb_code[geo.council_hb[c]]),
        "HBname": list(geo.hb_name[geo.council_hb[c]]),
        "MMWcode": list(geo.ward_code[geo.dz_ward]),
        "MMWname": [n + suffix_ward for n in geo.ward_name[geo.dz_ward]],
        "SPCcode": list(geo.spc_code[geo.dz_spc]),
        "SPCname": [n + suffix_spc for n in geo.spc_name[geo.dz_spc]],
    }


def write_simd(
    raw_dir: Path,
    geo: Geography,
    dep: Deprivation,
    pop_total: dict[int, np.ndarray],
    pop_working: dict[int, np.ndarray],
) -> list[Path]:
    """Write the SIMD 2020v2 (with HSCP columns) and SIMD16 look-up CSVs."""
    n = len(geo.dz_code)
    common = _lookup_columns(geo, "", "")
    cols20: dict[str, list[str]] = {
        "DZ": list(geo.dz_code),
        "DZname": list(geo.dz_name),
        "SIMD2020v2_Rank": [str(v) for v in dep.rank20],
        "SIMD2020v2_Vigintile": [str(v) for v in bands(dep.rank20, 20)],
        "SIMD2020v2_Decile": [str(v) for v in bands(dep.rank20, 10)],
        "SIMD2020v2_Quintile": [str(v) for v in bands(dep.rank20, 5)],
    }
    for d in DOMAINS:
        prefix = "SIMD2020v2" if d == "Income" else "SIMD2020"
        cols20[f"{prefix}_{d}_Domain_Rank"] = _fmt_rank(dep.domains20[d])
    cols20["Population"] = [str(v) for v in pop_total[2017]]
    cols20["Working_Age_Population"] = [str(v) for v in pop_working[2017]]
    cols20.update(common)
    hscp = geo.council_hscp[geo.dz_council]
    cols20["HSCPcode"] = list(geo.hscp_code[hscp])
    cols20["HSCPname"] = list(geo.hscp_name[hscp])
    assert tuple(cols20) == SIMD2020_COLUMNS

    common16 = _lookup_columns(geo, " Ward", " P Const")
    cols16: dict[str, list[str]] = {
        "DZ": list(geo.dz_code),
        "DZname": list(geo.dz_name),
        "SIMD16_Rank": [str(v) for v in dep.rank16],
        "SIMD16_Vigintile": [str(v) for v in bands(dep.rank16, 20)],
        "SIMD16_Decile": [str(v) for v in bands(dep.rank16, 10)],
        "SIMD16_Quintile": [str(v) for v in bands(dep.rank16, 5)],
    }
    for d in ("Employment", "Income", *DOMAINS[2:]):
        cols16[f"SIMD16_{d}_Domain_Rank"] = _fmt_rank(dep.domains16[d])
    cols16["Population"] = [str(v) for v in pop_total[2014]]
    cols16["Working_Age_Population_revised"] = [str(v) for v in pop_working[2014]]
    cols16.update(common16)
    assert tuple(cols16) == SIMD16_COLUMNS

    p20 = raw_dir / "simd" / "2020v2" / "SIMD2020v2_DZ_lookup_data.csv"
    p16 = raw_dir / "simd" / "2016" / "SIMD16_DZ_lookup_data.csv"
    for path, cols in ((p20, cols20), (p16, cols16)):
        rows = [[cols[k][i] for k in cols] for i in range(n)]
        write_plain_csv(path, list(cols), rows)
    return [p20, p16]
