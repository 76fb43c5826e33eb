"""Demo LGBF-style family groups and demo targets, in the raw formats the ETL loads.

Why: comparisons with similar councils and target tracking need these small files; the demo
derives them from its own councils so every demo build exercises both loaders.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

# Demo targets: (indicator, target value, target year). Levels are chosen inside the demo's
# ranges so some councils are on track and others are not.
DEMO_TARGETS = [
    ("ey_child_poverty", 18.0, 2030),
    ("ss_crime_rate", 250.0, 2030),
    ("hi_early_mortality", 380.0, 2030),
    ("op_emergency_admissions", 22000.0, 2030),
    ("emp_out_of_work_benefits", 8.0, 2028),
]


def _bands(values: np.ndarray, n: int = 4) -> np.ndarray:
    """1..n by rank (1 = smallest); ties broken by order, so output is deterministic."""
    order = np.argsort(np.argsort(values, kind="stable"), kind="stable")
    return (order * n // len(values)) + 1


def write_family_groups(raw_dir: Path, council_codes: np.ndarray, council_deprivation: np.ndarray,
                        council_density: np.ndarray) -> Path:
    """``family_groups/2012/family_groups.csv``: deprivation group 1 (least) to 4 (most
    deprived) and density group 1 (most sparse) to 4 (most dense)."""
    path = raw_dir / "family_groups" / "2012" / "family_groups.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    dep, dens = _bands(council_deprivation), _bands(council_density)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["council_code", "deprivation_group", "density_group"])
        for code, d, p in zip(council_codes, dep, dens, strict=True):
            writer.writerow([code, int(d), int(p)])
    return path


def write_targets(raw_dir: Path, council_codes: np.ndarray) -> Path:
    """``targets/2025-06/targets.csv``: the same demo targets for every council."""
    path = raw_dir / "targets" / "2025-06" / "targets.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["indicator_id", "area_type", "area_code", "target_value", "target_year", "set_by"])
        for code in council_codes:
            for indicator, value, year in DEMO_TARGETS:
                writer.writerow([indicator, "council", code, value, year, "Community Planning Partnership board (demo)"])
    return path
