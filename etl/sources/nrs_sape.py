"""NRS small-area population estimates (SAPE) by data zone or intermediate zone, sex and age.

Why: most indicators' denominators are populations of an age group in the same year, so the
population is loaded once at data zone grain and every rate is recomputed from sums.
Headings differ between the PHS open-data CSV (``DataZone``, ``Age0`` … ``Age90plus``, as
``cpop fetch`` downloads it; ``dz11_code``, ``0`` … ``90+`` in converted copies) and NRS's own files
(``DataZone2011Code``, ``AGE0`` … ``AGE90PLUS``); all are accepted and canonicalised (case aside).

Every shape NRS and PHS publish is accepted in one folder: data zone files (single years of
age by sex, or totals only) land in ``raw.nrs__sape_dz``; intermediate zone files (``iz11_code``
or ``IntermediateZone2011Code``, totals or ages) in ``raw.nrs__sape_iz``. NRS rounds each
geography separately, so an intermediate zone's published total is kept as published rather
than taken for the sum of its data zones.
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
    raw_root,
    sql_literal,
)

SOURCE = "nrs_sape"
RAW_TABLE = "raw.nrs__sape_dz"
IZ_RAW_TABLE = "raw.nrs__sape_iz"
CODE_ALIASES = ("dz11_code", "DataZone2011Code", "DataZone2011", "DataZone", "datazone_code")
IZ_CODE_ALIASES = ("iz11_code", "IntermediateZone2011Code", "IntermediateZone2011", "IntermediateZone",
                   "InterZone", "intermediate_zone_code")
SEX_ALIASES = ("sex", "Sex")
TOTAL_ALIASES = ("total_population", "TotalPopulation", "AllAges", "Total")
AGES = list(range(90))
AGE_COLUMNS = [f"age_{a}" for a in AGES] + ["age_90plus"]


def _age_of(column: str) -> str | None:
    """Canonical age column for a heading, e.g. ``'7'``/``'AGE7'`` → ``age_7``, ``'90+'`` → ``age_90plus``."""
    if m := re.fullmatch(r"(?:age_?)?(\d{1,2})", column, re.IGNORECASE):  # PHS open data: Age0 … Age90plus
        age = int(m.group(1))
        return f"age_{age}" if age < 90 else None
    if re.fullmatch(r"(?:age_?)?90(\+|plus)", column, re.IGNORECASE):
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
    """Land every SAPE file: data zone files into ``raw.nrs__sape_dz``, IZ files into ``raw.nrs__sape_iz``.

    ``raw.nrs__sape_iz`` is created empty when no IZ file is present, so its staging always runs.
    """
    files = find_files(raw_dir, SOURCE, (".csv",))
    landing: dict[str, list[tuple[RawFile, list[str]]]] = {RAW_TABLE: [], IZ_RAW_TABLE: []}
    headers: dict[tuple[str, str], str] = {}
    for raw_file in files:
        header = csv_header(raw_file.path)
        table, code_column, select = _landing_select(raw_file, header, headers)
        landing[table].append((raw_file, [f'"{code_column}" AS {_CODE_NAME[table]}', *select]))
    if not landing[RAW_TABLE]:
        raise InputError(raw_root(raw_dir) / SOURCE, "only intermediate zone population files were found",
                         hint="add the data zone estimates (e.g. sape2021_dz2011_total.csv): every rate is "
                              "built from data zones")
    for table, items in landing.items():
        if items:
            land_csvs(con, table, items)
            _validate(con, table, headers)
            if table == IZ_RAW_TABLE:
                first_bad_value(con, table, "intermediate_zone_code",
                                condition="NOT regexp_full_match(trim(intermediate_zone_code), 'S02[0-9]{6}')",
                                reason="not a 2011 intermediate zone code",
                                hint="intermediate zone codes look like S02001236")
        else:
            columns = ", ".join(f"{c} VARCHAR" for c in [_CODE_NAME[table], *_CANONICAL, "_source_file", "_release"])
            con.execute(f"CREATE TABLE {table} ({columns}, _source_row BIGINT, _loaded_at TIMESTAMP WITH TIME ZONE)")
    return files


#: The canonical code column of each raw table.
_CODE_NAME = {RAW_TABLE: "datazone_code", IZ_RAW_TABLE: "intermediate_zone_code"}
_CANONICAL = ["sex", "year", "total_population", *AGE_COLUMNS]


def _landing_select(raw_file: RawFile, header: list[str],
                    headers: dict[tuple[str, str], str]) -> tuple[str, str, list[str]]:
    """Which raw table a file goes to, its code column and the select list of the other columns."""
    code = _pick(raw_file, header, CODE_ALIASES, "data zone code", False)
    table = RAW_TABLE
    if code is None:
        code = _pick(raw_file, header, IZ_CODE_ALIASES, "intermediate zone code", False)
        table = IZ_RAW_TABLE
    if code is None:
        raise InputError(raw_file.path, "no data zone or intermediate zone code column (expected one of: "
                         f"{', '.join(CODE_ALIASES[:2] + IZ_CODE_ALIASES[:2])}; found: {', '.join(header[:8])}"
                         f"{', …' if len(header) > 8 else ''})", row=1, column=CODE_ALIASES[0],
                         hint="use the NRS/PHS small-area population estimates layout (docs/data-formats.md)")
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
        f'"{sex}" AS sex' if sex else "'All' AS sex",
        f"{sql_literal(year)} AS year" if year else ('"year" AS year' if "year" in header else '"Year" AS year'),
        f'"{total}" AS total_population' if total else "NULL::VARCHAR AS total_population",
        *[f'"{ages[c]}" AS {c}' if c in ages else f"NULL::VARCHAR AS {c}" for c in AGE_COLUMNS],
    ]
    return table, code, select


def _validate(con: duckdb.DuckDBPyConnection, table: str, headers: dict[tuple[str, str], str]) -> None:
    """Whole-number counts, a known sex and a four-digit year in every landed row."""
    first_bad_in_columns(
        con, table, ["total_population", *AGE_COLUMNS],
        condition="{c} IS NOT NULL AND TRY_CAST(replace({c}, ',', '') AS BIGINT) IS NULL",
        reason="not a whole number", hint="population counts must be whole numbers", headers=headers,
    )
    first_bad_in_columns(
        con, table, ["total_population", *AGE_COLUMNS],
        condition="TRY_CAST(replace({c}, ',', '') AS BIGINT) < 0",
        reason="a population cannot be negative", hint="population counts are whole numbers from 0 up", headers=headers,
    )
    first_bad_value(con, table, "sex", condition="sex NOT IN ('All', 'Female', 'Male', 'Persons', 'F', 'M')",
                    reason="unknown sex", hint="use All, Female or Male")
    first_bad_value(con, table, "year", condition="TRY_CAST(year AS INTEGER) IS NULL",
                    reason="not a year", hint="use a four-digit year")
