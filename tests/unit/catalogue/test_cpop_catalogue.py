"""The real catalogue's CPOP indicators: valid, attributed, and mapped to what the readers produce."""

from __future__ import annotations

import pytest

from etl.catalogue import Indicator, load_catalogue
from etl.settings import REAL_CATALOGUE
from etl.sources.cpop.measures import UNITS

CPOP_IDS = {
    "economy": {"econ_median_earnings", "econ_business_survival", "econ_carbon_emissions", "econ_fragility",
                "econ_depopulation"},
    "employment": {"emp_employment_rate", "emp_out_of_work_benefits"},
    "early_years": {"ey_healthy_birthweight", "ey_p1_healthy_bmi", "ey_child_poverty", "ey_school_attainment",
                    "ey_positive_destinations", "ey_participation_rate"},
    "safer_communities": {"ss_crime_rate", "ss_dwelling_fires"},
    "health": {"hi_early_mortality", "hi_unplanned_attendances", "hi_wellbeing"},
    "older_people": {"op_emergency_admissions", "op_fuel_poverty"},
}
BUILT_FROM_DATA_ZONES = ("ward", "locality", "hscp", "health_board")
DATASET_AREAS = {"cpop-cpp": {"council", "scotland"}, "cpop-cpp-app": {"council", "scotland"}, "cpop-igz": {"intermediate_zone"}, "cpop-dz": {"datazone"}}


@pytest.fixture(scope="module")
def cpop() -> list[Indicator]:
    return [i for i in load_catalogue(REAL_CATALOGUE) if i.publisher.startswith("Improvement Service (CPOP)")]


def test_all_twenty_cpop_indicators_validate_in_their_priorities(cpop: list[Indicator]) -> None:
    found: dict[str, set[str]] = {}
    for indicator in cpop:
        found.setdefault(indicator.soa_priority.value, set()).add(indicator.id)
    assert found == CPOP_IDS
    assert all(i.publisher.strip() and i.source.strip() for i in cpop)
    assert not {"econ_income_deprived", "emp_employment_deprived"} & {i.id for i in cpop}


def test_counts_only_where_cpop_publishes_them(cpop: list[Indicator]) -> None:
    extensive = {i.id: i for i in cpop if i.aggregation == "extensive"}
    assert set(extensive) == {"ey_child_poverty", "emp_out_of_work_benefits"}
    for indicator in extensive.values():
        assert indicator.data.numerator.dataset == indicator.data.denominator.dataset == "cpop-phs"
        assert indicator.data.numerator.measurement == indicator.data.denominator.measurement
        assert indicator.disclosure.applied_by == "publisher" and indicator.native_geography == "datazone"
        assert set(BUILT_FROM_DATA_ZONES) <= set(indicator.geographies)
    assert extensive["ey_child_poverty"].disclosure.withheld_range == (0, 4)
    assert extensive["emp_out_of_work_benefits"].disclosure.withheld_range is None
    for indicator in cpop:
        if indicator.aggregation == "intensive":
            assert indicator.data.numerator is None and indicator.data.published
            assert not set(BUILT_FROM_DATA_ZONES) & set(indicator.geographies), indicator.id


def test_geographies_are_those_the_published_datasets_cover(cpop: list[Indicator]) -> None:
    order = ["datazone", "intermediate_zone", "council"]
    for indicator in cpop:
        covered = set().union(*(DATASET_AREAS[side.dataset] for side in indicator.data.published))
        published_here = set(indicator.geographies) - set(BUILT_FROM_DATA_ZONES)
        assert published_here == covered, indicator.id
        assert indicator.native_geography == next(a for a in order if a in covered), indicator.id
        for side in indicator.data.published:
            assert side.measurement in UNITS, (indicator.id, side.measurement)


def test_rolled_indicators_carry_three_years(cpop: list[Indicator]) -> None:
    rolled = {i.id for i in cpop if i.period_type == "rolling"}
    # the workbook's front page list (crime excepted: CPOP's metadata gives single years), plus the
    # two the metadata gives as 3-year periods (fragility, fuel poverty)
    assert rolled == {"ey_healthy_birthweight", "ey_p1_healthy_bmi", "emp_employment_rate", "econ_median_earnings",
                      "ey_school_attainment", "econ_fragility", "op_fuel_poverty"}
    assert all(i.rolling_years == 3 for i in cpop if i.period_type == "rolling")
