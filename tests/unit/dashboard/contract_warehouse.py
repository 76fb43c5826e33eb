"""A tiny hand-written warehouse with the public contract tables (docs/warehouse.md).

Why: dashboard tests must not depend on the ETL being finished or fast; this file holds
exactly the contract tables the dashboard reads, with values small enough to check by eye.
Shared by the unit tests (conftest) and the e2e tests (tests/e2e/conftest.py).

Areas: Scotland, one council (Fife), two wards, three data zones. Indicators: child
poverty (%, financial years) and early mortality (EASR, calendar years), three periods
each. Suppressed: data zone S01009783 child poverty 2021/22 (its latest period), and ward
S13002883 early mortality 2020 (a gap mid-series).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.warehouse_files import internal_path

SCOTLAND = ("scotland", "S92000003", "Scotland", None, None, 5_436_600, 6976)
FIFE = ("council", "S12000047", "Fife", None, None, 374_130, 494)
AREAS = [
    SCOTLAND,
    FIFE,
    ("ward", "S13002883", "Kirkcaldy Central", "S12000047", "Fife", 17_020, 24),
    ("ward", "S13002888", "Glenrothes West and Kinglassie", "S12000047", "Fife", 16_540, 22),
    ("datazone", "S01009781", "Kirkcaldy Central - 01", "S12000047", "Fife", 812, 1),
    ("datazone", "S01009782", "Kirkcaldy Central - 02", "S12000047", "Fife", 705, 1),
    ("datazone", "S01009783", "Glenrothes West - 01", "S12000047", "Fife", 640, 1),
]

WARD_CAVEAT = "Multi-member wards are not built from whole data zones."
AREA_TYPES = [
    ("datazone", "Data zone", 1, True, False, None),
    ("intermediate_zone", "Intermediate zone", 2, True, False, None),
    ("ward", "Multi-member ward", 3, True, True, WARD_CAVEAT),
    ("council", "Council area", 5, True, False, None),
    ("scotland", "Scotland", 8, True, False, None),
]

CP = "ey_child_poverty"
EM = "hi_early_mortality"
CP_PERIODS = [("2019/20", 2019), ("2020/21", 2020), ("2021/22", 2021)]
EM_PERIODS = [("2019", 2019), ("2020", 2020), ("2021", 2021)]

# (area_code, value per period in order); CI = value -/+ width.
CP_VALUES = {
    "S92000003": [20.1, 20.5, 20.9],
    "S12000047": [21.8, 22.0, 22.4],
    "S13002883": [24.1, 25.3, 26.8],
    "S13002888": [18.2, 18.9, 19.4],
    "S01009781": [30.2, 31.0, 31.7],
    "S01009782": [27.5, 27.9, 28.3],
    "S01009783": [12.4, 11.8, None],  # 2021/22 suppressed
}
EM_VALUES = {
    "S92000003": [441.2, 470.3, 452.8],
    "S12000047": [430.5, 455.1, 447.9],
    "S13002883": [512.6, None, 530.4],  # 2020 suppressed
    "S13002888": [398.7, 405.2, 388.1],
    "S01009781": [620.0, 598.4, 640.2],
    "S01009782": [480.3, 505.5, 470.0],
    "S01009783": [300.1, 310.9, 290.4],
}
SUPPRESSED = {(CP, "S01009783", "2021/22"), (EM, "S13002883", "2020")}

INDICATORS = [
    (CP, "Children in low-income families", "Child poverty", "early_years", "Early years",
     "Percentage of children aged 0 to 15 in relative low-income families.", "percentage",
     100.0, "%", "extensive", "low_is_good", "wilson", "financial"),
    (EM, "Early deaths (under 75), age-standardised rate per 100,000", "Early mortality",
     "health", "Health inequalities and physical activity",
     "Deaths under 75 per 100,000 aged under 75, ESP2013.", "age_standardised_rate",
     100000.0, "per 100,000 (EASR)", "extensive", "low_is_good", "dobson", "calendar"),
]

DDL = """
create schema marts;
create schema meta;
create table marts.areas (
    area_type varchar, area_code varchar, area_name varchar, council_code varchar,
    council_name varchar, population bigint, datazone_count integer, fit_quality double,
    footprint_share double);
create table marts.indicator_values (
    indicator_id varchar, area_type varchar, area_code varchar, period_label varchar,
    period_year integer, numerator double, denominator double, value double,
    ci_lower double, ci_upper double, is_suppressed boolean, suppression_reason varchar,
    is_revised boolean, value_type varchar, source_release varchar,
    value_source varchar default 'computed', is_estimated boolean default false,
    withheld_members hugeint default 0, members hugeint, is_low_reliability boolean default false,
    note varchar);
create table marts.indicator_releases (
    indicator_id varchar, area_type varchar, area_code varchar, period_label varchar, period_year integer,
    release varchar, dataset varchar, is_shown boolean, value double, is_withheld boolean, value_type varchar,
    ci_lower double, ci_upper double, previous_release varchar, previous_value double, is_revised boolean,
    source_file varchar, source_sheet varchar, source_row integer);
create table meta.indicator_mappings (
    indicator_id varchar, side varchar, side_index integer, dataset varchar, measurement varchar,
    units varchar);
create table meta.indicators (
    indicator_id varchar, title varchar, short_title varchar, soa_priority varchar,
    soa_priority_label varchar, definition varchar, source varchar,
    numerator_definition varchar, denominator_definition varchar, measure_type varchar,
    multiplier double, unit_label varchar, aggregation varchar, polarity varchar,
    ci_method varchar, disclosure_rule varchar, disclosure_min_count integer,
    geographies varchar[], native_geography varchar, period_type varchar, rolling_years integer default 1,
    baseline_year integer, caveats varchar, update_frequency varchar, last_update date,
    next_update date, publisher varchar default 'fixture publisher', disclosure_applied_by varchar default 'cpop',
    withheld_lower double, withheld_upper double, is_local boolean default false, local_organisation varchar,
    sharing_restriction varchar, licence varchar);
create table meta.build_info (
    build_id varchar, built_at timestamp, code_version varchar, schema_version varchar,
    demo boolean, duration_s double);
create table meta.area_types (
    area_type varchar, label varchar, sort_order integer, is_partition boolean, is_best_fit boolean,
    caveat varchar);
create table marts.trend (
    indicator_id varchar, area_type varchar, area_code varchar, trend_verdict varchar, trend_points integer,
    cpop_baseline_period varchar, cpop_latest_period varchar, cpop_improvement_rate double,
    cpop_rating varchar, cpop_rating_words varchar);
"""


def _value_rows(value_shift: float) -> list[tuple[object, ...]]:
    area_type = {code: kind for kind, code, *_ in AREAS}
    rows: list[tuple[object, ...]] = []
    for indicator_id, periods, values, width in (
        (CP, CP_PERIODS, CP_VALUES, 1.5),
        (EM, EM_PERIODS, EM_VALUES, 40.0),
    ):
        for code, series in values.items():
            for (label, year), value in zip(periods, series, strict=True):
                suppressed = (indicator_id, code, label) in SUPPRESSED
                shifted = None if value is None else round(value + value_shift, 1)
                rows.append((
                    indicator_id, area_type[code], code, label, year,
                    None if suppressed else 100.0, None if suppressed else 1000.0,
                    shifted,
                    None if shifted is None else round(shifted - width, 1),
                    None if shifted is None else round(shifted + width, 1),
                    suppressed, "primary: count 1-4" if suppressed else None,
                    False, "raw", "fixture",
                ))
    return rows


def build_internal_file(path: Path, build_id: str) -> Path:
    """The internal file of a pair (``etl.warehouse_files``): here only its build stamp."""
    path = Path(path)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema core; create schema staging; create schema raw")
        con.execute("create table core.build_stamp as select ?::varchar as build_id", [build_id])
    finally:
        con.close()
    return path


def build_contract_warehouse(
    path: Path, *, build_id: str = "fixture-a", value_shift: float = 0.0, internal: Path | None = None
) -> Path:
    """Write the fixture warehouse to ``path`` (overwritten) and return the path.

    ``value_shift`` adds a constant to every value so a second build is distinguishable. Its internal
    file (same build id) is written to ``internal``, by default where the dashboard looks for it.
    """
    path = Path(path)
    build_internal_file(internal or internal_path(path), build_id)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        # areas built from whole data zones fit exactly; wards' fit is not measured (NULL)
        con.executemany("insert into marts.areas values (?, ?, ?, ?, ?, ?, ?, "
                        "CASE WHEN ? = 'ward' THEN NULL ELSE 1.0 END, CASE WHEN ? = 'ward' THEN NULL ELSE 1.0 END)",
                        [(*a, a[0], a[0]) for a in AREAS])
        con.executemany(
            "insert into marts.indicator_values (indicator_id, area_type, area_code, period_label, period_year, "
            "numerator, denominator, value, ci_lower, ci_upper, is_suppressed, suppression_reason, is_revised, "
            "value_type, source_release) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _value_rows(value_shift),
        )
        con.execute("update marts.indicator_values set members = 1")
        for row in INDICATORS:
            (iid, title, short, prio, prio_label, definition, measure, mult, unit, agg,
             polarity, ci, period_type) = row
            con.execute(
                "insert into meta.indicators (indicator_id, title, short_title, soa_priority, soa_priority_label, "
                "definition, source, numerator_definition, denominator_definition, measure_type, multiplier, "
                "unit_label, aggregation, polarity, ci_method, disclosure_rule, disclosure_min_count, geographies, "
                "native_geography, period_type, baseline_year, caveats, update_frequency, last_update, next_update) "
                "values (?, ?, ?, ?, ?, ?, 'fixture', 'n', 'd', ?, "
                "?, ?, ?, ?, ?, 'counts 1-4 suppressed', 5, "
                "['datazone', 'ward', 'council', 'scotland'], 'datazone', ?, 2014, '', "
                "'annual', date '2025-06-01', date '2026-06-01')",
                [iid, title, short, prio, prio_label, definition, measure, mult, unit, agg,
                 polarity, ci, period_type],
            )
        con.execute(
            "insert into meta.build_info values (?, timestamp '2025-11-01 12:00:00', "
            "'0.1.0', '1', true, 1.5)",
            [build_id],
        )
        con.executemany("insert into meta.area_types values (?, ?, ?, ?, ?, ?)", AREA_TYPES)
        # every area's trend verdict: the fixture's series are short, so one is enough to test
        con.execute("insert into marts.trend (indicator_id, area_type, area_code, trend_verdict, trend_points) "
                    "select distinct indicator_id, area_type, area_code, 'no significant change', 3 "
                    "from marts.indicator_values")
        con.executemany("insert into meta.indicator_mappings values (?, 'numerator', 0, ?, 'n', 'count')",
                        [(CP, "child-poverty"), (EM, "early-mortality")])
        con.execute("checkpoint")
    finally:
        con.close()
    return path


LOCAL_ORGANISATION = "Fife Council Education Services"
LOCAL_RESTRICTION = "CPP partners only"
LOCAL_LABEL = f"Local data: {LOCAL_ORGANISATION} ({LOCAL_RESTRICTION})"


def mark_local(path: Path, indicator_id: str = EM) -> Path:
    """Make ``indicator_id`` of the fixture warehouse at ``path`` a local partner dataset (issue 15),
    as ``cpop local publish`` + a build would: is_local, its organisation, licence and restriction."""
    con = duckdb.connect(str(path))
    try:
        con.execute("update meta.indicators set is_local = true, local_organisation = ?, sharing_restriction = ?, "
                    "licence = 'Open Government Licence v3.0' where indicator_id = ?",
                    [LOCAL_ORGANISATION, LOCAL_RESTRICTION, indicator_id])
        con.execute("checkpoint")
    finally:
        con.close()
    return path
