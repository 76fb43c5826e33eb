"""Publishers' own figures and counts, withheld cells and releases, on the four-data-zone world.

Every number is worked by hand below. The world (tests/fixtures/tiny_world.py): data zones
DZ1-DZ4; IZ1 = DZ1+DZ2, IZ2 = DZ3+DZ4; ward W1 = DZ1-DZ3, W2 = DZ4; one council; the locality
is IZ1. A fictional publisher ``testpub`` ships, like CPOP:

* counts (dataset testpub-phs, release 2022-08) for data zones AND intermediate zones, the data
  zones' withheld as ``..`` (counts of 0 to 4), with its own population denominators:

  | period  | DZ1 | DZ2 | DZ3 | DZ4 | IZ1 | IZ2 |
  |---|---|---|---|---|---|---|
  | 2019/20 children   | 130 | 20  | 15  | 3  | 150 | 18 |
  | 2019/20 population | 120 | 150 | 200 | 50 | 270 | 250 |
  | 2020/21 children   | 30  | ..  | 10  | .. | 33  | 12 |
  | 2020/21 population | 100 | 150 | 200 | 50 | 250 | 250 |

* council and Scotland percentages (testpub-cpp) in two releases, 2022-08 and 2023-09, the
  later one revising 2019/20 (30.0 → 31.0) and adding an imputed and a projected year;
* intermediate-zone rates of another series (testpub-igz), nothing else, one withheld.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import etl.build as build_module
from etl.build import build
from etl.settings import Settings
from etl.sources.published import PublishedTable, PublisherReader, write_snapshot_tables
from etl.warehouse_files import open_pair
from tests.fixtures.tiny_world import DZ, write_tiny_raw

IZ1, IZ2 = "S02900001", "S02900002"
COUNCIL, SCOTLAND = "S12900001", "S92000003"
W1, W2 = "S13900001", "S13900002"
LOCALITY = "S99900001"

CHILD_POVERTY = """\
id: ey_test_child_poverty
title: Children in low-income families (test publisher)
short_title: Child poverty
soa_priority: early_years
definition: Children aged 0-15 in relative low-income families.
source: testpub counts and percentages
publisher: Test publisher
numerator_definition: Children in low-income families
denominator_definition: Children aged 0-15 (the publisher's own estimate)
measure_type: percentage
multiplier: 100
unit_label: "%"
aggregation: extensive
polarity: low_is_good
disclosure: {rule: "the publisher withholds counts of 0 to 4", min_count: 5, applied_by: publisher,
             withheld_range: [0, 4]}
native_geography: datazone
geographies: [datazone, intermediate_zone, ward, locality, council, hscp, health_board, scotland]
period_type: financial
baseline_year: 2019
update_frequency: annual
last_update: 2023-09-01
next_update: 2024-09-01
data:
  numerator: {dataset: testpub-phs, measurement: Count, units: Children}
  denominator: {dataset: testpub-phs, measurement: Count, units: Population aged 0-15}
  published:
    - {dataset: testpub-cpp, measurement: Percent, units: Child Poverty}
"""

MORTALITY = """\
id: hi_test_mortality
title: Early deaths per 100,000 (test publisher, intermediate zones only)
short_title: Early mortality
soa_priority: health
definition: Deaths under 75 per 100,000, age-standardised, as published per intermediate zone.
source: testpub intermediate-zone rates
publisher: Test publisher
numerator_definition: Not published
denominator_definition: Not published
measure_type: age_standardised_rate
multiplier: 100000
unit_label: per 100,000
aggregation: intensive
polarity: low_is_good
ci_method: none
disclosure: {rule: "withheld by the publisher", applied_by: publisher}
native_geography: intermediate_zone
geographies: [intermediate_zone]
period_type: calendar
baseline_year: 2019
update_frequency: annual
last_update: 2023-09-01
next_update: 2024-09-01
data:
  published:
    - {dataset: testpub-igz, measurement: Rate, units: EASR per 100000}
"""


def _wilson(x: float, n: float, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score limits of x/n in per cent, written out by hand."""
    root = z * math.sqrt(z * z + 4 * x * (1 - x / n))
    return (2 * x + z * z - root) / (2 * (n + z * z)) * 100, (2 * x + z * z + root) / (2 * (n + z * z)) * 100


def _table(dataset: str, rows: list[tuple]) -> PublishedTable:
    """Canonical rows (code, date, measurement, units, value, value type) in sheet order."""
    frame = pd.DataFrame(rows, columns=["FeatureCode", "DateCode", "Measurement", "Units", "Value", "ValueType"])
    frame["Value"] = frame["Value"].astype(str)
    frame["LowerCI"] = frame["UpperCI"] = ""
    frame["_source_sheet"] = dataset
    frame["_source_row"] = range(2, len(frame) + 2)
    frame["_source_column"] = "Value"
    return PublishedTable(dataset, frame)


def _counts() -> PublishedTable:
    children = {"2019/20": [130, 20, 15, 3, 150, 18], "2020/21": [30, "..", 10, "..", 33, 12]}
    population = {"2019/20": [120, 150, 200, 50, 270, 250], "2020/21": [100, 150, 200, 50, 250, 250]}
    codes = [*DZ, IZ1, IZ2]
    rows = [(c, p, "Count", "Children", v, "raw") for p, vs in children.items() for c, v in zip(codes, vs, strict=True)]
    rows += [(c, p, "Count", "Population aged 0-15", v, "raw") for p, vs in population.items()
             for c, v in zip(codes, vs, strict=True)]
    return _table("testpub-phs", rows)


def _percentages(release: str) -> PublishedTable:
    years = {"2019/20": (30.0, "raw"), "2020/21": (9.0, "raw")} if release == "2022-08" else {
        "2018/19": (28.0, "imputed"), "2019/20": (31.0, "raw"), "2020/21": (9.5, "raw"), "2021/22": (10.0, "projected")}
    return _table("testpub-cpp", [(code, p, "Percent", "Child Poverty", v, t) for code in (COUNCIL, SCOTLAND)
                                  for p, (v, t) in years.items()])


def _mortality() -> PublishedTable:
    return _table("testpub-igz", [(IZ1, "2019", "Rate", "EASR per 100000", 300, "raw"),
                                  (IZ1, "2020", "Rate", "EASR per 100000", 310, "raw"),
                                  (IZ2, "2019", "Rate", "EASR per 100000", "..", "raw"),
                                  (IZ2, "2020", "Rate", "EASR per 100000", 250, "raw")])


def _world(root: Path, *indicators: str) -> Settings:
    raw = write_tiny_raw(root / "raw")
    pub = raw / "testpub"
    write_snapshot_tables([_counts(), _percentages("2022-08")], pub / "2022-08" / "counts.xlsx.snapshot.parquet")
    write_snapshot_tables([_percentages("2023-09"), _mortality()], pub / "2023-09" / "cpp.xlsx.snapshot.parquet")
    catalogue = root / "catalogue"
    for text in indicators:
        first = text.splitlines()[0].split(": ")[1]
        priority = text.split("soa_priority: ")[1].splitlines()[0]
        (catalogue / "indicators" / priority).mkdir(parents=True, exist_ok=True)
        (catalogue / "indicators" / priority / f"{first}.yaml").write_text(text, encoding="utf-8")
    return Settings(raw_dir=raw, warehouse_path=root / "w.duckdb", catalogue_dir=catalogue)


@pytest.fixture(autouse=True)
def _test_publisher(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build reads the fictional publisher's folder (its files are snapshot tables)."""
    def unreadable(path: Path) -> list[PublishedTable]:
        raise AssertionError(f"only snapshot tables in this test, got {path}")

    monkeypatch.setattr(build_module, "PUBLISHER_READERS", [PublisherReader("testpub", (".xlsx",), unreadable)])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, list[str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "PUBLISHER_READERS", [PublisherReader("testpub", (".xlsx",), lambda p: [])])
        settings = _world(tmp_path_factory.mktemp("published"), CHILD_POVERTY, MORTALITY)
        result = build(settings)
    con = open_pair(settings.warehouse_path)  # the checks read core (the internal file) beside marts
    yield con, result.notes
    con.close()


def _value(con: duckdb.DuckDBPyConnection, area_type: str, code: str, period: str,
           indicator: str = "ey_test_child_poverty") -> dict:
    frame = con.execute("SELECT * FROM marts.indicator_values WHERE indicator_id = ? AND area_type = ? "
                        "AND area_code = ? AND period_label = ?", [indicator, area_type, code, period]).df()
    assert len(frame) == 1, (area_type, code, period, frame)
    return frame.iloc[0].to_dict()


def test_a_data_zone_withheld_at_source_stays_withheld(built: tuple) -> None:
    con, _ = built
    dz2 = _value(con, "datazone", DZ[1], "2020/21")
    assert dz2["is_suppressed"] and math.isnan(dz2["value"])
    assert dz2["suppression_reason"] == "withheld at source by the publisher"
    dz1 = _value(con, "datazone", DZ[0], "2020/21")
    assert dz1["value"] == pytest.approx(30.0) and dz1["value_source"] == "computed" and not dz1["is_suppressed"]


def test_an_area_with_a_withheld_data_zone_is_estimated_within_bounds(built: tuple) -> None:
    con, _ = built
    # W1 = DZ1 + DZ2 + DZ3: visible 30 + 10; DZ2 withheld, its IZ1 publishes 33 -> 33 - 30 = 3 (within 0..4)
    w1 = _value(con, "ward", W1, "2020/21")
    assert w1["value_source"] == "estimated" and w1["is_estimated"] and not w1["is_suppressed"]
    assert w1["numerator"] == pytest.approx(43) and w1["denominator"] == pytest.approx(450)
    assert w1["value"] == pytest.approx(43 / 450 * 100)
    low, _ = _wilson(40, 450)   # every withheld data zone at 0
    _, high = _wilson(44, 450)  # ... and at 4
    assert w1["ci_lower"] == pytest.approx(low, rel=1e-9)
    assert w1["ci_upper"] == pytest.approx(high, rel=1e-9)
    assert w1["withheld_members"] == 1 and w1["members"] == 3
    assert w1["note"].startswith("Estimated: 1 of 3 data zones withheld at source")


def test_an_area_mostly_withheld_is_not_estimated(built: tuple) -> None:
    con, _ = built
    # W2 is DZ4 alone; the locality (= IZ1) has DZ2's 150 of its 250 children withheld: more than half
    w2 = _value(con, "ward", W2, "2020/21")
    assert w2["is_suppressed"] and w2["suppression_reason"] == "withheld at source by the publisher"
    locality = _value(con, "locality", LOCALITY, "2020/21")
    assert locality["is_suppressed"] and math.isnan(locality["value"])
    assert locality["suppression_reason"] == "not estimated: 1 of 2 data zones withheld at source by the publisher"


def test_one_withheld_data_zone_does_not_blank_the_areas_above(built: tuple) -> None:
    con, _ = built
    # the health board and HSCP are nobody's published figure: all four data zones, two estimated
    # (DZ2: 33 - 30 = 3; DZ4: 12 - 10 = 2): (30 + 3 + 10 + 2) / 500
    board = _value(con, "health_board", "S08900001", "2020/21")
    assert board["value_source"] == "estimated" and board["value"] == pytest.approx(45 / 500 * 100)
    hidden = con.execute("SELECT count(*) FROM marts.indicator_values WHERE indicator_id = 'ey_test_child_poverty' "
                         "AND period_label = '2020/21' AND value IS NULL").fetchall()[0][0]
    assert hidden == 4  # DZ2, DZ4, W2, the locality; nothing else


def test_intermediate_zone_counts_are_the_zones_own_not_the_sum_of_data_zones(built: tuple) -> None:
    con, _ = built
    # 2019/20: IZ1 publishes 150 of 270 (its data zones add up to 150 of 270 too); IZ2 publishes
    # 18 of 250 (15 + 3 of 250): both the zones' own counts
    assert _value(con, "intermediate_zone", IZ1, "2019/20")["value"] == pytest.approx(150 / 270 * 100)
    assert _value(con, "intermediate_zone", IZ2, "2020/21")["value"] == pytest.approx(12 / 250 * 100)
    # the health board, from the data zones of the same file: (130 + 20 + 15 + 3) / (120 + 150 + 200 + 50)
    assert _value(con, "health_board", "S08900001", "2019/20")["value"] == pytest.approx(168 / 520 * 100)


def test_the_publishers_figure_is_shown_for_the_areas_it_publishes(built: tuple) -> None:
    con, _ = built
    council = _value(con, "council", COUNCIL, "2020/21")
    assert council["value"] == 9.5 and council["value_source"] == "published" and council["value_type"] == "raw"
    assert council["source_release"] == "2023-09"
    # our estimate from the data zones (45 / 500 = 9.0 %) does not reproduce it: no counts shown beside it
    assert math.isnan(council["numerator"]) and math.isnan(council["ci_lower"])
    types = dict(con.execute("SELECT period_label, value_type FROM marts.indicator_values WHERE area_code = ? "
                             "AND indicator_id = 'ey_test_child_poverty'", [SCOTLAND]).fetchall())
    assert types == {"2018/19": "imputed", "2019/20": "raw", "2020/21": "raw", "2021/22": "projected"}


def test_a_revision_is_flagged_and_the_older_release_stays_queryable(built: tuple) -> None:
    con, _ = built
    council = _value(con, "council", COUNCIL, "2019/20")
    assert council["value"] == 31.0 and council["is_revised"]
    assert _value(con, "council", COUNCIL, "2020/21")["is_revised"]  # 9.0 -> 9.5
    releases = con.execute("SELECT release, value, is_shown, is_revised FROM marts.indicator_releases "
                           "WHERE area_code = ? AND period_label = '2019/20' ORDER BY release", [COUNCIL]).fetchall()
    assert releases == [("2022-08", 30.0, False, False), ("2023-09", 31.0, True, True)]


def test_trend_uses_observations_only(built: tuple) -> None:
    con, _ = built
    row = con.execute("SELECT baseline_period_label, latest_period_label, latest_value FROM marts.trend "
                      "WHERE indicator_id = 'ey_test_child_poverty' AND area_type = 'council'").fetchall()
    assert row == [("2019/20", "2020/21", 9.5)]  # not the imputed 2018/19, not the projected 2021/22


def test_publisher_applied_disclosure_adds_no_suppression(built: tuple) -> None:
    con, _ = built
    # DZ4's 3 children in 2019/20 are published by the publisher: shown, and nothing hidden to protect it
    dz4 = _value(con, "datazone", DZ[3], "2019/20")
    assert dz4["numerator"] == 3 and not dz4["is_suppressed"]
    assert con.execute("SELECT count(*) FROM marts.indicator_values WHERE indicator_id = 'ey_test_child_poverty' "
                       "AND period_label = '2019/20' AND (is_suppressed OR value IS NULL)").fetchall()[0][0] == 0


def test_a_count_above_its_population_is_a_warning_on_the_value(built: tuple) -> None:
    con, notes = built
    dz1 = _value(con, "datazone", DZ[0], "2019/20")
    assert dz1["value"] == pytest.approx(130 / 120 * 100) and "above the population" in dz1["note"]
    assert con.execute("SELECT status FROM meta.check_results WHERE check_name = "
                       "'indicator_values__numerator_exceeds_denominator'").fetchall() == [("warning",)]
    assert any("numerator_exceeds_denominator (warning)" in n for n in notes)


def test_an_intermediate_zone_series_is_shown_as_published(built: tuple) -> None:
    con, _ = built
    assert _value(con, "intermediate_zone", IZ1, "2019", "hi_test_mortality")["value"] == 300
    withheld = _value(con, "intermediate_zone", IZ2, "2019", "hi_test_mortality")
    assert withheld["is_suppressed"] and withheld["suppression_reason"] == "withheld at source by the publisher"


def test_a_build_whose_only_series_is_intermediate_zone_level(tmp_path: Path) -> None:
    settings = _world(tmp_path, MORTALITY)
    build(settings)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM marts.indicator_values").fetchall()[0][0] == 4
        assert con.execute("SELECT count(*) FROM marts.inequality_groups").fetchall()[0][0] == 0
    finally:
        con.close()


def test_the_warning_names_the_publishers_file_and_row(built: tuple) -> None:
    con, _ = built
    from etl.checks import CHECKS_DIR

    rows = con.execute((CHECKS_DIR / "indicator_values__numerator_exceeds_denominator.sql").read_text()).df()
    assert len(rows) == 1 and rows.area_code[0] == DZ[0]
    assert "counts.xlsx.snapshot.parquet sheet testpub-phs row 2" in rows.source[0]


def test_a_financial_year_written_2020_21_is_a_recognised_period(tmp_path: Path) -> None:
    # statistics.gov.scot writes 2020/2021; CPOP and many publishers write 2020/21 (it used to be
    # "not a recognised period")
    raw = write_tiny_raw(tmp_path / "raw")
    tidy = raw / "statistics_gov_scot" / "2025-09" / "child-poverty.csv"
    tidy.write_text(tidy.read_text(encoding="utf-8").replace("2020/2021", "2020/21"), encoding="utf-8")
    settings = Settings(raw_dir=raw, warehouse_path=tmp_path / "w.duckdb")
    build(settings)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        assert con.execute("SELECT DISTINCT period_label, period_year FROM marts.indicator_values "
                           "WHERE indicator_id = 'ey_child_poverty'").fetchall() == [("2020/21", 2020)]
    finally:
        con.close()
