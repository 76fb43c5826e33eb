"""Indicator series in statistics.gov.scot's tidy CSV layout, each with a trend story.

Why: the dashboard's trend, gap and significance machinery needs data whose answer is known,
so every series draws its counts (binomial or Poisson, sometimes over-dispersed) around an
expected rate that moves between stated start and end levels for the least and most deprived
zones. ``DATASET_STORIES`` records what each series should show, for tests and docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from etl.demo.geography import Geography
from etl.demo.population import YEARS
from etl.demo.writers import categorical, write_csv

SCOTLAND = "S92000003"
RELEASE = "2025-09"
OLD_RELEASE = "2024-09"

#: What each dataset is built to show. ``trend``: the overall direction over 2011-2024 (by
#: the indicator's polarity); ``gap``: between the most and least deprived quintiles, in both
#: absolute (Q1 - Q5) and relative (Q1 / Q5) terms; ``polarity``: which direction is better.
DATASET_STORIES: dict[str, dict[str, str]] = {
    "income-deprivation": {"trend": "improving", "gap": "narrowing", "polarity": "lower"},
    "median-earnings": {"trend": "improving", "gap": "not applicable", "polarity": "higher"},
    "out-of-work-benefits": {"trend": "improving", "gap": "narrowing", "polarity": "lower"},
    "employment-deprivation": {"trend": "worsening", "gap": "widening", "polarity": "lower"},
    "child-poverty": {"trend": "worsening", "gap": "widening", "polarity": "lower"},
    "birthweight": {"trend": "flat", "gap": "stable", "polarity": "higher"},
    "recorded-crime": {"trend": "improving", "gap": "narrowing", "polarity": "lower"},
    "dwelling-fires": {"trend": "improving", "gap": "narrowing", "polarity": "lower"},
    "deaths-under-75": {"trend": "improving", "gap": "widening", "polarity": "lower"},
    "unplanned-attendances": {"trend": "worsening", "gap": "widening", "polarity": "lower"},
    "emergency-admissions": {"trend": "worsening", "gap": "narrowing", "polarity": "lower"},
    "unplanned-bed-days": {"trend": "improving", "gap": "narrowing", "polarity": "lower"},
    "school-leaver-attainment": {"trend": "improving", "gap": "narrowing", "polarity": "higher"},
    "positive-destinations": {"trend": "improving", "gap": "narrowing", "polarity": "higher"},
}

#: Five-year age bands of deaths-under-75 and their relative death rates (per 100,000).
AGE_BANDS: tuple[str, ...] = tuple(f"{a}-{a + 4}" for a in range(0, 75, 5))
_BAND_RATE = np.array(
    [80, 10, 12, 35, 60, 75, 95, 130, 180, 260, 380, 580, 900, 1350, 2100], dtype=float
)

#: Year with no dwelling-fires rows at all (a missing year).
FIRES_MISSING_YEAR = 2016
#: The child-poverty year revised between the 2024-09 and 2025-09 releases.
REVISED_YEAR = 2021


def fin_year(y: int) -> str:
    """A financial or school year as statistics.gov.scot writes it: ``2019/2020``."""
    return f"{y}/{y + 1}"


def _path(d: Path, stem: str) -> Path:
    """Return the path of dataset ``stem`` in release folder ``d``."""
    return d / f"{stem}.csv"


@dataclass
class _Level:
    """Expected rate for the least (dep 0) and most (dep 1) deprived zones, first/last year."""

    start: tuple[float, float]
    end: tuple[float, float]
    shocks: dict[int, float] = field(default_factory=dict)  # year -> multiplier (e.g. 2020)

    def at(self, dep: np.ndarray, years: list[int]) -> np.ndarray:
        """Rates ``[year, zone]``, log-linear in deprivation and time."""
        tau = (np.asarray(years, dtype=float) - YEARS[0]) / (YEARS[-1] - YEARS[0])
        lo = (1 - tau) * np.log(self.start[0]) + tau * np.log(self.end[0])
        hi = (1 - tau) * np.log(self.start[1]) + tau * np.log(self.end[1])
        r = np.exp(lo[:, None] * (1 - dep[None, :]) + hi[:, None] * dep[None, :])
        shock = np.array([self.shocks.get(y, 1.0) for y in years])
        return r * shock[:, None]


class _Context:
    """Shared inputs (geography, deprivation, population) and a seeded generator."""

    def __init__(self, geo: Geography, dep: np.ndarray, pop: np.ndarray, seed: int) -> None:
        self.geo = geo
        self.dep = dep
        self.pop_all = pop.sum(axis=2)  # [year, zone, age]
        self.pop = pop
        self.rng = np.random.default_rng([seed, 5])
        self.n = len(dep)

    def ages(self, lo: int, hi: int | None) -> np.ndarray:
        """Population ``[year, zone]`` aged ``lo``..``hi`` (``hi`` None = all older ages)."""
        stop = self.pop_all.shape[2] if hi is None else hi + 1
        return self.pop_all[:, :, lo:stop].sum(axis=2).astype(np.int64)

    def noise(self, years: list[int], sd_zone: float, sd_year: float = 0.05) -> np.ndarray:
        """Multiplicative zone, council and year-to-year variation ``[year, zone]``."""
        rng = self.rng
        nc = len(self.geo.council_code)
        tau = (np.asarray(years, dtype=float) - YEARS[0]) / (YEARS[-1] - YEARS[0])
        council = rng.normal(0, 0.08, size=nc)[self.geo.dz_council]
        drift = rng.normal(0, 0.04, size=nc)[self.geo.dz_council]
        zone = rng.normal(0, sd_zone, size=self.n)
        yearly = rng.normal(0, sd_year, size=(len(years), self.n))
        return np.exp(zone[None, :] + council[None, :] + drift[None, :] * tau[:, None] + yearly)

    def year_index(self, years: list[int]) -> np.ndarray:
        """Row of each year in the population array."""
        return np.asarray(years) - YEARS[0]


def _tidy(
    features: np.ndarray,
    dates: list[str],
    values: np.ndarray,
    measurement: str,
    units: str,
    dim: tuple[str, list[str]] | None = None,
) -> dict[str, pa.Array | np.ndarray]:
    """Tidy columns for ``values[date, feature(, dim)]`` (date-major row order)."""
    nd, nf = values.shape[:2]
    nk = values.shape[2] if values.ndim == 3 else 1
    rows = nd * nf * nk
    cols: dict[str, pa.Array | np.ndarray] = {
        "FeatureCode": categorical(list(features), np.tile(np.repeat(np.arange(nf), nk), nd)),
        "DateCode": categorical(dates, np.repeat(np.arange(nd), nf * nk)),
        "Measurement": categorical([measurement], np.zeros(rows, dtype=np.int32)),
        "Units": categorical([units], np.zeros(rows, dtype=np.int32)),
        "Value": values.reshape(rows),
    }
    if dim is not None:
        cols[dim[0]] = categorical(dim[1], np.tile(np.arange(nk), nd * nf))
    return cols


def _concat(parts: list[dict[str, pa.Array | np.ndarray]]) -> dict[str, pa.Array]:
    """Stack tidy column sets with the same columns (for multi-measurement files)."""
    out: dict[str, pa.Array] = {}
    for k in parts[0]:
        arrs = [p[k] if isinstance(p[k], pa.Array) else pa.array(p[k]) for p in parts]
        if pa.types.is_dictionary(arrs[0].type):
            arrs = [a.dictionary_decode() for a in arrs]
        out[k] = pa.concat_arrays(arrs)
    return out


def _binomial_series(
    ctx: _Context, n: np.ndarray, level: _Level, years: list[int], sd_zone: float
) -> np.ndarray:
    """Counts ~ Binomial(n, p) with p from ``level`` and zone/council/year noise."""
    p = np.clip(level.at(ctx.dep, years) * ctx.noise(years, sd_zone), 0.0, 0.95)
    return ctx.rng.binomial(n, p)


def _poisson_series(
    ctx: _Context,
    n: np.ndarray,
    level: _Level,
    per: float,
    years: list[int],
    sd_zone: float,
    shape: float | None = None,
) -> np.ndarray:
    """Counts ~ Poisson(n x rate / per), optionally gamma-mixed (over-dispersed)."""
    mu = n * level.at(ctx.dep, years) * ctx.noise(years, sd_zone) / per
    if shape is not None:
        mu = mu * ctx.rng.gamma(shape, 1.0 / shape, size=mu.shape)
    return ctx.rng.poisson(mu)


def write_indicators(
    raw_dir: Path, geo: Geography, dep: np.ndarray, pop: np.ndarray, seed: int
) -> list[Path]:
    """Generate and write all 14 datasets (plus the older child-poverty release)."""
    ctx = _Context(geo, dep, pop, seed)
    folder = raw_dir / "statistics_gov_scot" / RELEASE
    old_folder = raw_dir / "statistics_gov_scot" / OLD_RELEASE
    dz = geo.dz_code
    cal = list(YEARS)
    cal_codes = [str(y) for y in cal]
    fin_codes = [fin_year(y) for y in cal]
    yi = ctx.year_index(cal)
    pop_all = ctx.ages(0, None)[yi]
    pop_wa = ctx.ages(16, 64)[yi]
    pop_kids = ctx.ages(0, 15)[yi]
    pop_old = ctx.ages(65, None)[yi]
    written: list[Path] = []

    def emit(stem: str, cols: dict[str, pa.Array | np.ndarray], where: Path = folder) -> None:
        path = _path(where, stem)
        write_csv(path, cols, quote=False)
        written.append(path)

    # 1. income deprivation (people), calendar years
    v = _binomial_series(ctx, pop_all, _Level((0.06, 0.40), (0.05, 0.28)), cal, 0.2)
    emit("income-deprivation", _tidy(dz, cal_codes, v, "Count", "People"))

    # 2. median earnings (council and Scotland only)
    emit("median-earnings", _median_earnings(ctx, pop_wa, cal_codes))

    # 3. out-of-work benefits, financial years (a 2020 bump)
    lvl = _Level((0.04, 0.25), (0.032, 0.16), {2020: 1.12, 2021: 1.05})
    v = _binomial_series(ctx, pop_wa, lvl, cal, 0.2)
    emit("out-of-work-benefits", _tidy(dz, fin_codes, v, "Count", "People"))

    # 4. employment deprivation, calendar years
    v = _binomial_series(ctx, pop_wa, _Level((0.045, 0.26), (0.046, 0.31)), cal, 0.2)
    emit("employment-deprivation", _tidy(dz, cal_codes, v, "Count", "People"))

    # 5. child poverty, financial years; an older release with a revised 2021/2022
    v = _binomial_series(ctx, pop_kids, _Level((0.06, 0.36), (0.065, 0.47)), cal, 0.2)
    emit("child-poverty", _tidy(dz, fin_codes, v, "Count", "Children"))
    emit("child-poverty", _old_child_poverty(ctx, v, dz, fin_codes), old_folder)

    # 6. birthweight: live births (about the number aged 0) and healthy-weight births
    births = ctx.rng.poisson(ctx.ages(0, 0)[yi])
    low = _binomial_series(ctx, births, _Level((0.08, 0.14), (0.08, 0.14)), cal, 0.1)
    v = np.stack([births - low, births], axis=2)
    emit(
        "birthweight",
        _tidy(dz, cal_codes, v, "Count", "Births", ("Birthweight", ["Healthy", "All"])),
    )

    # 7. recorded crime per 10,000, financial years, over-dispersed
    lvl = _Level((150.0, 900.0), (120.0, 560.0), {2020: 0.93})
    v = _poisson_series(ctx, pop_all, lvl, 1e4, cal, 0.3, shape=25.0)
    emit("recorded-crime", _tidy(dz, fin_codes, v, "Count", "Crimes"))

    # 8. dwelling fires per 100,000, financial years, 2016/2017 missing
    v = _poisson_series(ctx, pop_all, _Level((70.0, 300.0), (55.0, 190.0)), 1e5, cal, 0.2)
    keep = [i for i, y in enumerate(cal) if y != FIRES_MISSING_YEAR]
    emit("dwelling-fires", _tidy(dz, [fin_codes[i] for i in keep], v[keep], "Count", "Fires"))

    # 9. deaths under 75 by five-year age band
    emit("deaths-under-75", _deaths(ctx, dz, cal, cal_codes))

    # 10. unplanned attendances per 100,000 (fewer in 2020)
    lvl = _Level((15_000.0, 32_000.0), (17_000.0, 40_000.0), {2020: 0.82})
    v = _poisson_series(ctx, pop_all, lvl, 1e5, cal, 0.15, shape=40.0)
    emit("unplanned-attendances", _tidy(dz, fin_codes, v, "Count", "Attendances"))

    # 11. emergency admissions 65+ per 100,000 aged 65+
    lvl = _Level((15_000.0, 30_000.0), (20_000.0, 31_000.0), {2020: 0.88})
    v = _poisson_series(ctx, pop_old, lvl, 1e5, cal, 0.15)
    emit(
        "emergency-admissions",
        _tidy(dz, fin_codes, v[:, :, None], "Count", "Admissions", ("Age", ["65+"])),
    )

    # 12. unplanned bed days 65+ per 1,000 aged 65+, strongly over-dispersed
    lvl = _Level((1_800.0, 4_300.0), (1_550.0, 3_300.0), {2020: 0.85})
    v = _poisson_series(ctx, pop_old, lvl, 1e3, cal, 0.15, shape=6.0)
    emit(
        "unplanned-bed-days",
        _tidy(dz, fin_codes, v[:, :, None], "Count", "Bed days", ("Age", ["65+"])),
    )

    # 13-14. school leavers by intermediate zone, school years 2011/2012..2023/2024
    attain, dest = _school(ctx)
    emit("school-leaver-attainment", attain)
    emit("positive-destinations", dest)
    return written


def _median_earnings(ctx: _Context, pop_wa: np.ndarray, dates: list[str]) -> dict:
    """Council and Scotland weekly median earnings: rising, lower in deprived councils."""
    geo = ctx.geo
    nc = len(geo.council_code)
    weight = pop_wa[0].astype(float)
    cdep = np.bincount(geo.dz_council, weights=ctx.dep * weight, minlength=nc)
    cdep /= np.bincount(geo.dz_council, weights=weight, minlength=nc)
    growth = np.array([0, 1.5, 2, 1, 2.5, 2.5, 3, 3.5, 3, -0.5, 6, 5, 5.5, 4.5]) / 100
    level = 455.0 * np.cumprod(1 + growth)[: len(dates)]
    council = np.exp(-0.25 * (cdep - cdep.mean()) + ctx.rng.normal(0, 0.03, size=nc))
    values = level[:, None] * council[None, :] + ctx.rng.normal(0, 4.0, size=(len(dates), nc))
    cw = np.vstack([np.bincount(geo.dz_council, weights=p, minlength=nc) for p in pop_wa])
    scot = (values * cw).sum(axis=1) / cw.sum(axis=1)
    table = np.round(np.column_stack([values, scot]), 1)
    features = np.array([*geo.council_code, SCOTLAND], dtype=object)
    return _tidy(features, dates, table, "Median", "GBP per week")


def _old_child_poverty(ctx: _Context, v: np.ndarray, dz: np.ndarray, dates: list[str]) -> dict:
    """The 2024-09 release: years to 2022/2023, some 2021/2022 values before revision."""
    i = REVISED_YEAR - YEARS[0]
    old = v[: i + 2].copy()
    pick = ctx.rng.random(len(dz)) < 0.15
    delta = ctx.rng.choice(np.array([-3, -2, -1, 1, 2, 3]), size=len(dz))
    delta = np.where(old[i] + delta < 0, np.abs(delta), delta)
    old[i] = np.where(pick, old[i] + delta, old[i])
    return _tidy(dz, dates[: i + 2], old, "Count", "Children")


def _deaths(ctx: _Context, dz: np.ndarray, years: list[int], dates: list[str]) -> dict:
    """Deaths under 75 by five-year band: rates rise steeply with age and deprivation."""
    yi = ctx.year_index(years)
    band_pop = np.stack(
        [ctx.ages(a, a + 4)[yi] for a in range(0, 75, 5)], axis=2
    )  # [year, zone, band]
    share = band_pop[0].sum(axis=0) / band_pop[0].sum()
    rel = _BAND_RATE / (_BAND_RATE * share).sum()  # crude under-75 rate = level
    lvl = _Level((260.0, 850.0), (150.0, 760.0))
    base = lvl.at(ctx.dep, years) * ctx.noise(years, 0.15)
    mu = band_pop * base[:, :, None] * rel[None, None, :] / 1e5
    v = ctx.rng.poisson(mu)
    return _tidy(dz, dates, v, "Count", "Deaths", ("Age", list(AGE_BANDS)))


def _school(ctx: _Context) -> tuple[dict, dict]:
    """School leavers per IZ: total tariff points, leavers, positive destinations."""
    geo = ctx.geo
    years = list(range(YEARS[0], 2024))
    dates = [fin_year(y) for y in years]
    yi = ctx.year_index(years)
    n_iz = len(geo.iz_code)
    cohort = ctx.ages(16, 17)[yi]
    iz_pop = np.vstack([np.bincount(geo.dz_iz, weights=c, minlength=n_iz) for c in cohort])
    w = ctx.ages(0, None)[0].astype(float)
    iz_dep = np.bincount(geo.dz_iz, weights=ctx.dep * w, minlength=n_iz)
    iz_dep /= np.bincount(geo.dz_iz, weights=w, minlength=n_iz)
    rng = ctx.rng
    leavers = rng.binomial(iz_pop.astype(np.int64), 0.47)
    tau = (np.asarray(years, dtype=float) - YEARS[0]) / (YEARS[-1] - YEARS[0])
    lo = 1100 + (1200 - 1100) * tau
    hi = 600 + (780 - 600) * tau
    mean = lo[:, None] * (1 - iz_dep[None, :]) + hi[:, None] * iz_dep[None, :]
    mean = mean * np.exp(rng.normal(0, 0.06, size=n_iz))[None, :]
    total = rng.normal(leavers * mean, np.sqrt(leavers) * 0.55 * mean)
    total = np.maximum(np.rint(total), 0).astype(np.int64)
    attain = _concat(
        [
            _tidy(geo.iz_code, dates, total, "Count", "Tariff points"),
            _tidy(geo.iz_code, dates, leavers, "Count", "School leavers"),
        ]
    )
    lvl = _Level((0.05, 0.15), (0.03, 0.10))
    p_neg = lvl.at(iz_dep, years) * np.exp(rng.normal(0, 0.15, size=n_iz))[None, :]
    positive = leavers - rng.binomial(leavers, np.clip(p_neg, 0, 0.5))
    dest = _tidy(
        geo.iz_code,
        dates,
        np.stack([positive, leavers], axis=2),
        "Count",
        "School leavers",
        ("Destination", ["Positive", "All"]),
    )
    return attain, dest
