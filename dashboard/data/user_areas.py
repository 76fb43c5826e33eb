"""Statistics for user-made areas, computed on demand from data zone facts.

Why: boards and officers need profiles of areas no publisher uses (a regeneration zone, a
school catchment). The values must be computed exactly as for published areas: by the build's
own rules (``etl/sql/marts/indicator_sums.sql`` and ``computed_values.sql``). The data zones'
counts are summed in memory (``dashboard/data/cell_facts.py``) and valued by the same rules in
numpy (``dashboard/data/area_values.py``), ~70 ms less a profile than running that SQL; tests
hold both to the SQL, column by column, on many areas of the demo and of real Scotland. A build
whose counts are not held in memory runs the SQL itself for the user's data zones, inside one
read-only cursor (TEMP tables only). Disclosure control then
goes further than for published areas, because a user can draw an area that differs from a
published one by a single data zone:

1. an area needs at least ``MIN_DATAZONES`` data zones;
2. the indicator's primary rule applies (counts 1 to min_count − 1 withheld, and for
   percentages the complement too);
3. differencing: a reader knows every visible cell (data zone, or intermediate zone for
   series published only for those) and can subtract the new area from any visible published
   area or other saved area it overlaps. For the area on its own and for each such pair, each
   leftover piece (the part of one that is not in the other) must not hold exactly one hidden
   cell, and its hidden count (or, for percentages, hidden complement) must not be from 1 to
   min_count − 1; otherwise the value is withheld ("differencing"). The check runs in SQL
   (``dashboard/data/sql/user_area_differencing.sql``) against what the build left hidden
   (``core.fct_hidden_cell``, ``core.agg_indicator_exposure``).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard.data.area_values import area_values
from dashboard.data.cell_facts import cell_facts, whole_izones
from dashboard.data.reader import WarehouseReader
from dashboard.data.sqlfiles import load_sql
from etl.withheld import WITHHELD_REASON

ETL_SQL = Path(__file__).resolve().parents[2] / "etl" / "sql"
MIN_DATAZONES = 3
LOW_POPULATION = 5_000
USER_AREA_TYPE = "user"
USER_AREA_CODE = "U"
#: A UK postcode with its spaces removed (same rule as etl/sources/postcodes.py).
DATAZONE_PATTERN = re.compile(r"S01\d{6}")
#: One ``CREATE OR REPLACE MACRO name(...) AS ...;`` of etl/sql/macros.sql (a statement ends at a line's ";").
MACRO_STATEMENT = re.compile(r"CREATE OR REPLACE MACRO (\w+)\(.*?;[ \t]*$", re.DOTALL | re.MULTILINE)
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$")


class UserAreaError(ValueError):
    """A user-made area cannot be profiled as given (unknown codes, too small)."""


@dataclass(frozen=True)
class UserAreaProfile:
    """Values for a user-made area plus what a reader must be told about them."""

    values: pd.DataFrame
    datazone_count: int
    population: int | None
    warnings: tuple[str, ...]


def _etl_sql(*parts: str) -> str:
    return (ETL_SQL.joinpath(*parts)).read_text(encoding="utf-8")


def _cell_statements(datazones: list[str]) -> list[tuple[str, object]]:
    """TEMP tables of the area's cells: ``u`` (its data zones) and ``user_bridge`` (data zones, plus
    intermediate zones when the area is an exact union of them, so that series published only
    for intermediate zones can be aggregated too), both as children of one area 'U' of type 'user'."""
    if not all(DATAZONE_PATTERN.fullmatch(code) for code in datazones):  # they are inlined below
        raise UserAreaError("data zone codes must look like S01000001")
    return [
        ("CREATE OR REPLACE TEMP TABLE u AS SELECT DISTINCT unnest(?::VARCHAR[]) AS datazone_code", [datazones]),
        (f"""CREATE OR REPLACE TEMP TABLE user_bridge AS
            WITH iz AS (
                SELECT b.area_code AS iz_code, count(*) AS size, count(u.datazone_code) AS inside
                FROM core.bridge_datazone_area AS b LEFT JOIN u USING (datazone_code)
                WHERE b.area_type = 'intermediate_zone'
                GROUP BY b.area_code
            ),
            whole_iz AS (SELECT iz_code, size FROM iz WHERE inside = size),
            exact AS (SELECT coalesce(sum(size), 0) = (SELECT count(*) FROM u) AS is_exact FROM whole_iz)
            SELECT 'datazone' AS child_type, datazone_code AS child_code,
                   '{USER_AREA_TYPE}' AS area_type, '{USER_AREA_CODE}' AS area_code FROM u
            UNION ALL
            SELECT 'intermediate_zone', iz_code, '{USER_AREA_TYPE}', '{USER_AREA_CODE}'
            FROM whole_iz WHERE (SELECT is_exact FROM exact)""", None),
    ]


def _replaced(sql: str, old: str, new: str, file: str) -> str:
    """``sql`` with ``old`` replaced; raises when ``old`` is not there, so that an edit of the
    build's SQL cannot leave a user-made area reading the build's own tables."""
    if old not in sql:
        raise RuntimeError(f"{file} no longer holds {old!r}: update dashboard/data/user_areas.py")
    return sql.replace(old, new)


@functools.cache
def _values_sql() -> str:
    """``computed_values.sql`` over ``indicator_sums.sql``, as ONE statement on the user's cells.

    The reference way, and the one used when a build's counts cannot be held in memory
    (``dashboard/data/cell_facts.py``). Why one statement: the sums were a TEMP table of their own,
    costing a second plan and a materialisation on the profile's critical path; as the values'
    ``sums`` CTE they stream in. The facts are not materialised either: each of the sums' three
    readers takes its own slice straight from ``user_facts`` (a view over the area's row groups).
    """
    sums = _etl_sql("marts", "indicator_sums.sql")
    for old, new in (("core.fct_indicator_feature", "user_facts"), ("core.bridge_area_area", "user_bridge"),
                     ("meta.indicators", "user_indicators"), ("WITH facts AS (", "WITH facts AS NOT MATERIALIZED (")):
        sums = _replaced(sums, old, new, "indicator_sums.sql")
    return _values_over(sums)


def _values_over(sums: str) -> str:
    """``computed_values.sql`` over the statement ``sums``, keeping the user-made area's rows."""
    values = _replaced(_etl_sql("marts", "computed_values.sql"), "meta.indicators", "user_indicators",
                       "computed_values.sql")
    values = _replaced(values, "SELECT * FROM marts.indicator_sums", f"SELECT * FROM (\n{sums}\n)",
                       "computed_values.sql")
    # The area's rows only. The build's SQL also values every area a fact belongs to directly: when the
    # area is an exact union of intermediate zones, the publisher's own counts for those zones (CPOP's
    # child poverty and out-of-work benefits on real Scotland) came back as rows of their own, which the
    # profile then took for the area's (a second series, its trend, its comparisons).
    return (f"SELECT * FROM (\n{values}\n) WHERE area_type = '{USER_AREA_TYPE}' AND area_code = '{USER_AREA_CODE}'"
            "\nORDER BY indicator_id, period_year")


def _area_values(reader: WarehouseReader, datazones: list[str]) -> pd.DataFrame:
    """The area's values: its sums made in memory when the build's counts are held there
    (``cell_facts``), else the build's SQL on its cells."""
    facts = cell_facts(reader)
    if facts is None:
        return reader.script(_value_statements(datazones), setup=_value_setup())
    return area_values(facts.built(datazones, USER_AREA_TYPE, USER_AREA_CODE), facts.rules)


def _value_statements(datazones: list[str]) -> list[tuple[str, object]]:
    """The build's own SQL made to see one area called 'U' of type 'user'; returns its values
    (on a cursor where ``_value_setup`` has run)."""
    values = _values_sql()
    low, high = (min(datazones), max(datazones)) if datazones else ("", "")
    return [
        *_cell_statements(datazones),
        # a view, not a table: the facts stream straight into the sums. The constant code range
        # lets DuckDB skip row groups (the table is ordered by feature type and code).
        (f"""CREATE OR REPLACE TEMP VIEW user_facts AS
            SELECT f.* FROM core.fct_indicator_feature AS f
            WHERE f.feature_type = 'datazone' AND f.feature_code BETWEEN '{low}' AND '{high}'
              AND f.feature_code IN (SELECT datazone_code FROM u)
            UNION ALL
            SELECT f.* FROM core.fct_indicator_feature AS f
            SEMI JOIN user_bridge AS b ON b.child_type = f.feature_type AND b.child_code = f.feature_code
            WHERE f.feature_type = 'intermediate_zone'""", None),
        (values, None),
    ]


@functools.cache
def _value_setup() -> tuple[str, ...]:
    """What the values need that depends only on the build: the catalogue with 'user' among the
    summed indicators' geographies, and the macros. Run once per kept cursor (``WarehouseReader.script``)."""
    return (f"""CREATE OR REPLACE TEMP TABLE user_indicators AS
            SELECT * REPLACE (CASE WHEN aggregation = 'extensive'
                                   THEN list_append(geographies, '{USER_AREA_TYPE}') ELSE geographies END AS geographies)
            FROM meta.indicators""", _temp_macros(_values_sql()))


@functools.cache
def _temp_macros(sql: str) -> str:
    """The macros of ``etl/sql/macros.sql`` that ``sql`` calls (and the macros they call), as TEMP
    macros of the cursor: each one created costs ~0.4 ms per profile, and the values need 5 of 12.
    Found once per process: ``sql`` is the project's own SQL, the same for every profile."""
    statements = {m.group(1): m.group(0) for m in MACRO_STATEMENT.finditer(_etl_sql("macros.sql"))}
    wanted: set[str] = set()
    calling = [sql]
    while calling:
        text = calling.pop()
        for name in statements.keys() - wanted:
            if re.search(rf"\b{name}\(", text):
                wanted.add(name)
                calling.append(statements[name])
    return "\n".join(statements[name].replace("CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO")
                     for name in statements if name in wanted)


def _differencing_tables(datazones: list[str], whole_izones: Sequence[str],
                         saved: Sequence[tuple[str, Sequence[str]]]) -> dict[str, pa.Table]:
    """What ``user_area_differencing.sql`` reads of the area, handed over as Arrow tables: ``u`` (its
    data zones), ``user_bridge`` (its cells: the data zones, and the intermediate zones when it
    is an exact union of them) and ``saved_dz`` (the other saved areas that overlap it, as
    (id, data zones)).

    Why not TEMP tables made by SQL: three more statements to plan and run cost ~8 ms of the
    check, the slowest part of a profile."""
    cells = [*datazones, *whole_izones]
    return {
        "u": pa.table({"datazone_code": pa.array(datazones, pa.string())}),
        "user_bridge": pa.table({
            "child_type": pa.array(["datazone"] * len(datazones) + ["intermediate_zone"] * len(whole_izones),
                                   pa.string()),
            "child_code": pa.array(cells, pa.string()),
            "area_type": pa.array([USER_AREA_TYPE] * len(cells), pa.string()),
            "area_code": pa.array([USER_AREA_CODE] * len(cells), pa.string())}),
        "saved_dz": pa.table({
            "area_id": pa.array([area_id for area_id, zones in saved for _ in zones], pa.string()),
            "datazone_code": pa.array([zone for _, zones in saved for zone in zones], pa.string())}),
    }


def _whole_izones(reader: WarehouseReader, datazones: list[str]) -> list[str]:
    """The intermediate zones the area is an exact union of, if it is one (``CellFacts.whole_izones``),
    read from the warehouse when the build's counts are not held in memory."""
    facts = cell_facts(reader)
    if facts is not None:
        return facts.whole_izones(datazones)
    bridge = reader.query("SELECT datazone_code, area_code FROM core.bridge_datazone_area "
                          "WHERE area_type = 'intermediate_zone'")
    return whole_izones(datazones, dict(zip(bridge["datazone_code"], bridge["area_code"], strict=True)),
                        dict(Counter(bridge["area_code"])))


def _differencing_setup() -> tuple[str, ...]:
    """What the differencing check needs that depends only on the build: run once per kept cursor."""
    return (load_sql("user_area_differencing_setup"),)


def expand_codes(reader: WarehouseReader, codes: Sequence[str]) -> list[str]:
    """Data zones of the given codes or postcodes: a data zone stands for itself, any other area
    code (an intermediate zone, a ward, a council …) for all its data zones, and a postcode (any
    spacing or case: ``ab10 1ab``) for the data zone it lies in (``core.dim_postcode``).

    Raises UserAreaError listing every code that is not an area of this warehouse and every
    postcode that is not in its postcode directory, so nothing pasted is silently dropped.
    """
    tokens = sorted({c.strip() for c in codes if c and c.strip()})
    postcodes = {t: p for t in tokens if (p := _postcode(t)) is not None}
    wanted = [t for t in tokens if t not in postcodes]
    found = reader.query(
        "SELECT DISTINCT area_code, datazone_code FROM core.bridge_datazone_area "
        "WHERE area_code IN (SELECT unnest(?::VARCHAR[]))", [wanted]) if wanted else None
    datazones = set(found["datazone_code"]) if found is not None else set()
    unknown_codes = sorted(set(wanted) - (set(found["area_code"]) if found is not None else set()))
    if unknown_codes:
        raise UserAreaError(f"{len(unknown_codes)} code(s) are not areas in this warehouse: "
                            f"{', '.join(unknown_codes[:10])}{' …' if len(unknown_codes) > 10 else ''}")
    if postcodes:
        has_directory = not reader.query("SELECT 1 FROM duckdb_tables() WHERE schema_name = 'core' "
                                         "AND table_name = 'dim_postcode'").empty
        looked_up = reader.query(
            "SELECT postcode, datazone_code FROM core.dim_postcode WHERE postcode IN (SELECT unnest(?::VARCHAR[]))",
            [sorted(set(postcodes.values()))]) if has_directory else pd.DataFrame(
            {"postcode": pd.Series(dtype=str), "datazone_code": pd.Series(dtype=str)})
        datazones |= set(looked_up["datazone_code"])
        unknown = sorted({t for t, p in postcodes.items() if p not in set(looked_up["postcode"])})
        if unknown:
            raise UserAreaError(f"{len(unknown)} postcode(s) are not in the postcode directory of this warehouse: "
                                f"{', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''}")
    return sorted(datazones)


def _postcode(text: str) -> str | None:
    """``"ab10  1ab"`` → ``"AB10 1AB"`` (as stored in ``core.dim_postcode``), or None if not a postcode."""
    squashed = re.sub(r"\s+", "", text).upper()
    if not POSTCODE_PATTERN.match(squashed):
        return None
    return f"{squashed[:-3]} {squashed[-3:]}"


def unknown_datazones(reader: WarehouseReader, codes: Sequence[str]) -> list[str]:
    """The codes in ``codes`` that are not 2011 data zones of this warehouse, in the order given."""
    known = set(reader.query("SELECT datazone_code FROM core.dim_datazone WHERE datazone_code IN "
                             "(SELECT unnest(?::VARCHAR[]))", [list(codes)])["datazone_code"])
    return [c for c in codes if c not in known]


def _cleaned(datazones: Sequence[str]) -> list[str]:
    """The distinct codes given, trimmed; refused when fewer than ``MIN_DATAZONES``."""
    codes = sorted({c.strip() for c in datazones if c and c.strip()})
    if len(codes) < MIN_DATAZONES:
        raise UserAreaError(f"a user-made area needs at least {MIN_DATAZONES} data zones (this one has {len(codes)}), "
                            "so that no single data zone's figures can be read from it")
    return codes


def _refuse_unknown(reader: WarehouseReader, codes: Sequence[str]) -> None:
    """Raise UserAreaError naming the codes that are not data zones of this warehouse, if any."""
    unknown = unknown_datazones(reader, codes)
    if unknown:
        raise UserAreaError(f"{len(unknown)} code(s) are not 2011 data zones in this warehouse: "
                            f"{', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}")


def _population(reader: WarehouseReader, codes: list[str]) -> int | None:
    """The area's population; raises UserAreaError for codes that are not data zones. From the
    counts held in memory when there are (~0.1 ms against ~6 ms for the query, on the profile's
    critical path), else from the warehouse."""
    facts = cell_facts(reader)
    if facts is not None:
        if not all(code in facts.population for code in codes):
            _refuse_unknown(reader, codes)
        people = [facts.population[code] for code in codes if not np.isnan(facts.population[code])]
        return int(round(sum(people))) if people else None
    found = reader.query(
        "SELECT (SELECT count(*) FROM core.dim_datazone WHERE datazone_code IN (SELECT unnest($codes))) AS known, "
        "(SELECT sum(population)::BIGINT FROM marts.areas WHERE area_type = 'datazone' "
        "AND area_code IN (SELECT unnest($codes))) AS population", {"codes": codes})
    if int(found["known"].iloc[0]) < len(codes):
        _refuse_unknown(reader, codes)
    population = found["population"].iloc[0]
    return None if pd.isna(population) else int(population)


def _differencing(reader: WarehouseReader, codes: list[str], overlapping: Sequence[tuple[str, Sequence[str]]]
                  ) -> pd.DataFrame:
    """The (indicator, period) pairs differencing would expose: the profile's slowest part, run
    beside the values from the start."""
    return reader.script([(load_sql("user_area_differencing"), {"low": min(codes), "high": max(codes)})],
                         setup=_differencing_setup(),
                         tables=_differencing_tables(codes, _whole_izones(reader, codes), overlapping))


def _withheld(values: pd.DataFrame, flagged: pd.DataFrame) -> pd.DataFrame | None:
    """A copy of ``values`` with the (indicator, period) pairs that differencing flagged withheld,
    or None when that withholds nothing.

    Why a set of pairs and a skip when none is flagged: this runs on the profile's critical path
    after the check, and most areas have nothing flagged; pandas' MultiIndex matching and six
    masked assignments cost ~10 ms there for ~150 rows."""
    if flagged.empty or values.empty:
        return None
    pairs = set(zip(flagged["indicator_id"], flagged["period_label"], strict=True))
    risky = np.fromiter((pair in pairs for pair in zip(values["indicator_id"], values["period_label"], strict=True)),
                        dtype=bool, count=len(values))
    hide = risky & ~values["is_suppressed"].to_numpy(dtype=bool, na_value=False)
    if not hide.any():
        return None
    values = values.copy()
    values.loc[hide, ["numerator", "value", "ci_lower", "ci_upper"]] = None
    values.loc[hide, "is_suppressed"] = True
    # the one reason of every withheld value (etl/withheld.py): "differencing" beside "primary"
    # would tell which withheld values of the area are small counts
    values.loc[hide, "suppression_reason"] = WITHHELD_REASON
    values.loc[hide, "is_low_reliability"] = False
    values.loc[hide, "note"] = None
    return values


class PendingUserArea:
    """A user-made area's values by the indicators' own disclosure rules, with the differencing
    check still running.

    Why: the check (~50 ms of DuckDB) is the slowest part of a profile, and what is made from the
    values (trend tests, comparisons: ~30-40 ms of Python) need not wait for it: the caller may
    start on ``unchecked`` at once and keep that work only when :meth:`checked` says that the
    check withheld nothing. ``unchecked`` must never be shown.
    """

    def __init__(self, unchecked: UserAreaProfile, checking: Future[pd.DataFrame]) -> None:
        self.unchecked = unchecked
        self._checking = checking

    def checked(self) -> tuple[UserAreaProfile, bool]:
        """The profile with differencing control applied, and whether the check withheld anything
        (then whatever was made from ``unchecked`` must be made again)."""
        values = _withheld(self.unchecked.values, self._checking.result())
        if values is None:
            return self.unchecked, False
        return replace(self.unchecked, values=values), True


def start_user_area_profile(
    reader: WarehouseReader,
    datazones: Sequence[str],
    *,
    saved_areas: Sequence[Sequence[str]] = (),
) -> PendingUserArea:
    """Start the differencing check in a thread of its own (DuckDB releases the GIL), make the
    area's values meanwhile, and return them with the check pending. Raises UserAreaError for an
    area that cannot be profiled."""
    codes = _cleaned(datazones)
    if not all(DATAZONE_PATTERN.fullmatch(code) for code in codes):
        _refuse_unknown(reader, codes)  # named as unknown codes before any SQL is made of them
    code_set = set(codes)
    overlapping = [(f"saved{i}", sorted(set(zones))) for i, zones in enumerate(saved_areas)
                   if set(zones) != code_set and not code_set.isdisjoint(zones)]
    pool = ThreadPoolExecutor(max_workers=1)
    checking = pool.submit(_differencing, reader, codes, overlapping)
    pool.shutdown(wait=False)  # its one thread ends with the check
    values = _area_values(reader, codes)
    population = _population(reader, codes)  # of no use if a code is unknown: then this raises
    warnings = []
    if population is not None and population < LOW_POPULATION:
        warnings.append(f"Small area ({population:,} people): figures are unreliable and many are suppressed.")
    return PendingUserArea(UserAreaProfile(values.reset_index(drop=True), len(codes), population, tuple(warnings)),
                           checking)


def user_area_profile(
    reader: WarehouseReader,
    datazones: Sequence[str],
    *,
    saved_areas: Sequence[Sequence[str]] = (),
) -> UserAreaProfile:
    """Every indicator's values for the area, with published-area disclosure plus differencing."""
    return start_user_area_profile(reader, datazones, saved_areas=saved_areas).checked()[0]
