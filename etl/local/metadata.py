"""What an officer says about a local dataset, validated into the national catalogue's model.

Why: a local indicator must be read and trusted like a national one, so its metadata becomes an
``etl.catalogue.models.Indicator`` (the same pydantic model, the same checks) marked ``local``
with its organisation, licence and sharing restriction. The officer fills a short form (or a
``meta.yaml``); the fields a national entry spells out (multiplier, unit label, CI method,
geographies) follow from the choices made.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from etl.catalogue.models import (
    DataMapping,
    Disclosure,
    Indicator,
    LocalOrigin,
    PopulationSide,
    Side,
    SoaPriority,
)
from etl.errors import InputError
from etl.meta import BAND_STARTS

#: every area type a data-zone series can be summed to
ALL_AREAS = ["datazone", "intermediate_zone", "ward", "locality", "council", "hscp", "health_board", "scotland"]
#: the area types built from a coarser native geography (only whole areas of it)
AREAS_FROM = {"datazone": ALL_AREAS, "intermediate_zone": ALL_AREAS[1:2] + ALL_AREAS[4:],
              "council": ["council", "scotland"]}
MEASUREMENT = "Count"
NUMERATOR_UNITS = "Numerator"
DENOMINATOR_UNITS = "Denominator"
M = TypeVar("M", bound=BaseModel)


class Denominator(BaseModel):
    """What the counts are divided by: an NRS population band, or another column of the file."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["population", "column"]
    age_from: int = Field(0, ge=0, le=90)
    age_to: int = Field(90, ge=0, le=90, description="inclusive; 90 means 90 and over")
    sex: Literal["All", "Female", "Male"] = "All"
    column: str | None = Field(None, description="the column of the file holding the denominator (kind: column)")
    definition: str = Field(min_length=3)

    @model_validator(mode="after")
    def _column_named(self) -> Denominator:
        if self.kind == "column" and not (self.column or "").strip():
            raise ValueError("a denominator of kind 'column' names the column that holds it")
        if self.age_to < self.age_from:
            raise ValueError("age_to is below age_from")
        if self.kind == "population" and (self.age_from not in BAND_STARTS
                                          or (self.age_to + 1 not in BAND_STARTS and self.age_to != 90)):
            raise ValueError(f"population ages {self.age_from}-{self.age_to} do not fall on the NRS age bands "
                             "(0, 5, 10, 15, 16, 20, 25, ... 90): choose ages such as 0-15, 16-64 or 65-90")
        return self


class LocalMetadata(BaseModel):
    """The metadata form (or ``meta.yaml``) of one local dataset."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{2,40}$", description="short name, e.g. school_attendance")
    title: str = Field(min_length=3)
    short_title: str | None = None
    definition: str = Field(min_length=3)
    numerator_definition: str = Field(min_length=3)
    denominator: Denominator
    measure_type: Literal["percentage", "crude_rate"]
    rate_per: int = Field(1000, gt=0, description="crude rates: per how many of the denominator")
    polarity: Literal["high_is_good", "low_is_good"]
    soa_priority: SoaPriority
    source_organisation: str = Field(min_length=2)
    release_date: date
    next_update: date | None = None
    update_frequency: str = "annual"
    period_type: Literal["calendar", "financial", "school"] = "calendar"
    min_count: int = Field(5, ge=1, description="disclosure rule: counts from 1 to min_count - 1 are withheld")
    licence: str = Field(min_length=2)
    sharing_restriction: str = "none"
    caveats: list[str] = Field(default_factory=list)

    @property
    def indicator_id(self) -> str:
        """The catalogue id: prefixed so a local entry can never take a national one's name."""
        return f"local_{self.id}"

    @property
    def dataset(self) -> str:
        """The dataset name of the published tidy file (its name without ``.csv``)."""
        return "local-" + self.id.replace("_", "-")


def metadata_from_mapping(raw: object, source: str | Path) -> LocalMetadata:
    """Validate a mapping (a parsed ``meta.yaml`` or the page's form), naming the field at fault."""
    if not isinstance(raw, dict):
        raise InputError(source, "the metadata must be a mapping of fields (title: ..., definition: ...)")
    return _validated(LocalMetadata, raw, source)


def load_metadata(path: Path) -> LocalMetadata:
    """Read and validate ``meta.yaml``."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(path, f"not valid YAML ({getattr(exc, 'problem', exc)})",
                         row=(mark.line + 1) if mark else None,
                         hint="fix the YAML syntax (indentation, colons, quotes)") from exc
    return metadata_from_mapping(raw, path)


def to_indicator(meta: LocalMetadata, *, native_geography: str, first_year: int, version: int,
                 source: str | Path = "metadata") -> Indicator:
    """The catalogue entry for this dataset, validated by the national ``Indicator`` model.

    ``native_geography`` is the level the counts are stored at (postcodes are counted into data
    zones first); ``first_year`` is the earliest period, the baseline for change.
    """
    if meta.denominator.kind == "population":
        pop = meta.denominator
        denominator = Side(population=PopulationSide(age_from=pop.age_from, age_to=pop.age_to, sex=pop.sex))
    else:
        denominator = Side(dataset=meta.dataset, measurement=MEASUREMENT, units=DENOMINATOR_UNITS)
    percentage = meta.measure_type == "percentage"
    unit = "%" if percentage else f"per {meta.rate_per:,}"
    raw = {
        "id": meta.indicator_id, "title": meta.title, "short_title": meta.short_title or meta.title,
        "soa_priority": meta.soa_priority, "definition": meta.definition,
        "source": f"{meta.source_organisation} (local data, version {version})",
        "publisher": meta.source_organisation,
        "numerator_definition": meta.numerator_definition, "denominator_definition": meta.denominator.definition,
        "measure_type": meta.measure_type, "multiplier": 100 if percentage else meta.rate_per, "unit_label": unit,
        "aggregation": "extensive", "polarity": meta.polarity,
        "disclosure": Disclosure(rule=f"counts of 1 to {meta.min_count - 1} are withheld (rule set by "
                                      f"{meta.source_organisation})", min_count=meta.min_count)
        if meta.min_count > 1 else Disclosure(rule="no counts are withheld", min_count=1),
        "native_geography": native_geography, "geographies": AREAS_FROM[native_geography],
        "period_type": meta.period_type, "baseline_year": first_year,
        "caveats": [*meta.caveats, f"Local data supplied by {meta.source_organisation}; licence: {meta.licence}; "
                                   f"sharing: {meta.sharing_restriction}."],
        "update_frequency": meta.update_frequency, "last_update": meta.release_date,
        "next_update": meta.next_update or meta.release_date + timedelta(days=365),
        "data": DataMapping(numerator=Side(dataset=meta.dataset, measurement=MEASUREMENT, units=NUMERATOR_UNITS),
                            denominator=denominator),
        "local": LocalOrigin(organisation=meta.source_organisation, licence=meta.licence,
                             sharing_restriction=meta.sharing_restriction, version=version),
    }
    return _validated(Indicator, raw, source)


def _validated(model: type[M], raw: dict, source: str | Path) -> M:
    """``model`` validated from ``raw``, or an InputError naming the first field at fault."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InputError(source, f"field '{field}': {first['msg']}", column=field,
                         hint="see docs/local-data.md for the metadata fields") from exc

