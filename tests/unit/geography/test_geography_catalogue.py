"""geographies.yaml: validation with file and field in the message, and area type ordering."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.catalogue.geographies import GEOGRAPHIES_FILE, geographies_path, load_geographies
from etl.errors import InputError
from etl.meta import area_types_frame
from etl.settings import Settings

GOOD = """
area_types:
  - area_type: community_council
    label: Community council area
    plural: Community council areas
    order: 3.5
    kind: best_fit
    source: community_councils
    code_field: cc_code
    name_field: cc_name
  - area_type: school_catchment
    label: School catchment
    plural: School catchments
    order: 4
    kind: membership
    source: school_catchments
    member_field: datazone
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / GEOGRAPHIES_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_file_defines_community_councils() -> None:
    specs = load_geographies(geographies_path(Settings().catalogue_for(demo=False)))
    cc = {s.area_type: s for s in specs}["community_council"]
    assert cc.kind == "best_fit" and cc.source == "community_councils"


def test_shipped_file_defines_hscp_localities_nested_in_councils() -> None:
    specs = {s.area_type: s for s in load_geographies(geographies_path(Settings().catalogue_for(demo=False)))}
    hsc = specs["hsc_locality"]
    assert (hsc.kind, hsc.source, hsc.nest_in, hsc.code_field, hsc.name_field) == (
        "best_fit", "hsc_localities", "council", "code", "area_name")
    assert 4 < hsc.order < 5 and hsc.label == "HSCP locality" and "best-fit" in hsc.caveat


def test_good_file_and_defaults(tmp_path: Path) -> None:
    specs = load_geographies(_write(tmp_path, GOOD))
    assert [s.area_type for s in specs] == ["community_council", "school_catchment"]
    school = specs[1]
    assert (school.code_field, school.name_field, school.member_column) == ("area_code", "area_name", "datazone")


def test_missing_file_means_no_extra_types(tmp_path: Path) -> None:
    assert load_geographies(tmp_path / GEOGRAPHIES_FILE) == []


@pytest.mark.parametrize(("broken", "field"), [
    (GOOD.replace("kind: best_fit", "kind: nearest"), "area_types[community_council].kind"),
    (GOOD.replace("    order: 4\n", ""), "area_types[school_catchment].order"),
    (GOOD.replace("area_type: school_catchment", "area_type: ward"), "area_types[ward]"),
    (GOOD.replace("    code_field: cc_code\n", "    code_field: cc_code\n    member_field: x\n"),
     "area_types[community_council]"),
    (GOOD.replace("label: School catchment", "lable: School catchment"), "area_types[school_catchment].label"),
    (GOOD + GOOD.split("area_types:\n")[1].split("  - area_type: school")[0], "area_types"),
    (GOOD.replace("    member_field: datazone\n", "    member_field: datazone\n    nest_in: council\n"),
     "area_types[school_catchment]"),
    (GOOD.replace("    code_field: cc_code\n", "    code_field: cc_code\n    nest_in: ward\n"),
     "area_types[community_council].nest_in"),
])
def test_bad_file_names_file_and_field(tmp_path: Path, broken: str, field: str) -> None:
    path = _write(tmp_path, broken)
    with pytest.raises(InputError) as info:
        load_geographies(path)
    assert info.value.file == str(path)
    assert field in str(info.value)


def test_invalid_yaml_names_the_row(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not valid YAML") as info:
        load_geographies(_write(tmp_path, "area_types:\n  - area_type: [x\n"))
    assert info.value.row is not None


def test_area_types_are_renumbered_in_declared_order(tmp_path: Path) -> None:
    specs = load_geographies(_write(tmp_path, GOOD))
    frame = area_types_frame(specs, {"community_council": False, "school_catchment": True})
    assert frame["area_type"].tolist() == ["datazone", "intermediate_zone", "ward", "community_council", "locality",
                                           "school_catchment", "council", "hscp", "health_board", "scotland"]
    assert frame["sort_order"].tolist() == list(range(1, 11))
    flags = frame.set_index("area_type")
    assert not flags.loc["community_council", "is_partition"] and flags.loc["school_catchment", "is_partition"]
    assert flags.loc["community_council", "is_best_fit"] and not flags.loc["school_catchment", "is_best_fit"]
