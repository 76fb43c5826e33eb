"""Local datasets: metadata into the catalogue model, versions, publish, revise and roll back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.catalogue.models import Indicator
from etl.errors import InputError
from etl.local.areas import KnownAreas
from etl.local.metadata import LocalMetadata, metadata_from_mapping, to_indicator
from etl.local.published import local_indicators, local_roots, published_root, write_published
from etl.local.service import add_upload, check_upload
from etl.local.store import LocalStore
from tests.fixtures.local import attendance_meta, council_attendance_xlsx

DATAZONES = [f"S010200{i:02d}" for i in range(1, 21)]
AREAS = KnownAreas(codes={"datazone": set(DATAZONES)}, demo=True)


def _add(tmp_path: Path, settings, revise: int = 0, name: str = "a.xlsx"):  # noqa: ANN001, ANN202
    fixture = council_attendance_xlsx(tmp_path / name, DATAZONES, revise=revise)
    meta = LocalMetadata.model_validate(attendance_meta())
    checked = check_upload(fixture.path, meta, settings, areas=AREAS)
    return add_upload(checked, meta, settings, "test"), checked


def test_metadata_becomes_a_national_catalogue_entry_marked_local() -> None:
    meta = LocalMetadata.model_validate(attendance_meta())
    indicator = to_indicator(meta, native_geography="datazone", first_year=2019, version=2)
    assert isinstance(indicator, Indicator)
    assert indicator.id == "local_school_attendance"
    assert (indicator.multiplier, indicator.unit_label, indicator.resolved_ci_method) == (1000, "per 1,000", "byar")
    assert indicator.disclosure.min_count == 5
    assert indicator.local.organisation == "Demo Council Education Services"
    assert indicator.local.sharing_restriction == "CPP partners only" and indicator.local.version == 2
    assert indicator.data.denominator.population.age_from == 5
    assert indicator.geographies[0] == "datazone" and "ward" in indicator.geographies


@pytest.mark.parametrize(("change", "field"), [
    ({"polarity": "up"}, "polarity"),
    ({"denominator": {"kind": "population", "age_from": 3, "age_to": 15, "definition": "abc"}}, "denominator"),
    ({"licence": ""}, "licence"),
    ({"id": "School Attendance"}, "id"),
])
def test_bad_metadata_names_the_field(change: dict, field: str) -> None:
    with pytest.raises(InputError) as caught:
        metadata_from_mapping(attendance_meta(**change), "meta.yaml")
    assert caught.value.column.startswith(field) and caught.value.file == "meta.yaml"


def test_add_keeps_everything_beside_the_upload(tmp_path: Path, tmp_settings) -> None:
    info, checked = _add(tmp_path, tmp_settings)
    store = LocalStore(tmp_settings.user_dir)
    folder = store.version_dir("school_attendance", 1)
    assert info.version == 1 and (folder / "raw" / "a.xlsx").is_file()
    quarantine = pd.read_csv(folder / "quarantine.csv")
    assert len(quarantine) == checked.validation.report.quarantined > 0
    assert store.report("school_attendance").accepted == info.accepted
    assert len(pd.read_csv(folder / "tidy.csv")) == info.accepted  # one value per data zone and year
    assert store.state("school_attendance").published_version is None


def test_publish_revise_and_roll_back(tmp_path: Path, tmp_settings) -> None:
    store = LocalStore(tmp_settings.user_dir)
    _add(tmp_path, tmp_settings)
    store.publish("school_attendance")
    assert write_published(tmp_settings.user_dir) == ["local_school_attendance"]
    root = published_root(tmp_settings.user_dir, demo=True)
    assert local_roots(tmp_settings, demo=True) == [root] and local_roots(tmp_settings, demo=False) == []
    first = root / "statistics_gov_scot" / "local-school-attendance-v001" / "local-school-attendance.csv"
    tidy = pd.read_csv(first, dtype=str)
    assert list(tidy.columns) == ["FeatureCode", "DateCode", "Measurement", "Units", "Value"]
    assert set(tidy["Units"]) == {"Numerator"}  # the denominator is a population band
    info, _ = _add(tmp_path, tmp_settings, revise=4, name="b.xlsx")
    assert (info.version, info.revised) == (2, 4)
    store.publish("school_attendance")
    write_published(tmp_settings.user_dir)
    assert (root / "statistics_gov_scot" / "local-school-attendance-v002").is_dir()
    assert [i.local.version for i in local_indicators(tmp_settings, demo=True)] == [2]
    assert store.rollback("school_attendance").published_version == 1
    write_published(tmp_settings.user_dir)
    assert not (root / "statistics_gov_scot" / "local-school-attendance-v002").exists()
    assert [i.local.version for i in local_indicators(tmp_settings, demo=True)] == [1]
    assert store.rollback("school_attendance").published_version is None
    assert write_published(tmp_settings.user_dir) == [] and local_indicators(tmp_settings, demo=True) == []
    with pytest.raises(InputError, match="not published"):
        store.rollback("school_attendance")
    assert len(store.state("school_attendance").versions) == 2  # rolling back never deletes a version


def test_unknown_dataset_is_named(tmp_settings) -> None:
    with pytest.raises(InputError, match="no local dataset 'nope'"):
        LocalStore(tmp_settings.user_dir).publish("nope")
