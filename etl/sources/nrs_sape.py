"""NRS small-area population estimates (SAPE) by data zone, sex and single year of age.

Why: most indicators' denominators are populations of an age group in the same year, so the
population is loaded once at data zone grain and every rate is recomputed from sums.
Headings differ between the PHS open-data CSV (``dz11_code``, ``0`` … ``90+``) and NRS's own
files (``DataZone2011Code``, ``AGE0`` … ``AGE90PLUS``); both are accepted and canonicalised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb

from etl.errors import InputError
from etl.sources.files import (
    RawFile,
    csv_header,
    find_files,
    first_bad_in_columns,
    first_bad_value,
    land_csvs,
    sql_literal,
)

SOURCE = "nrs_sape"
RAW_TABLE = "raw.nrs__sape_dz"
CODE_ALIASES = ("dz11_code", "DataZone2011Code", "DataZone2011", "DataZone", "datazone_code")
SEX_ALIASES = ("sex", "Sex")
TOTAL_ALIASES = ("total_population", "TotalPopulation", "AllAges", "Total")
AGES = list(range(90))
AGE_COLUMNS = [f"age_{a}" for a in AGES] + ["age_90plus"]


def _age_of(column: str) -> str | None:
    """Canonical age column for a heading, e.g. ``'7'``/``'AGE7'`` → ``age_7``, ``'90+'`` → ``age_90plus``."""
    if m := re.fullmatch(r"(?:AGE|age_?)?(\d{1,2})", column):
        age = int(m.group(1))
        return f"age_{age}" if age < 90 else None
    if re.fullmatch(r"(?:AGE|age_?)?90(\+|PLUS|plus)", column):
        return "age_90plus"
    return None


def _year_of(raw_file: RawFile, header: list[str]) -> str | None:
    if "year" in header or "Year" in header:
        return None  # taken from the column
    m = re.search(r"(19|20)\d{2}", raw_file.path.name)
    if not m:
        raise InputError(raw_file.path, "cannot tell which year the estimates are for",
                         hint="add a 'year' column or put the year in the file name, e.g. sape2020_dz2011.csv")
    return m.group(0)


def _pick(raw_file: RawFile, header: list[str], aliases: tuple[str, ...], what: str, required: bool) -> str | None:
    for alias in aliases:
        if alias in header:
            return alias
    if required:
        raise InputError(raw_file.path, f"no {what} column (expected one of: {', '.join(aliases)}; found: "
                         f"{', '.join(header[:8])}{', …' if len(header) > 8 else ''})", row=1, column=aliases[0],
                         hint="use the NRS/PHS small-area population estimates layout (docs/data-formats.md)")
    return None


def load(con: duckdb.DuckDBPyConnection, raw_dir: Path | Sequence[Path]) -> list[RawFile]:
    """Land every SAPE file into ``raw.nrs__sape_dz`` with canonical column names."""
    files = find_files(raw_dir, SOURCE, (".csv",))
    headers: dict[tuple[str, str], str] = {}
    landing: list[tuple[RawFile, list[str]]] = []
    for raw_file in files:
        header = csv_header(raw_file.path)
        code = _pick(raw_file, header, CODE_ALIASES, "data zone code", True)
        sex = _pick(raw_file, header, SEX_ALIASES, "sex", False)
        total = _pick(raw_file, header, TOTAL_ALIASES, "total population", False)
        ages = {_age_of(c): c for c in header if _age_of(c)}
        if total is None and not ages:
            raise InputError(raw_file.path, "neither a total population column nor single-year age columns were found",
                             row=1, column="total_population", hint="see docs/data-formats.md (nrs_sape)")
        year = _year_of(raw_file, header)
        headers.update({(str(raw_file.path), canonical): original for canonical, original in ages.items()})
        if total:
            headers[(str(raw_file.path), "total_population")] = total
        select = [
            f'"{code}" AS datazone_code',
            f'"{sex}" AS sex' if sex else "'All' AS sex",
            f"{sql_literal(year)} AS year" if year else ('"year" AS year' if "year" in header else '"Year" AS year'),
            f'"{total}" AS total_population' if total else "NULL::VARCHAR AS total_population",
            *[f'"{ages[c]}" AS {c}' if c in ages else f"NULL::VARCHAR AS {c}" for c in AGE_COLUMNS],
        ]
        landing.append((raw_file, select))
    land_csvs(con, RAW_TABLE, landing)
    first_bad_in_columns(
        con, RAW_TABLE, ["total_population", *AGE_COLUMNS],
        condition="{c} IS NOT NULL AND TRY_CAST(replace({c}, ',', '') AS BIGINT) IS NULL",
        reason="not a whole number", hint="population counts must be whole numbers", headers=headers,
    )
    first_bad_value(con, RAW_TABLE, "sex", condition="sex NOT IN ('All', 'Female', 'Male', 'Persons', 'F', 'M')",
                    reason="unknown sex", hint="use All, Female or Male")
    first_bad_value(con, RAW_TABLE, "year", condition="TRY_CAST(year AS INTEGER) IS NULL",
                    reason="not a year", hint="use a four-digit year")
    return files
