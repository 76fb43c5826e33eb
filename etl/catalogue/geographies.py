"""Area types defined in a file (``etl/catalogue/geographies.yaml``), validated by pydantic.

Why: boards ask for geographies no publisher builds from data zones (community councils,
school catchments, regeneration areas). Adding one must be adding a few lines of YAML and a
raw folder, not code; a mistyped field must fail the build naming the file and the field.

Two kinds:

- ``best_fit``: polygons in ``data/raw/<source>/<release>/`` (GeoJSON, GeoPackage or
  Shapefile); every data zone goes to the polygon containing its population-weighted
  centroid (see ``etl/bestfit.py``);
- ``membership``: a CSV of (area code, area name, member data zone or intermediate zone code),
  like localities.

The file also says how to read the optional ward boundaries (``ward_boundaries``), which
measure the fit of the lookup's wards (``etl/sources/ward_boundaries.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from etl.errors import InputError

#: The area types the build makes from the data zone lookup itself (never redefinable).
BUILT_IN_AREA_TYPES = ("datazone", "intermediate_zone", "ward", "locality", "council", "hscp",
                       "health_board", "scotland")
#: Reserved for on-demand user-made areas (dashboard/data/user_areas.py).
RESERVED_AREA_TYPES = ("user",)
GEOGRAPHIES_FILE = "geographies.yaml"
#: The project's own area-type settings, shared by the real and the demo catalogues.
DEFAULT_GEOGRAPHIES = Path(__file__).resolve().parent / GEOGRAPHIES_FILE


def geographies_path(catalogue_dir: Path) -> Path:
    """``<catalogue_dir>/geographies.yaml`` when that catalogue has its own, else the project's.

    Why: the real and the demo catalogues differ in their indicators but build the same extra
    area types (community councils), so one file serves both unless a catalogue overrides it.
    """
    own = Path(catalogue_dir) / GEOGRAPHIES_FILE
    return own if own.is_file() else DEFAULT_GEOGRAPHIES


class FileAreaType(BaseModel):
    """One file-defined area type: how it is labelled and where its areas come from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    area_type: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    label: str = Field(min_length=1)
    plural: str = Field(min_length=1)
    order: float = Field(gt=0, description="position on the built-in scale: datazone 1 … scotland 8; "
                                           "4.5 sits between locality and council")
    kind: Literal["best_fit", "membership"]
    source: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="folder under data/raw/")
    code_field: str = Field("area_code", min_length=1)
    name_field: str = Field("area_name", min_length=1)
    member_field: str | None = Field(None, description="membership only: the data zone or IZ code column")
    nest_in: Literal["council"] | None = Field(
        None, description="best_fit only: the areas divide councils (as HSCP localities do), so each data zone "
                          "goes to an area of its own council (etl.bestfit.nest_within)")
    caveat: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FileAreaType:
        if self.area_type in BUILT_IN_AREA_TYPES or self.area_type in RESERVED_AREA_TYPES:
            raise ValueError(f"'{self.area_type}' is a built-in area type and cannot be redefined")
        if self.kind == "best_fit" and self.member_field is not None:
            raise ValueError("member_field is only for kind: membership (best_fit areas are polygons)")
        if self.kind == "membership" and self.nest_in is not None:
            raise ValueError("nest_in is only for kind: best_fit (membership areas are listed data zones)")
        return self

    @property
    def member_column(self) -> str:
        """The member code column of a membership CSV."""
        return self.member_field or "member_code"


class WardBoundaries(BaseModel):
    """How to read the optional ward boundaries (``data/raw/ward_boundaries/<release>/``).

    Why: wards stay assigned as the SIMD lookup says (``MMWcode``); their boundaries are only
    used to measure the fit. Publishers name the ward code property differently (ONS
    ``WD21CD``, SG ``MMWcode`` or ``Code``, geographr ``ward21_code``), so it is found among
    those names by default; ``code_field`` names it when a file calls it something else.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    code_field: str | None = Field(None, min_length=1, description="the ward code property; default: found "
                                                                   "among the known names")


class GeographiesFile(BaseModel):
    """The whole file: a list of area types, and how to read the optional ward boundaries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    area_types: list[FileAreaType] = Field(default_factory=list)
    ward_boundaries: WardBoundaries = Field(default_factory=WardBoundaries)

    @field_validator("area_types")
    @classmethod
    def _unique(cls, value: list[FileAreaType]) -> list[FileAreaType]:
        seen: set[str] = set()
        for spec in value:
            if spec.area_type in seen:
                raise ValueError(f"area type '{spec.area_type}' is defined twice")
            seen.add(spec.area_type)
        return value


def _field_path(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def load_geographies(path: Path) -> list[FileAreaType]:
    """Read and validate ``geographies.yaml``; a missing file means no extra area types."""
    return list(load_geographies_file(path).area_types)


def load_geographies_file(path: Path) -> GeographiesFile:
    """Read and validate the whole ``geographies.yaml`` (area types and ward boundary settings).

    A missing or empty file means no extra area types and the default ward boundary settings.
    """
    path = Path(path)
    if not path.is_file():
        return GeographiesFile()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(path, f"not valid YAML ({getattr(exc, 'problem', exc)})",
                         row=(mark.line + 1) if mark else None,
                         hint="fix the YAML syntax (indentation, colons, quotes)") from exc
    if raw is None:
        return GeographiesFile()
    if not isinstance(raw, dict):
        raise InputError(path, "the geographies file must be a YAML mapping with an 'area_types' list",
                         hint="see docs/geography.md")
    try:
        parsed = GeographiesFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _field_path(first["loc"])
        if first["loc"][:1] == ("area_types",) and len(first["loc"]) >= 2 and isinstance(first["loc"][1], int):
            items = raw.get("area_types") or []
            index = first["loc"][1]
            if index < len(items) and isinstance(items[index], dict) and "area_type" in items[index]:
                where = f"area_types[{items[index]['area_type']}]" + "".join(
                    f".{p}" for p in first["loc"][2:])
        raise InputError(path, f"field '{where}': {first['msg']}", column=where,
                         hint="see docs/geography.md for the fields an area type needs") from exc
    return parsed
