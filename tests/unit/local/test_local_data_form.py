"""The Local data page's metadata form and upload names, without a server (issue 15)."""

from __future__ import annotations

import pytest

from dashboard.data.local import safe_name
from dashboard.logic.area_upload import UploadError
from dashboard.logic.local_data import FIELDS, metadata_mapping, validate_metadata
from tests.fixtures.local import attendance_meta


def _boxes(**changes: str) -> dict[str, str | None]:
    meta = attendance_meta()
    flat = {k: str(v) for k, v in meta.items() if k != "denominator"}
    flat.update({f"denominator_{k}": str(v) for k, v in meta["denominator"].items()})
    flat.update(changes)
    return {f.name: flat.get(f.name) for f in FIELDS}


def test_every_field_of_the_model_has_a_box() -> None:
    from etl.local.metadata import Denominator, LocalMetadata

    boxes = {f.name for f in FIELDS}
    assert set(LocalMetadata.model_fields) - {"denominator"} <= boxes
    assert {f"denominator_{name}" for name in Denominator.model_fields} <= boxes


def test_the_filled_form_is_the_same_metadata_as_the_yaml() -> None:
    meta, problems = validate_metadata(_boxes(caveats="First caveat\n\n  Second caveat  "))
    assert problems == []
    expected = attendance_meta(caveats=["First caveat", "Second caveat"])
    assert meta.model_dump(mode="json", exclude_defaults=True) == \
        type(meta).model_validate(expected).model_dump(mode="json", exclude_defaults=True)


def test_a_column_chosen_before_switching_to_a_population_band_is_ignored() -> None:
    raw = metadata_mapping(_boxes(denominator_column="Households"))
    assert "column" not in raw["denominator"] and raw["denominator"]["kind"] == "population"
    raw = metadata_mapping(_boxes(denominator_kind="column", denominator_column="Households"))
    assert raw["denominator"]["column"] == "Households"


def test_every_wrong_box_is_named_in_the_forms_order() -> None:
    meta, problems = validate_metadata(_boxes(title="", min_count="0", release_date="soon",
                                              denominator_age_from="5", denominator_age_to="12"))
    assert meta is None
    names = [p.split(":")[0] for p in problems]
    assert names == ["Title", "Denominator", "Release date", "Disclosure"], problems
    assert problems[0] == "Title: Field required"
    assert "NRS age bands" in problems[1]


def test_a_column_denominator_without_its_column_is_named() -> None:
    _, problems = validate_metadata(_boxes(denominator_kind="column"))
    assert problems == ["Denominator: a denominator of kind 'column' names the column that holds it"]


@pytest.mark.parametrize(("given", "kept"), [("attendance.xlsx", "attendance.xlsx"),
                                               ("../../etc/passwd.csv", "passwd.csv"),
                                               ("C:\\Users\\jo\\My data (v2).xlsx", "My data _v2_.xlsx")])
def test_an_upload_keeps_its_own_name_without_folders(given: str, kept: str) -> None:
    assert safe_name(given) == kept


def test_an_upload_that_is_not_csv_or_excel_is_refused_by_name() -> None:
    with pytest.raises(UploadError, match="'report.pdf' is not a CSV file or an Excel workbook"):
        safe_name("report.pdf")
