"""Small reference tables the SQL needs: ESP2013 weights and exact Poisson limits.

Why: exact Poisson limits need the chi-square quantile function, which SQL lacks; computing
the ten values below 10 once in Python keeps every interval in one SQL pass.
"""

from __future__ import annotations

import duckdb
import pandas as pd
from scipy import stats

from etl.frames import create_table
from etl.stats.levels import Z95, Z998  # noqa: F401  (re-exported: the build's one z)

# European Standard Population 2013, 5-year bands 0-4 ... 85-89 and 90+ (sums to 100,000).
ESP2013 = [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500,
           5000, 4000, 2500, 1500, 1000]


def esp2013_frame() -> pd.DataFrame:
    """ESP2013 as rows (age_from, age_to, weight)."""
    rows = [(5 * i, 5 * i + 4 if i < 18 else 90, w) for i, w in enumerate(ESP2013)]
    return pd.DataFrame(rows, columns=["age_from", "age_to", "weight"])


def poisson_exact_frame(max_observed: int = 9, z: float = Z95) -> pd.DataFrame:
    """Exact (Garwood) Poisson limits for counts 0..max_observed at the two-sided level of z.

    Notes: lower = χ²(α/2; 2o)/2 (0 when o = 0), upper = χ²(1 − α/2; 2o + 2)/2.
    """
    alpha = 2 * (1 - stats.norm.cdf(z))
    rows = []
    for o in range(max_observed + 1):
        lower = 0.0 if o == 0 else stats.chi2.ppf(alpha / 2, 2 * o) / 2
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
        rows.append((o, float(lower), float(upper)))
    return pd.DataFrame(rows, columns=["observed", "lower", "upper"])


def hscp_frame() -> pd.DataFrame:
    """Each council's health and social care partnership (council_code, hscp_code, hscp_name)."""
    from etl.sources.councils import HSCPS

    return pd.DataFrame([(c, code, name) for c, (code, name) in HSCPS.items()],
                        columns=["council_code", "hscp_code", "hscp_name"])


def write_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``core.ref_esp2013``, the exact Poisson limits at 95 % and 99.8 % and
    ``core.ref_council_hscp``."""
    create_table(con, "core.ref_esp2013", esp2013_frame())
    create_table(con, "core.ref_council_hscp", hscp_frame())
    create_table(con, "core.ref_poisson_exact", poisson_exact_frame())
    create_table(con, "core.ref_poisson_exact_998", poisson_exact_frame(z=Z998))
