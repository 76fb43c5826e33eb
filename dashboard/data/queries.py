"""The questions pages ask of the warehouse, one method per question, cached per build.

Why: pages and callbacks never write SQL; each question is a .sql file under
``dashboard/data/sql`` run with named parameters (no string formatting of user input),
and its result is cached until the warehouse's build_id changes.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from dashboard.data.arrow_frames import frame_like_df
from dashboard.data.cache import BuildCache
from dashboard.data.reader import WarehouseReader
from dashboard.data.sqlfiles import load_sql
from dashboard.logic.local_label import local_label, local_labels
from dashboard.logic.provenance import DatasetKey, dataset_lookup, with_datasets

SCOTLAND_TYPE = "scotland"
SCOTLAND_CODE = "S92000003"
#: The columns of one indicator's series (``Queries.series``), as the trend charts read them.
SERIES_COLUMNS = ["role", "area_type", "area_code", "area_name", "period_label", "period_year", "value", "ci_lower",
                  "ci_upper", "is_suppressed", "suppression_reason", "value_type", "value_source", "is_revised",
                  "note", "source_release"]
SEARCH_LIMIT_MAX = 200


class MartUnavailable(RuntimeError):
    """A statistics mart the page needs is not in this warehouse (yet).

    Why: the statistics marts land one by one; a page must then say plainly which part is
    not available in this warehouse rather than fail or show made-up numbers.
    """

    def __init__(self, tables: tuple[str, ...]) -> None:
        self.tables = tables
        super().__init__(f"{', '.join(tables)} not available in this warehouse")


@dataclass(frozen=True)
class IndicatorMeta:
    """The catalogue fields a chart or card needs (labels come only from meta.indicators)."""

    indicator_id: str
    title: str
    short_title: str
    unit_label: str
    polarity: str
    soa_priority: str = ""
    soa_priority_label: str = ""
    measure_type: str = ""
    definition: str = ""
    local_label: str = ""  # 'Local data: <organisation> (<restriction>)' for a local dataset; '' when national

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> IndicatorMeta:
        """Build from a row of ``indicators()`` (missing optional fields become '')."""
        fields = [k for k in cls.__dataclass_fields__ if k != "local_label"]
        return cls(**{k: ("" if row.get(k) is None else str(row.get(k))) for k in fields},
                   local_label=local_label(row))


class Queries:
    """Cached, parameterised queries over one WarehouseReader.

    Every method raises WarehouseUnavailable when the file is missing or unreadable.
    Returned DataFrames are copies: callers may modify them.
    """

    def __init__(self, reader: WarehouseReader, cache: BuildCache | None = None) -> None:
        self.reader = reader
        self._cache = cache or BuildCache()
        self._parsed: dict[Hashable, Any] = {}
        self._parsed_lock = threading.Lock()

    def parsed(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """A value derived from query results (e.g. parsed GeoJSON), kept for the current build.

        Why: parsing boundaries costs more than querying them; the result is immutable
        within a build, so it is reused until the build_id changes. Treat it as read-only.
        """
        build_id = self.reader.build_id()
        with self._parsed_lock:
            if self._parsed.get("__build__") != build_id:
                self._parsed = {"__build__": build_id}
            if key in self._parsed:
                return self._parsed[key]
        value = compute()
        with self._parsed_lock:
            if self._parsed.get("__build__") == build_id and len(self._parsed) < 256:
                self._parsed[key] = value
        return value

    def _run(self, name: str, params: Mapping[str, Any] | None = None, *, through_arrow: bool = False
             ) -> pd.DataFrame:
        """The named query's rows, cached for the build. ``through_arrow`` reads them through Arrow
        (``dashboard.data.arrow_frames``: the same frame) for results of many thousand rows of text."""
        key: Hashable = (name, tuple(sorted((params or {}).items())))
        build_id = self.reader.build_id()

        def compute() -> pd.DataFrame:
            sql, values = load_sql(name), dict(params) if params else None
            if through_arrow:
                return frame_like_df(self.reader.query_arrow(sql, values))
            return self.reader.query(sql, values)

        return self._cache.get_or_compute(build_id, key, compute)

    def forget(self) -> None:
        """Drop every cached result and derived value (benchmarks time cold caches with this)."""
        self._cache = BuildCache()
        with self._parsed_lock:
            self._parsed = {}

    def fork(self) -> Queries:
        """A Queries over the same reader starting with this one's cached results, which then go
        their own way (benchmarks start each timed run from the state ``cpop serve`` warms up)."""
        other = Queries(self.reader, self._cache.copy())
        with self._parsed_lock:
            other._parsed = dict(self._parsed)
        return other

    def warm(self) -> None:
        """Read the per-build constants most pages start from: the catalogue and its coverage,
        area types, the council list and map, provenance (and where each value comes from).

        Why: after start-up or a rebuild every cache is cold, and these are what the first
        visitors' requests would all queue behind (the coverage scan alone reads every value).
        """
        self.tables_present()
        self.build_info()
        self.area_types()
        self.area_type_labels()  # "published for council areas (CPPs) … only" on several pages
        self.parsed("every_area", self._every_area)  # the rows Queries.area looks each area up in
        self.indicators()
        self.local_labels()  # every page marks local data with it
        self.explorer_indicators()
        self.value_datasets()
        self.sources()
        self.checks()
        self.search_areas("council", None, limit=100)
        self.area_boundaries("council", None)
        if self.has("marts.targets"):
            self._run("targets")  # the Area profile's trend chart looks each target up here

    def tables_present(self) -> frozenset[str]:
        """'schema.table' names of the marts and meta tables in this warehouse."""
        return frozenset(self._run("tables_present")["table_name"])

    def has(self, *tables: str) -> bool:
        """True when every named table ('marts.trend', ...) is in this warehouse."""
        return set(tables) <= self.tables_present()

    def require(self, *tables: str) -> None:
        """Raise MartUnavailable naming the tables this warehouse lacks."""
        missing = tuple(t for t in tables if t not in self.tables_present())
        if missing:
            raise MartUnavailable(missing)

    def _run_needing(self, tables: tuple[str, ...], name: str,
                     params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        self.require(*tables)
        return self._run(name, params)

    def area_comparisons(self, area_type: str, area_code: str) -> pd.DataFrame:
        """Latest verdict of the area against each comparator, per indicator (marts.comparisons)."""
        return self._run_needing(("marts.comparisons",), "area_comparisons",
                                 {"area_type": area_type, "area_code": area_code})

    def area_sparklines(self, area_type: str, area_code: str) -> pd.DataFrame:
        """Every indicator's series for one area (oldest first)."""
        return self._run("area_sparklines", {"area_type": area_type, "area_code": area_code})

    def inequality_verdicts(self, parent_type: str, parent_code: str) -> pd.DataFrame:
        """Narrowing/widening verdicts per indicator x basis x measure for a council or Scotland."""
        return self._run_needing(("marts.inequality_trend",), "inequality_verdicts",
                                 {"parent_type": parent_type, "parent_code": parent_code})

    def inequality_series(self, indicator: str, parent_type: str, parent_code: str) -> pd.DataFrame:
        """SII/RII, gaps, Duncan index and best/worst community over time (marts.inequality)."""
        return self._run_needing(("marts.inequality",), "inequality_series",
                                 {"indicator": indicator, "parent_type": parent_type, "parent_code": parent_code})

    def communities(self, council: str) -> pd.DataFrame:
        """Communities in the round: one summary row per intermediate zone of a council."""
        return self._run_needing(("marts.communities",), "communities", {"council": council})

    def spine(self, area_type: str, area_code: str, theme: str) -> pd.DataFrame:
        """Spine chart rows for the indicators of one SOA priority."""
        return self._run("spine", {"area_type": area_type, "area_code": area_code, "theme": theme})

    def areas_with_data(self, indicator: str, area_type: str, text: str | None,
                        limit: int = 50) -> pd.DataFrame:
        """Areas of a type with a published value of the indicator, matching ``text``."""
        if not 1 <= limit <= SEARCH_LIMIT_MAX:
            raise ValueError(f"limit must be between 1 and {SEARCH_LIMIT_MAX}, got {limit}")
        return self._run("areas_with_data", {"indicator": indicator, "area_type": area_type,
                                             "text": (text or "").strip(), "limit": int(limit)})

    def availability(self, indicator: str, area_type: str, area_code: str) -> dict[str, Any]:
        """Why the indicator has or lacks values for the area ({} for an unknown indicator)."""
        df = self._run("availability", {"indicator": indicator, "area_type": area_type, "area_code": area_code})
        return {} if df.empty else df.iloc[0].to_dict()

    def table_periods(self, indicators: tuple[str, ...], area_type: str) -> list[str]:
        """Period labels with rows for the indicators and area type, newest first."""
        df = self._run("table_periods", {"indicators": tuple(indicators), "area_type": area_type})
        return [str(p) for p in df["period_label"]]

    def tile_gaps(self, parent_type: str, parent_code: str) -> dict[str, str]:
        """indicator_id -> narrowing/widening verdict of the absolute gap ({} without the mart)."""
        if not self.has("marts.inequality_trend"):
            return {}
        df = self._run("tile_gaps", {"parent_type": parent_type, "parent_code": parent_code})
        return dict(zip(df.indicator_id, df.gap_verdict, strict=True))

    def explorer_indicators(self) -> pd.DataFrame:
        """Every indicator with metadata and coverage (Data Explorer): meta.indicators' columns plus
        first_period, last_period, periods, area_types and first_council_code (the first council with data)."""
        return self._run("explorer_indicators")

    def explorer_datasets(self) -> pd.DataFrame:
        """The datasets behind the build (meta.sources), with releases, sha256 and the indicators using each."""
        return self._run_needing(("meta.sources", "meta.indicator_mappings"), "explorer_datasets")

    def sources(self) -> pd.DataFrame:
        """The sources and releases read for this build, with how many files each (About)."""
        return self._run("about_sources")

    def checks(self) -> pd.DataFrame:
        """Data check results at build time (About)."""
        return self._run("about_checks")

    def table_rows(self, indicators: tuple[str, ...], area_type: str, council: str | None) -> pd.DataFrame:
        """Advanced Tables rows: indicators × areas of one type × periods, with the dataset each value
        comes from (``value_datasets``)."""
        frame = self._run("table_rows", {"indicators": tuple(indicators), "area_type": area_type, "council": council},
                          through_arrow=True)
        return with_datasets(frame, self.value_datasets())

    def value_datasets(self) -> dict[DatasetKey, str]:
        """(indicator, value_source, area_type, release) -> the publisher's dataset a value comes from
        (``dashboard.logic.provenance.dataset_of``); empty for a warehouse without releases."""
        if not self.has("marts.indicator_releases", "meta.indicator_mappings"):
            return {}
        return self.parsed("value_datasets", lambda: dataset_lookup(self._run("value_datasets").to_dict("records")))

    def rag_matrix(self, scope_code: str, area_type: str, scope_type: str = "council") -> pd.DataFrame:
        """Dashboard matrix: indicator × area verdicts for a council (the default) or a locality: the
        scope's own row (``is_scope``) and its child areas', each with its target status where one is set.

        ``area_type`` is the children's type: for a council its wards, intermediate zones or
        localities; for a locality the intermediate zones or data zones lying wholly within it.
        """
        return self._run_needing(("marts.trend", "marts.comparisons", "marts.targets"), "rag_matrix",
                                 {"scope_type": scope_type, "scope_code": scope_code, "area_type": area_type})

    def area_status(self, area_code: str, area_type: str = "council") -> pd.DataFrame:
        """Every indicator of a council (the default) or a locality with ``needs_attention`` and
        ``going_well``: the two halves of the exception report, from one query."""
        return self._run_needing(("marts.trend", "marts.comparisons", "marts.inequality_trend", "marts.targets"),
                                 "area_status", {"area_type": area_type, "area_code": area_code})

    def exceptions(self, area_code: str, area_type: str = "council") -> pd.DataFrame:
        """What needs the board's attention, most urgent first (the exception report)."""
        frame = self.area_status(area_code, area_type)
        return frame[frame.needs_attention].reset_index(drop=True)

    def going_well(self, area_code: str, area_type: str = "council") -> pd.DataFrame:
        """What is going well: improving, better than Scotland, a gap narrowing or a target on
        track, and nothing that needs attention."""
        frame = self.area_status(area_code, area_type)
        return frame[frame.going_well].reset_index(drop=True)

    def areas_in_council(self, area_type: str, council: str) -> pd.DataFrame:
        """Areas of one type lying in a council (e.g. its localities): area_code, area_name by name."""
        return self._run("areas_in_council", {"area_type": area_type, "council": council})

    def council_parts(self, council: str) -> pd.DataFrame:
        """Every area lying in a council but the council (localities, wards, intermediate zones, data
        zones …): area_type, area_type_label, area_code, area_name; larger kinds of area first."""
        return self._run("council_parts", {"council": council})

    def area_rank(self, indicator: str, area_type: str, period: str, council: str | None) -> pd.DataFrame:
        """One indicator's values for every area of a type in one period (rank chart, map)."""
        return self._run("area_rank", {"indicator": indicator, "area_type": area_type, "period": period,
                                       "council": council})

    def area_boundaries(self, area_type: str, council: str | None) -> pd.DataFrame:
        """GeoJSON geometry text per area of a type (within a council when given); empty without
        marts.area_boundaries (the map then says so)."""
        if not self.has("marts.area_boundaries"):
            return pd.DataFrame(columns=["area_code", "geojson"])
        return self._run("area_boundaries", {"area_type": area_type, "council": council})

    def council_zones(self, council: str | None) -> pd.DataFrame:
        """The council's data zones: datazone_code, datazone_name, population and the
        intermediate_zone_code/_name each lies in (the My areas map's names and IZ membership).

        Empty without marts.area_boundaries: there is then no map to select on.
        """
        columns = ["datazone_code", "datazone_name", "population", "intermediate_zone_code",
                   "intermediate_zone_name"]
        if not council or not self.has("marts.area_boundaries"):
            return pd.DataFrame(columns=columns)
        return self._run("council_zones", {"council": council})

    def datazone_summary(self, codes: tuple[str, ...]) -> dict[str, Any]:
        """How many of ``codes`` are data zones, their summed population (None when unknown) and
        the council holding most of them (None when there are none): one dict."""
        row = self._run("datazone_summary", {"codes": tuple(sorted(set(codes)))}).iloc[0]
        return {"datazone_count": int(row["datazone_count"]),
                "population": None if pd.isna(row["population"]) else int(row["population"]),
                "council_code": None if pd.isna(row["council_code"]) else str(row["council_code"])}

    def inequality_groups(self, indicator: str, parent_type: str, parent_code: str) -> pd.DataFrame:
        """Rates by deprivation group with the gap measures, for a council or Scotland."""
        return self._run_needing(("marts.inequality_groups", "marts.inequality", "marts.inequality_trend"),
                                 "inequality_groups", {"indicator": indicator, "parent_type": parent_type,
                                               "parent_code": parent_code})

    def area_trend(self, indicator: str, area_type: str, area_code: str) -> dict[str, Any]:
        """The area's marts.trend row for one indicator ({} when absent)."""
        if not self.has("marts.trend"):
            return {}
        df = self._run("area_trend", {"indicator": indicator, "area_type": area_type, "area_code": area_code})
        return {} if df.empty else df.iloc[0].to_dict()

    def datazone_geometries(self, codes: tuple[str, ...]) -> dict[str, str]:
        """GeoJSON geometry text of the given data zones."""
        df = self._run("datazone_geometries", {"codes": tuple(codes)})
        return dict(zip(df.area_code, df.geojson, strict=True))

    def build_info(self) -> dict[str, Any]:
        """meta.build_info as a dict ({} when the table is empty)."""
        df = self._run("build_info")
        return {} if df.empty else df.iloc[0].to_dict()

    def area_types(self) -> pd.DataFrame:
        """Area types present in marts.areas: area_type, label, area_count (catalogue order)."""
        return self._run("area_types")

    def area_type_labels(self) -> pd.DataFrame:
        """meta.area_types in display order: area_type, label, plural_label (when the build has it), ..."""
        return self._run("area_type_labels")

    def catalogue_updates(self) -> pd.DataFrame:
        """indicator_id, last_update, next_update of every indicator (meta.indicators)."""
        return self._run("catalogue_updates")

    def search_areas(self, area_type: str, text: str | None, limit: int = 20) -> pd.DataFrame:
        """Areas of ``area_type`` whose name or code contains ``text``, best matches first.

        Columns: area_code, area_name, council_name, match_rank. An empty text lists the
        first ``limit`` areas by name.
        """
        if not 1 <= limit <= SEARCH_LIMIT_MAX:
            raise ValueError(f"limit must be between 1 and {SEARCH_LIMIT_MAX}, got {limit}")
        params = {"area_type": area_type, "text": (text or "").strip(), "limit": int(limit)}
        return self._run("search_areas", params)

    def area(self, area_type: str, area_code: str) -> dict[str, Any] | None:
        """One row of marts.areas (with its best-fit caveat) as a dict, or None when no such area exists.

        Looked up in every area's rows (``every_area.sql``), read once per build and warmed: nearly
        every callback reads its area, and a parent's, at ~4 ms a query when asked one by one. The
        values are those a one-row frame's ``to_dict`` gave: Python values, a missing number NaN,
        any other missing value None (``_every_area``)."""
        if not (isinstance(area_type, str) and isinstance(area_code, str)):  # a malformed payload names no area
            return None
        rows = self.parsed("every_area", self._every_area)
        row = rows.get((area_type, area_code))
        return None if row is None else dict(row)

    def _every_area(self) -> dict[tuple[str, str], dict[str, Any]]:
        rows = one_row_dicts(self.reader.query_arrow(load_sql("every_area")))
        return {(row["area_type"], row["area_code"]): row for row in rows}

    def indicators(self) -> pd.DataFrame:
        """meta.indicators: ids, titles, priority, unit, polarity, measure type."""
        return self._run("indicators")

    def local_labels(self) -> dict[str, str]:
        """indicator_id → 'Local data: <organisation> (<restriction>)' for each local dataset (from
        ``indicators()``; national indicators are absent). Every surface marks local data with it."""
        return dict(self.parsed("local_labels", lambda: local_labels(self.indicators())))

    def indicator(self, indicator_id: str) -> IndicatorMeta | None:
        """One indicator's catalogue entry, or None when unknown."""
        df = self.indicators()
        match = df[df["indicator_id"] == indicator_id]
        return None if match.empty else IndicatorMeta.from_row(match.iloc[0].to_dict())

    def latest_values(self, area_type: str, area_code: str) -> pd.DataFrame:
        """Each indicator's latest period for the area, with council and Scotland values.

        Columns: indicator_id, title, short_title, soa_priority, soa_priority_label,
        unit_label, polarity, measure_type, period_label, period_year, value, ci_lower,
        ci_upper, is_suppressed, suppression_reason, value_type, value_source, note, source_release,
        dataset (where the figure comes from), projected_period_label, projected_value, council_value,
        council_is_suppressed, scotland_value, scotland_is_suppressed, trend_verdict and the cpop_ columns
        of marts.trend.
        """
        params = {
            "area_type": area_type,
            "area_code": area_code,
            "scotland_type": SCOTLAND_TYPE,
            "scotland_code": SCOTLAND_CODE,
        }
        frame = self._run("latest_values", params).assign(area_type=area_type)
        return with_datasets(frame, self.value_datasets())

    def series(self, indicator_id: str, area_type: str, area_code: str) -> pd.DataFrame:
        """The indicator's series for the area and, as comparators, its council and Scotland.

        Long form: role ('area' | 'council' | 'scotland'), area_type, area_code, area_name,
        period_label, period_year, value, ci_lower, ci_upper, is_suppressed,
        suppression_reason; ordered by role then period.
        """
        every = self.area_series(area_type, area_code)
        rows = every[every["indicator_id"] == indicator_id]
        return rows[SERIES_COLUMNS].reset_index(drop=True)

    def area_series(self, area_type: str, area_code: str) -> pd.DataFrame:
        """Every indicator's series for the area, its council and Scotland (``area_series.sql``): role,
        area_name and every column of marts.indicator_values. The one query behind the pages' trend
        charts and the exports' series, read once per area and build."""
        return self._run("area_series", {"area_type": area_type, "area_code": area_code})


    def comparator_series(self, indicator_id: str, areas: tuple[tuple[str, str], ...]) -> pd.DataFrame:
        """The indicator's series for each (area_type, area_code) in ``areas`` that has values: area_type,
        area_code, area_name, period_label, period_year, value, ci_lower, ci_upper, is_suppressed, ...
        (the columns of ``series`` but role)."""
        keys = tuple(sorted({f"{t}|{c}" for t, c in areas}))
        return self._run("comparator_series", {"indicator_id": indicator_id, "areas": keys})

    def target(self, indicator_id: str, area_type: str, area_code: str) -> dict[str, Any] | None:
        """The marts.targets row of the indicator and area as a dict, or None (no target, or no targets mart)."""
        if not self.has("marts.targets"):
            return None
        # the mart is small (one row per target): read whole once per build, then looked up in memory
        frame = self._run("targets")
        hit = frame[(frame.indicator_id == indicator_id) & (frame.area_type == area_type)
                    & (frame.area_code == area_code)]
        return None if hit.empty else hit.iloc[0].to_dict()


def one_row_dicts(table: pa.Table) -> list[dict[str, Any]]:
    """Each row of ``table`` as the dict ``query(...).iloc[0].to_dict()`` gave for that row alone: Python
    values, a missing floating-point number NaN, any other missing value None.

    Why: a many-row frame gives other missing values (NaN for missing text, floats for integers beside a
    missing one), and pages test a missing caveat with ``if``, where NaN is true."""
    floats = [field.name for field in table.schema if pa.types.is_floating(field.type)]
    rows = table.to_pylist()
    for row in rows:
        for name in floats:
            if row[name] is None:
                row[name] = math.nan
    return rows


def split_series(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Split ``Queries.series`` output by role; roles without rows are absent."""
    return {
        str(role): part.reset_index(drop=True)
        for role, part in df.groupby("role", sort=False)
        if not part.empty
    }
