"""Everything an area profile shows, gathered from the warehouse in one pass (pure data).

Why: the PDF, the workbook and the CSV must show the same numbers, so one function reads the
warehouse (``marts`` and ``meta`` only, the public contract) into a plain dataclass and the
renderers never query. Statistics marts (``marts.comparisons``, ``trend``, ``inequality``,
``inequality_trend``) are used when the build has them; when a mart is absent the profile
says "not available" rather than computing a stand-in. Disclosure control is carried
through: a suppressed value keeps ``is_suppressed`` and has no number, and every renderer
writes the word "suppressed".

A user-made area (``area_type="user"``, ``area_code`` a list of data zone codes) is profiled
with the dashboard's on-demand aggregation (one join and one GROUP BY over the data zone
facts, the build's own SQL, the indicator's disclosure rule plus differencing control), and
its trend and comparison with Scotland computed by the same statistical functions the marts
use.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from dashboard.data.cell_facts import cell_facts
from dashboard.data.reader import WarehouseReader
from dashboard.data.sqlfiles import load_sql
from dashboard.data.user_areas import (
    PendingUserArea,
    UserAreaError,
    UserAreaProfile,
    start_user_area_profile,
)
from dashboard.formatting import format_date
from dashboard.labels import plural_labels, singular_labels
from dashboard.logic.fit_caveat import fit_caveat_text
from dashboard.logic.gap_verdict import HEADLINE_BASIS, HEADLINE_MEASURE, NOT_TESTED
from dashboard.logic.local_label import local_label
from dashboard.logic.provenance import (
    CpopRating,
    cpop_rating,
    dataset_lookup,
    demo_line,
    latest_observed,
    provenance_line,
    published_for,
    trend_reason,
    value_labels,
    with_datasets,
)
from dashboard.logic.records import records
from dashboard.safe_cells import clean_text

SQL_DIR = Path(__file__).resolve().parent / "sql"
NOT_AVAILABLE = "not available"
SUPPRESSED = "suppressed"
USER_AREA_TYPE = "user"
TOP_N = 5
# The six national SOA priorities in their published order (DOMAIN.md).
PRIORITY_ORDER = ("economy", "employment", "early_years", "safer_communities", "health", "older_people")
COMPARATOR_LABELS = {"scotland": "Scotland", "council": "Council", "family_group": "the family group",
                     "baseline": "Baseline"}
ROLE_ORDER = ("area", "council", "scotland")


class _HasReader(Protocol):
    reader: WarehouseReader


class ProfileError(ValueError):
    """The area cannot be profiled as asked (unknown area, bad user-made area)."""


@cache
def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _num(value: Any) -> float | None:
    """A float, or None for None/NaN/NA (never 0 for a missing value)."""
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _date_text(value: Any) -> str | None:
    """A date as ISO ``YYYY-MM-DD`` (timestamps lose their midnight time)."""
    if _text(value) is None:
        return None
    try:
        return pd.Timestamp(value).date().isoformat()
    except (TypeError, ValueError):
        return str(value)


def _year_text(value: Any) -> str | None:
    number = _num(value)
    return None if number is None else str(int(number))


def _bool(value: Any) -> bool:
    return False if _text(value) is None else bool(value)


@dataclass(frozen=True)
class SeriesPoint:
    """One published value: an area (or comparator) × period, exactly as in marts.indicator_values."""

    indicator_id: str
    role: str
    area_code: str
    area_name: str
    period_label: str
    period_year: int
    numerator: float | None
    denominator: float | None
    value: float | None
    ci_lower: float | None
    ci_upper: float | None
    is_suppressed: bool
    suppression_reason: str | None = None
    value_type: str | None = None
    is_revised: bool = False
    is_low_reliability: bool = False
    source_release: str | None = None
    value_source: str | None = None  # published / computed / estimated
    note: str | None = None  # the warehouse's plain-words note (an estimate, a count above its base)
    dataset: str | None = None  # the publisher's dataset the value comes from

    @property
    def labels(self) -> list[str]:
        """'imputed by the publisher' / 'projected by the publisher', 'estimated', 'revised' (empty: observed)."""
        return value_labels(self.value_type, self.value_source, self.is_revised)

    @property
    def has_interval(self) -> bool:
        return self.ci_lower is not None and self.ci_upper is not None

    @property
    def flags(self) -> str:
        """Human-readable flags: suppressed, the value's labels (imputed or projected by the publisher,
        estimated, revised), low reliability."""
        out = [SUPPRESSED] if self.is_suppressed else []
        out += self.labels
        if self.is_low_reliability:
            out.append("low reliability")
        return "; ".join(out)


@dataclass(frozen=True)
class Comparison:
    """The area's latest value against one comparator, with the mart's significance verdict."""

    comparator: str
    label: str
    period_label: str | None
    value: float | None
    is_suppressed: bool
    verdict: str  # better / similar / worse / not comparable / not available


@dataclass(frozen=True)
class TrendInfo:
    """A row of marts.trend (or the same computation for a user-made area)."""

    verdict: str
    baseline_period_label: str | None
    baseline_value: float | None
    latest_period_label: str | None
    latest_value: float | None
    change_abs: float | None
    change_pct: float | None
    improvement_since_baseline_pct: float | None
    improvement_rag: str | None
    method: str | None
    p_value: float | None
    points: int | None
    cpop: CpopRating | None = None  # the Improvement Service's own improvement rate and rating


@dataclass(frozen=True)
class InequalityInfo:
    """Inequality within the area's parent (council or Scotland) from marts.inequality(_trend)."""

    parent_area_type: str
    parent_area_code: str
    parent_name: str
    basis: str
    measure: str
    verdict: str  # narrowing / widening / no significant change / cannot be calculated / not available
    first_period_label: str | None
    last_period_label: str | None
    period_label: str | None
    sii: float | None
    sii_lower: float | None
    sii_upper: float | None
    absolute_gap: float | None
    relative_gap: float | None
    most_deprived_value: float | None
    least_deprived_value: float | None


@dataclass(frozen=True)
class IndicatorProfile:
    """One indicator in the profile: catalogue fields, latest value, verdicts, chart series."""

    indicator_id: str
    title: str
    short_title: str
    soa_priority: str
    soa_priority_label: str
    definition: str
    unit_label: str
    polarity: str
    measure_type: str
    source: str
    ci_method: str
    disclosure_rule: str
    caveats: str
    last_update: str | None
    latest: SeriesPoint | None
    comparisons: tuple[Comparison, ...]
    trend: TrendInfo | None
    inequality: InequalityInfo | None
    series: tuple[SeriesPoint, ...]
    note: str | None = None  # e.g. why there is no value for this area type
    publisher: str = ""
    local_label: str = ""  # 'Local data: <organisation> (<restriction>)' for a local dataset; '' when national
    demo_note: str = ""  # the fictional demo's label, printed on this indicator's chart files (demo only)

    @property
    def source_line(self) -> str:
        """Where the latest value comes from: 'Improvement Service, CPOP September 2023'."""
        p = self.latest
        if p is None:
            return ""
        return provenance_line(p.value_source or "computed", self.publisher, p.dataset, p.source_release)

    @property
    def projection(self) -> SeriesPoint | None:
        """The publisher's newest projection for the area, when it runs past the latest value."""
        own = [p for p in self.role_series("area") if p.value_type == "projected" and p.value is not None]
        if not own or self.latest is None or own[-1].period_year <= self.latest.period_year:
            return None
        return own[-1]

    @property
    def trend_reason(self) -> str:
        """Why the trend verdict is 'cannot be calculated', in words ('' otherwise)."""
        p = self.latest
        if self.trend is None or p is None:
            return ""
        return trend_reason(self.trend.verdict, has_interval=p.has_interval, has_counts=p.numerator is not None,
                            points=self.trend.points)

    @property
    def trend_verdict(self) -> str:
        return self.trend.verdict if self.trend else NOT_AVAILABLE

    @property
    def inequality_verdict(self) -> str:
        return self.inequality.verdict if self.inequality else NOT_AVAILABLE

    def comparison(self, comparator: str) -> Comparison | None:
        """The comparison with ``comparator`` ('scotland', 'council', 'family_group'), if any."""
        return next((c for c in self.comparisons if c.comparator == comparator), None)

    def role_series(self, role: str) -> tuple[SeriesPoint, ...]:
        """The series of one role ('area', 'council', 'scotland'), in period order."""
        return tuple(p for p in self.series if p.role == role)


@dataclass(frozen=True)
class Change:
    """One line of "what is getting better / worse"."""

    indicator_id: str
    short_title: str
    unit_label: str
    verdict: str
    baseline_period_label: str | None
    baseline_value: float | None
    latest_period_label: str | None
    latest_value: float | None
    improvement_since_baseline_pct: float | None


@dataclass(frozen=True)
class ProfileData:
    """Everything one area profile shows; renderers turn it into PDF, XLSX or CSV."""

    area_type: str
    area_type_label: str
    area_code: str
    area_name: str
    council_code: str | None
    council_name: str | None
    population: int | None
    datazone_count: int | None
    build: Mapping[str, Any]
    as_of: str
    priorities: tuple[tuple[str, str], ...]
    indicators: tuple[IndicatorProfile, ...]
    improving: tuple[Change, ...] | None  # None: marts.trend not available
    worsening: tuple[Change, ...] | None
    boundary: Mapping[str, Any] | None
    context_boundary: Mapping[str, Any] | None
    sources: tuple[Mapping[str, Any], ...]
    available_marts: frozenset[str]
    warnings: tuple[str, ...] = ()
    datazones: tuple[str, ...] = field(default_factory=tuple)
    context_name: str | None = None  # what the grey outline on the map is

    @property
    def demo_line(self) -> str | None:
        """The line every export of the fictional demo carries (None on real data)."""
        return demo_line(self.build)

    def by_priority(self) -> list[tuple[str, str, list[IndicatorProfile]]]:
        """(priority id, label, indicators) in SOA order, skipping empty priorities."""
        out = []
        for pid, label in self.priorities:
            members = [i for i in self.indicators if i.soa_priority == pid]
            if members:
                out.append((pid, label, members))
        return out


# ---------------------------------------------------------------- gathering


def _reader(source: WarehouseReader | _HasReader) -> WarehouseReader:
    reader = getattr(source, "reader", source)
    if not hasattr(reader, "query"):
        raise TypeError("argument 'queries_or_reader' must be a Queries or a WarehouseReader")
    return reader  # type: ignore[return-value]


def _point(row: Mapping[str, Any]) -> SeriesPoint:
    suppressed = _bool(row.get("is_suppressed"))
    return SeriesPoint(
        indicator_id=str(row["indicator_id"]),
        role=str(row["role"]),
        area_code=str(row.get("area_code") or ""),
        area_name=str(row.get("area_name") or ""),
        period_label=str(row["period_label"]),
        period_year=int(row["period_year"]),
        # disclosure: a suppressed row never carries a number, whatever the input holds
        numerator=None if suppressed else _num(row.get("numerator")),
        denominator=_num(row.get("denominator")),
        value=None if suppressed else _num(row.get("value")),
        ci_lower=None if suppressed else _num(row.get("ci_lower")),
        ci_upper=None if suppressed else _num(row.get("ci_upper")),
        is_suppressed=suppressed,
        suppression_reason=_text(row.get("suppression_reason")),
        value_type=_text(row.get("value_type")),
        is_revised=_bool(row.get("is_revised")),
        is_low_reliability=_bool(row.get("is_low_reliability")),
        source_release=_text(row.get("source_release")),
        value_source=_text(row.get("value_source")),
        note=_text(row.get("note")),
        dataset=_text(row.get("dataset")),
    )


def _trend_info(row: Mapping[str, Any]) -> TrendInfo:
    points = _num(row.get("trend_points"))
    return TrendInfo(
        verdict=_text(row.get("trend_verdict")) or "cannot be calculated",
        baseline_period_label=_text(row.get("baseline_period_label")),
        baseline_value=_num(row.get("baseline_value")),
        latest_period_label=_text(row.get("latest_period_label")),
        latest_value=_num(row.get("latest_value")),
        change_abs=_num(row.get("change_abs")),
        change_pct=_num(row.get("change_pct")),
        improvement_since_baseline_pct=_num(row.get("improvement_since_baseline_pct")),
        improvement_rag=_text(row.get("improvement_rag")),
        method=_text(row.get("trend_method")),
        p_value=_num(row.get("trend_p_value")),
        points=None if points is None else int(points),
        cpop=cpop_rating(row),
    )


def _geometry(text: Any) -> dict[str, Any] | None:
    raw = _text(text)
    if not raw:
        return None
    try:
        geom = json.loads(raw)
    except ValueError:
        return None
    return geom if isinstance(geom, dict) and geom.get("type") in ("Polygon", "MultiPolygon") else None


class _Gatherer:
    """Reads what a profile needs; one instance per profile_data call."""

    def __init__(self, reader: WarehouseReader, keep: Any = None) -> None:
        self.reader = reader
        self._keep = keep  # Queries.parsed when called from the dashboard: per-build memo
        tables = self.constant("public_tables", _sql("public_tables"))
        self.tables = {f"{s}.{t}" for s, t in zip(tables["schema_name"], tables["table_name"], strict=True)}
        self.marts = frozenset(t.split(".", 1)[1] for t in self.tables if t.startswith("marts."))

    def has(self, table: str) -> bool:
        return table in self.tables

    def query(self, sql: str, params: Any = None) -> pd.DataFrame:
        return self.reader.query(sql, params)

    def constant(self, name: str, sql: str, params: Any = None) -> pd.DataFrame:
        """A result that cannot change within a build (catalogue, Scotland's series): read once
        per build when a Queries memo is at hand. Treat it as read-only."""
        if self._keep is None:
            return self.query(sql, params)
        key = ("profile", name, repr(params))
        return self._keep(key, lambda: self.query(sql, params))

    def memo(self, name: str, params: Any, make: Any) -> Any:
        """``make()`` once per build (when a Queries memo is at hand) for values derived only from
        constant results. Treat the result as read-only."""
        if self._keep is None:
            return make()
        return self._keep(("profile", name, repr(params)), make)

    def rows_for(self, table: str, where: str, params: Mapping[str, Any], *, constant: bool = False) -> pd.DataFrame:
        """``SELECT * FROM table WHERE ...`` or an empty frame when the mart is absent
        (``constant``: read once per build, see ``constant``)."""
        if not self.has(table):
            return pd.DataFrame()
        sql = f"SELECT * FROM {table} WHERE {where}"
        return self.constant(table, sql, dict(params)) if constant else self.query(sql, dict(params))


def profile_data(
    queries_or_reader: WarehouseReader | _HasReader,
    area_type: str,
    area_code: str | Sequence[str],
    *,
    area_name: str | None = None,
    saved_areas: Sequence[Sequence[str]] = (),
) -> ProfileData:
    """Gather an area's profile from the warehouse (marts and meta only).

    ``area_type``/``area_code`` name a published area (``marts.areas``). For a user-made area
    pass ``area_type="user"`` and the list of its data zone codes as ``area_code``
    (``area_name`` labels it; ``saved_areas`` are the user's other areas, for differencing
    control). Raises ProfileError when the area is unknown.
    """
    area_name = None if area_name is None else clean_text(area_name)  # a user's name may hold lone surrogates
    if area_type == USER_AREA_TYPE:
        if isinstance(area_code, str):
            raise ProfileError("a user-made area is given as a list of data zone codes, not one code")
        # the differencing check runs in DuckDB (which releases the GIL) while this thread makes
        # the values, reads the catalogue and the comparators' series and makes the trends
        try:
            pending = start_user_area_profile(_reader(queries_or_reader), list(area_code), saved_areas=saved_areas)
        except UserAreaError as exc:
            raise ProfileError(str(exc)) from exc
        return _profile_data(queries_or_reader, area_type, area_code, area_name, pending)
    return _profile_data(queries_or_reader, area_type, area_code, area_name, None)


def _build_constants(g: _Gatherer) -> tuple[dict[str, Any], pd.DataFrame, dict[str, str], tuple[dict[str, Any], ...]]:
    """Build info, the catalogue, area type labels and the sources: the same for every profile."""
    build = g.constant("build_info", "SELECT * EXCLUDE (sources) FROM meta.build_info LIMIT 1") \
        if g.has("meta.build_info") else pd.DataFrame()
    build_info = records(build)[0] if not build.empty else {}
    indicators = g.constant("indicators", "SELECT * FROM meta.indicators")
    type_labels = g.constant("area_types", "SELECT * FROM meta.area_types ORDER BY sort_order, area_type") \
        if g.has("meta.area_types") else pd.DataFrame(columns=["area_type", "label"])
    labels = singular_labels(type_labels)
    sources = tuple(records(g.constant("sources", "SELECT source, release, file_name, size_bytes, sha256 "
                                        "FROM meta.sources ORDER BY source, release, file_name"))) \
        if g.has("meta.sources") else ()
    return build_info, indicators, labels, sources


def _indicator_records(g: _Gatherer, indicators: pd.DataFrame) -> list[dict[str, Any]]:
    """The catalogue as rows, once per build (every profile walks it). Read-only."""
    return g.memo("indicator_records", None, lambda: records(indicators))


def _datasets(g: _Gatherer) -> dict[Any, str]:
    """Which publisher's dataset each value comes from (``value_datasets.sql``), once per build."""
    if not (g.has("marts.indicator_releases") and g.has("meta.indicator_mappings")):
        return {}
    return g.memo("value_datasets", None, lambda: dataset_lookup(records(g.query(load_sql("value_datasets")))))


def _plurals(g: _Gatherer) -> dict[str, str]:
    """Plural area type labels in display order ('Council areas (CPPs)'), for 'published for … only'."""
    if not g.has("meta.area_types"):
        return {}
    return g.memo("plurals", None, lambda: plural_labels(
        g.constant("area_types", "SELECT * FROM meta.area_types ORDER BY sort_order, area_type")))


def warm_profile_constants(queries: _HasReader) -> None:
    """Read what every profile (and every user-made area's profile) shares, once per build.

    Why: ``cpop serve`` calls this after each rebuild (``dashboard.data.warmer``), so the first
    officer to open a profile or draw an area does not also pay for the data zones' counts
    (``dashboard.data.cell_facts``), the catalogue (and its rows),
    Scotland's series and the council's series, inequality rows and outline (the comparators, the
    parent and the map's background).
    """
    g = _Gatherer(_reader(queries), getattr(queries, "parsed", None))
    build_info, indicators, _, _ = _build_constants(g)
    _indicator_records(g, indicators)
    _plurals(g)
    _trend_meta_of(g, indicators)
    _as_of(g, build_info, indicators)
    _scotland_published(g, indicators)
    _datazone_councils(g)
    if g.has("marts.areas"):  # and each council's comparators: ~50 ms a council, small rows
        for code in g.constant("council_codes", "SELECT area_code FROM marts.areas WHERE area_type = 'council' "
                               "ORDER BY area_code")["area_code"]:
            _comparator_part(g, "council_series", {"council_code": str(code)})
            _inequality(g, "council", str(code))
            if g.has("marts.area_boundaries"):  # the outline behind a map of any area inside it
                _context_boundary(g, "council", str(code))
    cell_facts(_reader(queries))  # the counts a user-made area is summed from (~0.5 s at Scotland scale)


def _profile_data(queries_or_reader: WarehouseReader | _HasReader, area_type: str, area_code: str | Sequence[str],
                  area_name: str | None, pending: PendingUserArea | None) -> ProfileData:
    g = _Gatherer(_reader(queries_or_reader), getattr(queries_or_reader, "parsed", None))
    build_info, indicators, labels, sources = _build_constants(g)
    plurals = _plurals(g)
    warnings: list[str] = []
    datazones: tuple[str, ...] = ()

    if pending is not None:
        # everything that does not need the area's values is read while DuckDB checks them
        context = _user_context(g, list(area_code), area_name or "User-made area")
        area = context.area
    else:
        if not isinstance(area_code, str):
            raise ProfileError("argument 'area_code' must be one area code for a published area type")
        area = _published_area(queries_or_reader, g, area_type, area_code)
        if area is None:
            raise ProfileError(f"no area of type '{area_type}' with code '{area_code}' in marts.areas")
        if caveat := fit_caveat_text(area):
            warnings.append(f"Best-fit area. {caveat}")
        series = with_datasets(g.query(load_sql("area_series"), {"area_type": area_type, "area_code": area_code}),
                               _datasets(g))
        comparisons = g.rows_for("marts.comparisons", "area_type = $t AND area_code = $c",
                                 {"t": area_type, "c": area_code})
        trend = g.rows_for("marts.trend", "area_type = $t AND area_code = $c", {"t": area_type, "c": area_code})
        if g.has("marts.trend") and area_type == "datazone":
            warnings.append("Data zone values are small numbers; many are suppressed and intervals are wide.")

    parent_type, parent_code, parent_name = _inequality_parent(area_type, area)
    inequality = _inequality(g, parent_type, parent_code)

    boundary, context_boundary, context_name = None, None, None
    if g.has("marts.area_boundaries"):
        if area_type != USER_AREA_TYPE:
            boundary = _boundary(g, area_type, str(area["area_code"]))
        council = _text(area.get("council_code"))
        if council and area_type != "council":
            context_boundary, context_name = _context_boundary(g, "council", council), _text(area.get("council_name"))
        elif area_type in ("council", "hscp", "health_board"):
            scotland = g.constant("scotland", "SELECT area_code, area_name FROM marts.areas WHERE area_type = 'scotland'")
            if not scotland.empty:
                context_boundary = _context_boundary(g, "scotland", str(scotland["area_code"].iloc[0]))
                context_name = str(scotland["area_name"].iloc[0])

    if pending is not None:
        area, own_rows, comparisons, trend, warnings = _user_values(g, indicators, context, pending)
        datazones = context.codes
        points = [*context.points, *(_point(r) for r in own_rows)]
    else:
        points = [_point(r) for r in records(series)] if not series.empty else []
    by_indicator: dict[str, list[SeriesPoint]] = {}
    for p in points:
        by_indicator.setdefault(p.indicator_id, []).append(p)

    trends = _trends_by_indicator(trend, g.has("marts.trend") or area_type == USER_AREA_TYPE)
    comparison_rows = _by_keys(comparisons, ("indicator_id", "period_label"))
    profiles = []
    for row in _indicator_records(g, indicators):
        iid = str(row["indicator_id"])
        pts = sorted(by_indicator.get(iid, []), key=lambda p: (ROLE_ORDER.index(p.role), p.period_year,
                                                                 p.period_label))
        own = [p for p in pts if p.role == "area"]
        index = latest_observed([p.value_type for p in own])
        latest = None if index is None else own[index]
        note = None
        if latest is None:
            geos = row.get("geographies")
            geos = [str(g) for g in geos] if geos is not None else []
            built = [g for g in geos if g in plurals] or geos
            if area_type == USER_AREA_TYPE:
                note = f"not available for user-made areas: {published_for(built, plurals)}"
            elif area_type not in geos:
                note = published_for(built, plurals)
            else:
                note = "no data for this area"
        profiles.append(IndicatorProfile(
            indicator_id=iid,
            title=str(row.get("title") or iid),
            short_title=str(row.get("short_title") or row.get("title") or iid),
            soa_priority=str(row.get("soa_priority") or ""),
            soa_priority_label=str(row.get("soa_priority_label") or ""),
            definition=_text(row.get("definition")) or "",
            unit_label=_text(row.get("unit_label")) or "",
            polarity=_text(row.get("polarity")) or "",
            measure_type=_text(row.get("measure_type")) or "",
            source=_text(row.get("source")) or "",
            ci_method=_text(row.get("ci_method")) or "",
            disclosure_rule=_text(row.get("disclosure_rule")) or "",
            caveats=_text(row.get("caveats")) or "",
            last_update=_date_text(row.get("last_update")),
            latest=latest,
            comparisons=_comparisons(area_type, area, latest, pts, comparison_rows, iid),
            trend=trends.get(iid),
            inequality=_inequality_for(inequality, iid, parent_type, parent_code, parent_name,
                                       g.has("marts.inequality_trend") or g.has("marts.inequality")),
            series=tuple(pts),
            note=note,
            publisher=_text(row.get("publisher")) or "",
            local_label=local_label(row),
            demo_note=demo_line(build_info) or "",
        ))
    profiles.sort(key=lambda p: (_priority_rank(p.soa_priority), p.indicator_id))
    priorities = tuple(dict.fromkeys((p.soa_priority, p.soa_priority_label) for p in profiles))

    has_trend = g.has("marts.trend") or area_type == USER_AREA_TYPE
    improving, worsening = _changes(profiles) if has_trend else (None, None)

    as_of = _as_of(g, build_info, indicators)
    population = _num(area.get("population"))
    count = _num(area.get("datazone_count"))
    return ProfileData(
        area_type=area_type,
        area_type_label=labels.get(area_type, "User-made area" if area_type == USER_AREA_TYPE else area_type),
        area_code=str(area["area_code"]),
        area_name=str(area["area_name"]),
        council_code=_text(area.get("council_code")),
        council_name=_text(area.get("council_name")),
        population=None if population is None else int(population),
        datazone_count=None if count is None else int(count),
        build={k: v for k, v in build_info.items()},
        as_of=as_of,
        priorities=priorities,
        indicators=tuple(profiles),
        improving=improving,
        worsening=worsening,
        boundary=boundary,
        context_boundary=context_boundary,
        sources=sources,
        available_marts=g.marts,
        warnings=tuple(warnings),
        datazones=datazones,
        context_name=context_name if context_boundary is not None else None,
    )


def _published_area(source: WarehouseReader | _HasReader, g: _Gatherer, area_type: str, area_code: str
                    ) -> dict[str, Any] | None:
    """The area's row as every page reads it (``every_area.sql``: marts.areas with its best-fit caveat),
    or None when there is no such area.

    Why one query for pages and exports: the export read ``marts.areas`` and the caveat's columns with
    queries of its own, the page's logic written a second time. From the dashboard the row comes
    from ``Queries.area`` (every area, read once per build); a bare reader (the CLI's exports) runs the
    same SQL for this one area.
    """
    lookup = getattr(source, "area", None)
    if callable(lookup):
        return lookup(area_type, area_code)
    found = records(g.query(f"SELECT * FROM ({load_sql('every_area')}) WHERE area_type = $t AND area_code = $c",
                            {"t": area_type, "c": area_code}))
    return found[0] if found else None


def _as_of(g: _Gatherer, build_info: Mapping[str, Any], indicators: pd.DataFrame) -> str:
    """``data_as_of`` of the whole catalogue, once per build: every profile lists every indicator,
    each with its catalogue date (``IndicatorProfile.last_update``)."""
    return g.memo("as_of", None, lambda: data_as_of(
        [_date_text(row.get("last_update")) for row in _indicator_records(g, indicators)], build_info.get("built_at")))


def data_as_of(last_updates: Sequence[Any], built_at: Any) -> str:
    """The data's own date: the newest catalogue update of the indicators shown, as the board report
    says it (the build date only when no indicator has one). The PDF and the About page say it so."""
    updates = pd.to_datetime(pd.Series(list(last_updates), dtype="object"), errors="coerce").dropna()
    stamp = updates.max() if len(updates) else (pd.Timestamp(built_at) if built_at is not None else None)
    return format_date(stamp, missing=NOT_AVAILABLE)


def _priority_rank(priority: str) -> int:
    return PRIORITY_ORDER.index(priority) if priority in PRIORITY_ORDER else len(PRIORITY_ORDER)


def _boundary(g: _Gatherer, area_type: str, area_code: str) -> dict[str, Any] | None:
    df = g.query("SELECT geojson FROM marts.area_boundaries WHERE area_type = $t AND area_code = $c",
                 {"t": area_type, "c": area_code})
    return None if df.empty else _geometry(df["geojson"].iloc[0])


def _context_boundary(g: _Gatherer, area_type: str, area_code: str) -> dict[str, Any] | None:
    """A council's or Scotland's outline, drawn behind an area: once per build and area (there
    are few of them, and every profile inside one needs the same outline). Read-only."""
    return g.memo("context_boundary", (area_type, area_code), lambda: _boundary(g, area_type, area_code))


def _by_keys(frame: pd.DataFrame, keys: Sequence[str]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Rows grouped by ``keys`` (as text), read once instead of filtering per indicator."""
    out: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    if frame.empty or not all(k in frame for k in keys):
        return out
    for row in records(frame):
        out.setdefault(tuple(str(row[k]) for k in keys), []).append(row)
    return out


def _comparisons(area_type: str, area: Mapping[str, Any], latest: SeriesPoint | None, pts: list[SeriesPoint],
                 mart: dict[tuple[str, ...], list[dict[str, Any]]], indicator_id: str) -> tuple[Comparison, ...]:
    """Scotland, council and (councils only) family group, for the latest period.

    Values come from the published series (or the mart's comparator_value); verdicts come only
    from marts.comparisons, else "not available".
    """
    if latest is None:
        return ()
    rows: dict[str, Mapping[str, Any]] = {}
    for r in mart.get((indicator_id, latest.period_label), []):
        rows.setdefault(str(r["comparator"]), r)
    wanted = ["scotland"]
    if area_type not in ("scotland", "council") and _text(area.get("council_code")):
        wanted.append("council")
    if area_type == "council":
        wanted.append("family_group")
    if "baseline" in rows:
        wanted.append("baseline")
    out = []
    for comparator in wanted:
        row = rows.get(comparator)
        same = next((p for p in pts if p.role == comparator and p.period_label == latest.period_label), None)
        label = COMPARATOR_LABELS[comparator]
        if comparator == "council" and _text(area.get("council_name")):
            label = str(area["council_name"])
        if row is not None:
            value = _num(row.get("comparator_value"))
            suppressed = value is None and same is not None and same.is_suppressed
            verdict = _text(row.get("verdict_95")) or "not comparable"
            period = _text(row.get("comparator_period_label")) or latest.period_label
        else:
            value = same.value if same else None
            suppressed = bool(same and same.is_suppressed)
            verdict = NOT_AVAILABLE
            period = latest.period_label if same else None
        out.append(Comparison(comparator, label, period, value, suppressed, verdict))
    return tuple(out)


def _trends_by_indicator(trend: pd.DataFrame, has_mart: bool) -> dict[str, TrendInfo]:
    """Each indicator's trend row (the first when there are several), read once for the profile."""
    if not has_mart or trend.empty:
        return {}
    out: dict[str, TrendInfo] = {}
    for row in records(trend):
        out.setdefault(str(row["indicator_id"]), _trend_info(row))
    return out


def _inequality_parent(area_type: str, area: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    """Inequality is measured within councils and Scotland: the area's own, or its council's."""
    if area_type in ("council", "scotland"):
        return area_type, str(area["area_code"]), str(area["area_name"])
    council = _text(area.get("council_code"))
    if council:
        return "council", council, _text(area.get("council_name")) or council
    return None, None, None


InequalityRows = dict[str, dict[tuple[str, ...], list[dict[str, Any]]]]


def _inequality(g: _Gatherer, parent_type: str | None, parent_code: str | None) -> InequalityRows:
    """The parent's inequality rows, grouped by (indicator, basis) (once per build and parent)."""
    if parent_type is None:
        return {"trend": {}, "values": {}}
    params = {"t": parent_type, "c": parent_code}
    keys = ("indicator_id", "basis")
    return g.memo("inequality_rows", params, lambda: {
        "trend": _by_keys(g.rows_for("marts.inequality_trend", "area_type = $t AND area_code = $c", params,
                                     constant=True), keys),
        "values": _by_keys(g.rows_for("marts.inequality", "area_type = $t AND area_code = $c", params,
                                      constant=True), keys),
    })


INEQUALITY_BASIS = HEADLINE_BASIS


def _inequality_for(frames: InequalityRows, indicator_id: str, parent_type: str | None,
                    parent_code: str | None, parent_name: str | None, has_mart: bool) -> InequalityInfo | None:
    if not has_mart or parent_type is None:
        return None
    trend, values = frames["trend"], frames["values"]
    # the one headline gap verdict every page shows (dashboard.logic.gap_verdict), never the SII's
    verdict, measure, first, last = NOT_AVAILABLE, HEADLINE_MEASURE, None, None
    rows = trend.get((indicator_id, INEQUALITY_BASIS), []) if trend else []
    r = next((row for row in rows if row.get("measure") == HEADLINE_MEASURE), None)
    if r is not None:
        verdict = _text(r.get("verdict")) or NOT_TESTED
        first = _text(r.get("first_period_label")) or _year_text(r.get("first_period_year"))
        last = _text(r.get("last_period_label")) or _year_text(r.get("last_period_year"))
    latest: Mapping[str, Any] = {}
    rows = values.get((indicator_id, INEQUALITY_BASIS), [])
    if rows:
        sort = "period_year" if "period_year" in rows[0] else "period_label"
        latest = max(rows, key=lambda row: row[sort])
    if verdict == NOT_AVAILABLE and all(_num(latest.get(c)) is None for c in ("absolute_gap", "sii", "relative_gap")):
        return None  # no deprivation groups (e.g. only community-level figures): no gap to speak of
    return InequalityInfo(
        parent_area_type=parent_type, parent_area_code=str(parent_code), parent_name=str(parent_name),
        basis=INEQUALITY_BASIS, measure=measure, verdict=verdict, first_period_label=first,
        last_period_label=last, period_label=_text(latest.get("period_label")),
        sii=_num(latest.get("sii")), sii_lower=_num(latest.get("sii_lower")), sii_upper=_num(latest.get("sii_upper")),
        absolute_gap=_num(latest.get("absolute_gap")), relative_gap=_num(latest.get("relative_gap")),
        most_deprived_value=_num(latest.get("most_deprived_value")),
        least_deprived_value=_num(latest.get("least_deprived_value")),
    )


def _changes(profiles: list[IndicatorProfile]) -> tuple[tuple[Change, ...], tuple[Change, ...]]:
    """Top five significantly improving and worsening indicators, by improvement since the baseline year."""
    def change(p: IndicatorProfile) -> Change:
        t = p.trend
        assert t is not None
        return Change(p.indicator_id, p.short_title, p.unit_label, t.verdict, t.baseline_period_label,
                      t.baseline_value, t.latest_period_label, t.latest_value, t.improvement_since_baseline_pct)

    def rate(c: Change) -> float:
        return c.improvement_since_baseline_pct if c.improvement_since_baseline_pct is not None else 0.0

    better = [change(p) for p in profiles if p.trend and p.trend.verdict == "improving"]
    worse = [change(p) for p in profiles if p.trend and p.trend.verdict == "worsening"]
    better.sort(key=lambda c: -rate(c))
    worse.sort(key=rate)
    return tuple(better[:TOP_N]), tuple(worse[:TOP_N])


@dataclass(frozen=True)
class _UserContext:
    """What a user-made area's profile needs besides its own values (read while they compute)."""

    name: str
    codes: tuple[str, ...]
    council_code: str | None
    council_name: str | None
    comparators: pd.DataFrame  # Scotland's series, and the council's when the area lies in one
    by_period: dict[tuple[str, str, str], dict[str, Any]]  # (role, indicator, period) -> comparator row
    points: tuple[SeriesPoint, ...]  # the comparators' series as chart points

    @property
    def area(self) -> dict[str, Any]:
        return {"area_code": "user", "area_name": self.name, "council_code": self.council_code,
                "council_name": self.council_name}


def _datazone_councils(g: _Gatherer) -> dict[str, tuple[str, str]]:
    """Each data zone's council as (code, name), read once per build: a user-made area's
    council is then a lookup, not a query per profile."""
    frame = g.constant("datazone_councils", _sql("datazone_councils"))
    return g.memo("datazone_council_lookup", None, lambda: {
        dz: (code, name) for dz, code, name in zip(frame["datazone_code"].tolist(), frame["council_code"].tolist(),
                                                   frame["council_name"].tolist(), strict=True)})


def _user_context(g: _Gatherer, codes: list[str], name: str) -> _UserContext:
    lookup = _datazone_councils(g)
    councils = {lookup[code] for code in codes if code in lookup}
    single = len(councils) == 1
    council_code, council_name = next(iter(councils)) if single else (None, None)
    parts = [_comparator_part(g, "scotland_series", None)]
    if council_code is not None:
        parts.append(_comparator_part(g, "council_series", {"council_code": council_code}))
    frames = [p.frame for p in parts if not p.frame.empty]
    return _UserContext(name, tuple(sorted(set(codes))), council_code, council_name,
                        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(),
                        {k: v for p in parts for k, v in p.by_period.items()},
                        tuple(point for p in parts for point in p.points))


@dataclass(frozen=True)
class _ComparatorPart:
    """One comparator's series (Scotland's, or a council's) as rows, by period and as chart points."""

    frame: pd.DataFrame
    by_period: dict[tuple[str, str, str], dict[str, Any]]  # (role, indicator, period) -> row
    points: tuple[SeriesPoint, ...]


def _comparator_part(g: _Gatherer, sql_name: str, params: Mapping[str, Any] | None) -> _ComparatorPart:
    """Read and convert one comparator's series once per build (and council)."""
    def make() -> _ComparatorPart:
        frame = with_datasets(g.query(_sql(sql_name), dict(params) if params else None), _datasets(g))
        rows = records(frame)
        by_period: dict[tuple[str, str, str], dict[str, Any]] = {}
        for c in rows:
            by_period.setdefault((str(c["role"]), str(c["indicator_id"]), str(c["period_label"])), c)
        return _ComparatorPart(frame, by_period, tuple(_point(c) for c in rows))

    return g.memo(sql_name, params, make)


def _user_values(g: _Gatherer, indicators: pd.DataFrame, context: _UserContext, pending: PendingUserArea
                 ) -> tuple[dict[str, Any], list[dict[str, Any]], pd.DataFrame, pd.DataFrame, list[str]]:
    """Values, comparisons, trend and warnings for a user-made area, computed on demand.

    Why twice, at most: the trend tests and comparisons (~30-40 ms) are made from the values while
    the differencing check still runs (``PendingUserArea``), and made again from the checked values
    only when the check withheld any; what was made from unchecked values is then dropped unseen.
    """
    made = _user_figures(g, indicators, context, pending.unchecked)
    checked, withheld = pending.checked()
    return _user_figures(g, indicators, context, checked) if withheld else made


def _user_figures(g: _Gatherer, indicators: pd.DataFrame, context: _UserContext, prof: UserAreaProfile
                  ) -> tuple[dict[str, Any], list[dict[str, Any]], pd.DataFrame, pd.DataFrame, list[str]]:
    """What the profile shows of a user-made area's values.

    Values: ``dashboard.data.user_areas`` (the build's rules over the member data zones' sums,
    then the indicator's disclosure rule and differencing control).
    Trend and comparison verdicts: the same functions the marts use (etl.marts.trend,
    etl.stats.compare), applied to the published (post-suppression) values only.
    """
    from etl.marts.trend import trend_frame
    from etl.stats.compare import compare_to_value

    area = {**context.area, "population": prof.population, "datazone_count": prof.datazone_count}
    values = prof.values.assign(area_type=USER_AREA_TYPE, role="area", area_name=context.name)
    own = with_datasets(values, _datasets(g)) if "value_source" in values else values
    meta = _trend_meta_of(g, indicators)
    # Scotland is the trend's comparator (RAG, CPOP's rating): its rows are the same for every area
    trend = trend_frame(pd.concat([_published(_trend_input(own)).merge(meta, on="indicator_id"),
                                   _scotland_published(g, indicators)], ignore_index=True), area_type=USER_AREA_TYPE)
    rows = []
    own_rows = records(own)
    polarity = dict(zip(meta["indicator_id"], meta["polarity"], strict=True))
    for r in _latest_rows(own_rows):
        for comparator in ("scotland", "council"):
            c = context.by_period.get((comparator, str(r["indicator_id"]), str(r["period_label"])))
            if c is None:
                continue
            cval = None if _bool(c.get("is_suppressed")) else _num(c.get("value"))
            lo, hi = (None, None) if _bool(r.get("is_suppressed")) else (_num(r.get("ci_lower")), _num(r.get("ci_upper")))
            nan = float("nan")
            verdict = str(compare_to_value(nan if lo is None else lo, nan if hi is None else hi,
                                           nan if cval is None else cval, polarity[r["indicator_id"]]))
            rows.append({"indicator_id": r["indicator_id"], "period_label": r["period_label"],
                         "comparator": comparator, "comparator_period_label": r["period_label"],
                         "comparator_value": cval, "verdict_95": verdict})
    comparisons = pd.DataFrame(rows)
    warnings = [*prof.warnings,
                f"User-made area of {prof.datazone_count} data zones: values are computed on demand from "
                "data zone facts with the indicators' disclosure rules and differencing control."]
    return area, own_rows, comparisons, trend, warnings


def _latest_rows(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Each indicator's row of its latest period (rows without a period label left out).

    Why over rows, not a sort and groupby of the frame: this runs on a user-made area's critical
    path, after its values arrive, on ~150 rows that are records anyway (pandas cost ~3 ms)."""
    labelled = [r for r in rows if _text(r.get("period_label")) is not None]
    latest: dict[Any, Mapping[str, Any]] = {}
    # by year, a missing year last (as pandas sorts), and in their order within a year
    for r in sorted(labelled, key=lambda r: (_num(r.get("period_year")) is None, _num(r.get("period_year")) or 0.0)):
        latest[r["indicator_id"]] = r
    return list(latest.values())


def _trend_meta_of(g: _Gatherer, indicators: pd.DataFrame) -> pd.DataFrame:
    """``_trend_meta`` once per build (a user-made area's profile needs it after its values, on
    its critical path). Read-only."""
    return g.memo("trend_meta", None, lambda: _trend_meta(indicators))


def _trend_meta(indicators: pd.DataFrame) -> pd.DataFrame:
    """The catalogue columns the trend test reads."""
    return indicators[[c for c in ("indicator_id", "polarity", "measure_type", "baseline_year", "ci_method",
                                   "rolling_years") if c in indicators]]


#: the value columns the trend test reads (``etl.marts.trend.trend_frame``), and whether a row is withheld
TREND_INPUT = ("indicator_id", "area_type", "area_code", "period_label", "period_year", "numerator", "denominator",
               "value", "ci_lower", "ci_upper", "value_type", "is_suppressed")


def _trend_input(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s columns that the trend test reads: a user-made area's values carry some thirty
    (provenance, notes, datasets) that every step of the test would otherwise copy and index, on
    the profile's critical path."""
    return frame[[c for c in TREND_INPUT if c in frame.columns]]


def _published(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as published: a withheld row carries no figure."""
    out = frame.copy()
    out.loc[out["is_suppressed"].fillna(False).astype(bool), ["numerator", "value", "ci_lower", "ci_upper"]] = None
    return out


def _scotland_published(g: _Gatherer, indicators: pd.DataFrame) -> pd.DataFrame:
    """Scotland's published series with the trend's catalogue columns, once per build (warmed with
    the profile constants). Read-only."""
    def make() -> pd.DataFrame:
        scotland = _comparator_part(g, "scotland_series", None).frame
        if scotland.empty:
            return pd.DataFrame()
        return _published(_trend_input(scotland)).merge(_trend_meta_of(g, indicators), on="indicator_id")

    return g.memo("scotland_published", None, make)
