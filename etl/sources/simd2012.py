"""SIMD 2012, published on 2001 data zones, bridged to 2011 data zones.

Why: a series' early years (2009-2013) should be read against the SIMD edition nearest them,
and SIMD 2012 is only published for the 6,505 data zones of 2001. Each 2011 data zone gets
the mean overall and domain ranks of the 2001 zones linked to it by the official 2001 → 2011
lookup; 2011 zones are then re-ranked (1 = most deprived) and given vigintiles, deciles and
quintiles by rank, as SIMD does; each 2001 zone's population is shared equally among the 2011
zones it links to. An approximation, stated in docs/data-formats.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.errors import InputError
from etl.sources.files import RawFile, csv_header, read_text_table, require_columns

SIMD_CODE = "Data Zone"
RANK = "Overall SIMD 2012 Rank"
POPULATION = "Total Population (SAPE 2010)"
DOMAINS = {  # canonical domain rank -> 2012 rank column
    "income_domain_rank": "Income domain 2012 rank",
    "employment_domain_rank": "Employment domain 2012 rank",
    "health_domain_rank": "Health domain 2012 rank",
    "education_domain_rank": "Education, Skills and Training domain 2012 rank",
    "housing_domain_rank": "Housing domain rank 2004, 2006, 2009 & 2012",
    "access_domain_rank": "Geographic Access domain 2012 rank",
    "crime_domain_rank": "SIMD Crime 2012 rank",
}
LOOKUP_ALIASES = (("dz01_code", "dz11_code"), ("DataZone2001", "DataZone2011"), ("DZ2001", "DZ2011"))


def is_simd2012(header: list[str]) -> bool:
    return SIMD_CODE in header and RANK in header


def _number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype(str).str.replace(",", "", regex=False), errors="coerce")


def _lookup(files: list[RawFile], data_file: RawFile) -> pd.DataFrame:
    for raw_file in files:
        if raw_file is data_file or raw_file.path.suffix.lower() == ".xlsx":
            continue  # the lookup is a CSV (or its snapshot)
        header = csv_header(raw_file.path)
        for old, new in LOOKUP_ALIASES:
            if old in header and new in header:
                return read_text_table(raw_file.path)[[old, new]].set_axis(["dz01", "dz11"], axis=1)
    raise InputError(data_file.path.parent, "SIMD 2012 is published on 2001 data zones, but no 2001 → 2011 data "
                     "zone lookup (columns dz01_code, dz11_code) is in the same folder",
                     hint="add the 2001 to 2011 data zone lookup CSV next to the SIMD 2012 file")


def bridge(raw_file: RawFile, files: list[RawFile]) -> pd.DataFrame:
    """The 2012 edition on 2011 data zones, with the canonical column names of raw.simd__dz_lookup."""
    data = read_text_table(raw_file.path)
    require_columns(raw_file.path, data.columns, [SIMD_CODE, RANK, POPULATION, *DOMAINS.values()])
    data = data[data[SIMD_CODE].fillna("").str.match(r"^S01\d{6}$")]
    bad = data[_number(data[RANK]).isna()]
    if len(bad):
        row = int(bad.index[0]) + 2
        raise InputError(raw_file.path, f"not a whole number: '{bad[RANK].iloc[0]}'", row=row, column=RANK,
                         hint="SIMD ranks must be whole numbers")
    lookup = _lookup(files, raw_file)
    links = lookup.merge(data, left_on="dz01", right_on=SIMD_CODE, how="inner")
    links["share"] = 1 / links.groupby("dz01")["dz11"].transform("size")
    links["population"] = _number(links[POPULATION]) * links["share"]
    # ranks as numbers once, then the built-in mean per group (a Python lambda per group took 15 s)
    for column in (RANK, *DOMAINS.values()):
        links[column] = _number(links[column])
    agg = {"rank_mean": (RANK, "mean"), "population": ("population", "sum")}
    agg |= {key: (column, "mean") for key, column in DOMAINS.items()}
    per_2011 = links.groupby("dz11").agg(**agg).reset_index()
    n = len(per_2011)
    per_2011["simd_rank"] = per_2011["rank_mean"].rank(method="first").astype(int)
    for key in DOMAINS:
        per_2011[key] = per_2011[key].rank(method="first").astype(int)
    per_2011["simd_vigintile"] = np.ceil(per_2011["simd_rank"] * 20 / n).astype(int)
    per_2011["simd_decile"] = np.ceil(per_2011["simd_rank"] * 10 / n).astype(int)
    per_2011["simd_quintile"] = np.ceil(per_2011["simd_rank"] * 5 / n).astype(int)
    per_2011["population"] = per_2011["population"].round().astype(int)
    per_2011["working_age_population"] = 0
    out = per_2011.rename(columns={"dz11": "DZ"}).drop(columns=["rank_mean"])
    for column in ("DZname", "IZcode", "IZname", "LAcode", "LAname", "HBcode", "HBname", "MMWcode", "MMWname",
                   "HSCPcode", "HSCPname", "URclass", "URname"):
        out[column] = None
    return out
