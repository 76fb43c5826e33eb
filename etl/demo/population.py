"""Small-area population estimates by sex and single year of age, 2011-2024.

Why: the ETL takes every population denominator from these files, so they must be internally
consistent (All = Female + Male, total = sum of ages) and believable: a cohort model ages each
data zone's residents a year at a time, with births, deaths and migration, deprived areas
younger, births falling and the population ageing, totals kept within 500-1,000.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from etl.demo.writers import categorical, write_csv

YEARS: tuple[int, ...] = tuple(range(2011, 2025))
N_AGES = 91  # 0..89 and 90+
AGE_LABELS: tuple[str, ...] = (*(str(a) for a in range(90)), "90+")
_AGE = np.arange(N_AGES, dtype=float)


def _profile(dep: np.ndarray, urban: np.ndarray, female: bool, t: float) -> np.ndarray:
    """Expected age shares (rows sum to 1) for each zone in year ``2011 + t``."""
    a = _AGE[None, :]
    d = (dep - 0.5)[:, None]
    u = urban[:, None]
    life = (85.0 if female else 81.0) - 5.0 * d
    tail = np.arange(90, 106, dtype=float)[None, :]
    surv = np.exp(-((a / life) ** 9.0))
    surv[:, 90] = np.exp(-((tail / life) ** 9.0)).sum(axis=1)
    boom = 1 + 0.22 * np.exp(-(((a - (49 + t)) / 9.0) ** 2))
    young = np.exp(0.7 * d * (45 - a) / 45)
    adults = (
        1
        + 0.6 * u * np.exp(-(((a - 25) / 6.0) ** 2))
        - 0.3 * (1 - u) * np.exp(-(((a - 23) / 5.0) ** 2))
    )
    ageing = np.exp(0.012 * t * (a - 40) / 40)
    w = surv * boom * young * adults * ageing
    return w / w.sum(axis=1, keepdims=True)


def build_population(dep: np.ndarray, urclass: np.ndarray, seed: int) -> np.ndarray:
    """Population counts ``[year, zone, sex (0 female, 1 male), age]`` for 2011-2024 (int32)."""
    rng = np.random.default_rng([seed, 4])
    n = len(dep)
    urban = np.select([urclass <= 2, urclass <= 4], [1.0, 0.5], 0.0)
    out = np.zeros((len(YEARS), n, 2, N_AGES), dtype=np.int32)
    total = rng.uniform(560, 940, size=n)
    growth = rng.normal(0.002, 0.008, size=n)
    female_share = np.clip(rng.normal(0.512, 0.012, size=n), 0.47, 0.55)

    # mortality plus out-migration per year, by age (deprived areas die younger)
    q = 0.000012 * np.exp(0.1 * _AGE)[None, :] * (1 + 0.8 * dep[:, None])
    q[:, 0] += 0.003
    q[:, 90] = 0.19 * (1 + 0.5 * dep)
    move = 0.025 + 0.10 * np.exp(-(((_AGE - 23) / 7.0) ** 2)) + 0.02 * urban[:, None]
    leave = np.clip(q + move, 0, 0.95)
    move_w = 1 + 1.2 * np.exp(-(((_AGE - 27) / 8.0) ** 2))

    for yi, _year in enumerate(YEARS):
        t = float(yi)
        targets = np.rint(total).astype(np.int64)
        n_f = np.rint(targets * female_share).astype(np.int64)
        n_by_sex = (n_f, targets - n_f)
        for s, female in enumerate((True, False)):
            prof = _profile(dep, urban, female, t)
            if yi == 0:
                out[yi, :, s] = rng.multinomial(n_by_sex[s], prof)
                continue
            prev = out[yi - 1, :, s].astype(np.int64)
            aged = np.zeros_like(prev)
            aged[:, 1:90] = prev[:, 0:89]
            aged[:, 90] = prev[:, 89] + prev[:, 90]
            stay = aged - rng.binomial(aged, leave)
            mothers = out[yi - 1, :, 0, 18:45].sum(axis=1)
            fert = 0.066 * (1 + 0.35 * (dep - 0.5)) * (1 - 0.016 * t) / 2
            stay[:, 0] = rng.poisson(mothers * fert)
            need = n_by_sex[s] - stay.sum(axis=1)
            short = need < 0
            if short.any():  # too many stayed: thin the surplus away
                p = np.clip(-need[short] / stay[short].sum(axis=1), 0, 1)
                stay[short] -= rng.binomial(stay[short], p[:, None])
                need = n_by_sex[s] - stay.sum(axis=1)
            inflow = prof * move_w[None, :]
            inflow /= inflow.sum(axis=1, keepdims=True)
            stay += rng.multinomial(np.maximum(need, 0), inflow)
            out[yi, :, s] = stay
        total = np.clip(total * np.exp(growth + rng.normal(0, 0.006, size=n)), 520, 980)
    return out


def write_sape(raw_dir: Path, codes: np.ndarray, pop: np.ndarray) -> list[Path]:
    """Write one ``sape{YEAR}_dz2011_sex_single_year_age.csv`` per year (NRS/PHS layout)."""
    n = len(codes)
    folder = raw_dir / "nrs_sape" / "2025-06"
    paths = []
    code_col = categorical(list(codes), np.repeat(np.arange(n), 3))
    sex_col = categorical(["All", "Female", "Male"], np.tile(np.arange(3), n))
    for yi, year in enumerate(YEARS):
        f = pop[yi, :, 0].astype(np.int64)
        m = pop[yi, :, 1].astype(np.int64)
        block = np.stack([f + m, f, m], axis=1).reshape(3 * n, N_AGES)
        cols: dict[str, pa.Array | np.ndarray] = {
            "dz11_code": code_col,
            "total_population": block.sum(axis=1),
            "sex": sex_col,
        }
        for j, label in enumerate(AGE_LABELS):
            cols[label] = block[:, j]
        path = folder / f"sape{year}_dz2011_sex_single_year_age.csv"
        write_csv(path, cols, quote=True)
        paths.append(path)
    return paths
