"""Demo LGBF family groups and demo targets, written in the raw formats the ETL loads.

Why: comparisons with similar councils and target tracking need these two small files; the
demo derives them from its own SIMD look-up (councils, deprivation, urban/rural mix) so every
demo build exercises both loaders, and the same seed always writes the same bytes.

* ``family_groups/2012/family_groups.csv`` (``council_code,deprivation_group,density_group``):
  deprivation group 1 (least deprived) to 4 (most deprived) by the council's share of people
  in SIMD quintile 1; density group 1 (most rural) to 4 (most urban) by its population-weighted
  urban/rural class — the LGBF numbering. Four groups of (nearly) equal size.
* ``targets/2025-06/targets.csv``: one national-level ambition per indicator
  (``DEMO_TARGETS``) applied to Scotland and, with a seeded stretch of -10 %, 0 or +10 %, to a
  seeded sample of councils. Councils differ in level and trend, so some targets are on
  track and others off track (the demo stories: crime improving, child poverty and emergency
  admissions worsening).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

FAMILY_GROUPS_RELEASE = "2012"
TARGETS_RELEASE = "2025-06"
SCOTLAND = "S92000003"

#: (indicator, target year, target value on the indicator's own scale, polarity sign:
#: +1 high is good, -1 low is good). Levels sit near the demo's Scotland values so that the
#: demo shows every status.
DEMO_TARGETS: tuple[tuple[str, int, float, int], ...] = (
    ("ey_child_poverty", 2030, 20.0, -1),
    ("ss_crime_rate", 2030, 250.0, -1),
    ("hi_early_mortality", 2030, 380.0, -1),
    ("emp_out_of_work_benefits", 2028, 8.0, -1),
    ("op_emergency_admissions", 2030, 22000.0, -1),
    ("ey_positive_destinations", 2028, 95.0, 1),
)
#: Share of councils given a target for each indicator.
COUNCIL_SHARE = 0.6
SET_BY_COUNCIL = "Community Planning Partnership board (demo)"
SET_BY_SCOTLAND = "National Performance Framework (demo)"


def _simd_lookup(raw_dir: Path) -> pd.DataFrame | None:
    """The demo's SIMD 2020v2 look-up (DZ, population, quintile, urban/rural class, council)."""
    files = sorted((Path(raw_dir) / "simd" / "2020v2").glob("*.csv"))
    if not files:
        return None
    frame = pd.read_csv(files[0], dtype=str)
    need = {"LAcode", "Population", "SIMD2020v2_Quintile", "URclass"}
    return frame if need <= set(frame.columns) else None


def _bands(score: np.ndarray, tiebreak: np.ndarray, n: int = 4) -> np.ndarray:
    """Groups 1..n of (nearly) equal size by ascending score (ties broken by ``tiebreak``)."""
    order = np.lexsort((tiebreak, score))
    rank = np.empty(len(score), dtype=int)
    rank[order] = np.arange(len(score))
    return rank * n // max(len(score), 1) + 1


def write_demo_family_groups(raw_dir: Path, council_codes: list[str], *, seed: int) -> Path:
    """Write ``family_groups/2012/family_groups.csv`` for ``council_codes`` and return its path.

    Deprivation: share of the council's people in SIMD quintile 1; density: population-weighted
    mean urban/rural class (1 = large urban area, 6 = remote rural), from the SIMD look-up the
    demo wrote under ``raw_dir/simd/2020v2``; without it (or for a council missing from it)
    the scores are seeded random numbers.
    """
    codes = [str(c) for c in council_codes]
    rng = np.random.default_rng([seed, 42])
    deprivation = rng.random(len(codes))
    rurality = rng.random(len(codes))
    lookup = _simd_lookup(Path(raw_dir))
    if lookup is not None:
        people = pd.to_numeric(lookup["Population"], errors="coerce").fillna(0)
        q1 = (lookup["SIMD2020v2_Quintile"].str.strip() == "1") * people
        urclass = pd.to_numeric(lookup["URclass"], errors="coerce").fillna(3) * people
        sums = pd.DataFrame({"council": lookup["LAcode"], "people": people, "q1": q1, "ur": urclass}).groupby(
            "council").sum()
        for i, code in enumerate(codes):
            if code in sums.index and sums.at[code, "people"] > 0:
                deprivation[i] = sums.at[code, "q1"] / sums.at[code, "people"]
                rurality[i] = sums.at[code, "ur"] / sums.at[code, "people"]
    tiebreak = np.arange(len(codes))
    dep_group = _bands(deprivation, tiebreak)
    density_group = _bands(-rurality, tiebreak)  # least rural = most dense = group 4
    path = Path(raw_dir) / "family_groups" / FAMILY_GROUPS_RELEASE / "family_groups.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["council_code", "deprivation_group", "density_group"])
        for code, d, p in sorted(zip(codes, dep_group, density_group, strict=True)):
            writer.writerow([code, int(d), int(p)])
    return path


def _format(value: float) -> str:
    return f"{value:.10g}"


def write_demo_targets(raw_dir: Path, *, seed: int) -> Path:
    """Write ``targets/2025-06/targets.csv`` and return its path.

    Councils are read from the SIMD 2020v2 look-up the demo wrote under ``raw_dir/simd/2020v2``
    (only Scotland's targets when it is absent). Each indicator of ``DEMO_TARGETS`` gets a
    Scotland target and targets for a seeded ``COUNCIL_SHARE`` of the councils, each stretched
    by a seeded -10 %, 0 or +10 % in the harder direction.
    """
    lookup = _simd_lookup(Path(raw_dir))
    councils = sorted(lookup["LAcode"].dropna().unique()) if lookup is not None else []
    rng = np.random.default_rng([seed, 43])
    rows: list[list[str]] = []
    for indicator, year, value, sign in DEMO_TARGETS:
        rows.append([indicator, "scotland", SCOTLAND, _format(value), str(year), SET_BY_SCOTLAND])
        k = max(1, round(COUNCIL_SHARE * len(councils))) if councils else 0
        chosen = sorted(rng.choice(councils, size=k, replace=False)) if k else []
        stretch = rng.choice([-0.1, 0.0, 0.1], size=len(chosen))
        for code, s in zip(chosen, stretch, strict=True):
            # a positive stretch makes the target harder: higher for high-is-good, lower otherwise
            rows.append([indicator, "council", str(code), _format(round(value * (1 + sign * s), 2)), str(year),
                         SET_BY_COUNCIL])
    path = Path(raw_dir) / "targets" / TARGETS_RELEASE / "targets.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["indicator_id", "area_type", "area_code", "target_value", "target_year", "set_by"])
        writer.writerows(rows)
    return path
