"""Pydantic models for the indicator catalogue and the loader that validates every file.

Why: indicators are data, not code (CONVENTIONS 5). A broken YAML must fail the build naming
the file and the field, and the dashboard reads labels, polarity and methods only from
``meta.indicators``, which is written from these models.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from etl.errors import InputError


class SoaPriority(StrEnum):
    """The six national Single Outcome Agreement priorities, in their usual order."""

    economy = "economy"
    employment = "employment"
    early_years = "early_years"
    safer_communities = "safer_communities"
    health = "health"
    older_people = "older_people"


SOA_LABELS: dict[SoaPriority, str] = {
    SoaPriority.economy: "Economic recovery and growth",
    SoaPriority.employment: "Employment",
    SoaPriority.early_years: "Early years",
    SoaPriority.safer_communities: "Safer and stronger communities, and reducing offending",
    SoaPriority.health: "Health inequalities and physical activity",
    SoaPriority.older_people: "Outcomes for older people",
}

AreaType = Literal[
    "datazone", "intermediate_zone", "ward", "locality", "council", "hscp", "health_board", "scotland"
]
MeasureType = Literal["percentage", "crude_rate", "age_standardised_rate", "mean", "count", "median"]
CiMethod = Literal["wilson", "byar", "dobson", "none"]

DEFAULT_CI: dict[str, CiMethod] = {
    "percentage": "wilson",
    "crude_rate": "byar",
    "age_standardised_rate": "dobson",
    "count": "byar",
    "mean": "none",
    "median": "none",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PopulationSide(_Strict):
    """A numerator or denominator taken from the NRS small-area population estimates."""

    age_from: int = Field(0, ge=0, le=90)
    age_to: int = Field(90, ge=0, le=90, description="inclusive; 90 means 90 and over")
    sex: Literal["All", "Female", "Male"] = "All"
    by_age_band: bool = Field(
        False, description="keep 5-year age bands (for age-standardised rates)"
    )


class Side(_Strict):
    """Exactly one of ``dataset`` rows or ``population``."""

    dataset: str | None = None
    measurement: str | None = None
    units: str | None = None
    dimensions: dict[str, str] = Field(default_factory=dict)
    age_dimension: str | None = None
    population: PopulationSide | None = None
    #: published entries only: used for an area only when no other entry has figures for it
    #: (CPOP's app CSV behind its CPP workbook: the two series are never mixed)
    fallback: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Side:
        if (self.dataset is None) == (self.population is None):
            raise ValueError("give either 'dataset' (with measurement and units) or 'population'")
        if self.dataset is not None and (self.measurement is None or self.units is None):
            raise ValueError("a dataset side needs 'measurement' and 'units'")
        return self


class DataMapping(_Strict):
    """Which raw rows make the indicator (declarative: no code per dataset).

    ``numerator`` + ``denominator`` are counts at the finest geography the publisher gives
    them for: every area nobody publishes (wards, localities, HSCPs, user-made areas) is built
    by summing them. ``value`` is a published intensive value (a median, an index) used where it
    is published. ``published`` lists the publisher's own figures (rates, percentages, means,
    EASRs) for the areas the publisher publishes them for: they are shown as published, with
    their value type (raw, imputed, projected) and release, in preference to anything built.
    """

    numerator: Side | None = None
    denominator: Side | None = None
    value: Side | None = None
    published: list[Side] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> DataMapping:
        if self.value is not None:
            if self.numerator is not None or self.denominator is not None:
                raise ValueError("use either 'value' or 'numerator'+'denominator', not both")
        elif (self.numerator is None) != (self.denominator is None):
            raise ValueError("give both 'numerator' and 'denominator', or neither")
        elif self.numerator is None and not self.published:
            raise ValueError("give 'numerator' and 'denominator', 'value', or 'published' figures")
        for side in self.published:
            if side.dataset is None:
                raise ValueError("a 'published' entry names a dataset (with measurement and units)")
        return self


class Disclosure(_Strict):
    """Primary suppression rule: counts in [1, min_count - 1] are withheld.

    ``applied_by: publisher`` means the publisher has already applied its own disclosure
    control (DWP withholds counts of 0-4 children, SIMD withholds small crime counts as
    ``*``): every count in the file is public, so cpop adds no suppression of its own (no
    figure built from public counts can reveal a withheld cell that cpop never saw).
    ``withheld_range`` is what a cell withheld at source can be (e.g. ``[0, 4]``): areas built
    from data zones, some withheld, are then estimated within those bounds.
    """

    rule: str
    min_count: int = Field(5, ge=1)
    suppress_zero: bool = False
    applied_by: Literal["cpop", "publisher"] = "cpop"
    withheld_range: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _range(self) -> Disclosure:
        if self.withheld_range is not None and not 0 <= self.withheld_range[0] <= self.withheld_range[1]:
            raise ValueError("withheld_range is [lowest, highest] with 0 <= lowest <= highest")
        return self


class LocalOrigin(_Strict):
    """Where a local partner dataset comes from and who may see it (``cpop local``, etl/local/).

    Why: a CPP's own partners' data (council services, NHS board, Police extracts) sits beside the
    national measures; readers must see whose it is and on what terms it may be shared.
    """

    organisation: str = Field(min_length=2, description="the partner organisation that supplied the data")
    licence: str = Field(min_length=2, description="e.g. 'Open Government Licence v3.0'")
    sharing_restriction: str = Field("none", description="who may see it, e.g. 'CPP partners only'; 'none' when open")
    version: int = Field(1, ge=1, description="the version of the local dataset this entry was built from")


class Indicator(_Strict):
    """One catalogue entry: everything a user needs to read and trust the numbers."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]+$")
    title: str
    short_title: str
    soa_priority: SoaPriority
    definition: str
    source: str
    publisher: str = Field(description="the organisation that publishes the figures, e.g. 'Improvement Service'")
    numerator_definition: str
    denominator_definition: str
    measure_type: MeasureType
    multiplier: float = Field(gt=0)
    unit_label: str
    aggregation: Literal["extensive", "intensive"]
    polarity: Literal["high_is_good", "low_is_good"]
    publisher_polarity: Literal["high_is_good", "low_is_good"] | None = Field(
        None, description="the publisher's own reading of the direction, where it differs from polarity "
                          "(CPOP's 'High is Positive'); used only to reproduce the publisher's own measures "
                          "(CPOP's 2x2 rating in marts.trend)")
    ci_method: CiMethod | None = None
    disclosure: Disclosure
    native_geography: Literal["datazone", "intermediate_zone", "council"]
    geographies: list[AreaType]
    period_type: Literal["calendar", "financial", "school", "rolling"]
    rolling_years: int = Field(1, ge=1, le=5)
    baseline_year: int = Field(ge=1990, le=2100)
    caveats: list[str] = Field(default_factory=list)
    update_frequency: str
    last_update: date
    next_update: date
    data: DataMapping
    #: set for a local partner dataset (added by an officer), None for a national indicator
    local: LocalOrigin | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if self.aggregation == "intensive" and (self.data.value is None and not self.data.published
                                                or self.data.numerator is not None):
            raise ValueError("an intensive indicator is published as a value: use data.value or data.published "
                             "(no numerator: it is never summed)")
        if self.aggregation == "extensive" and (self.data.value is not None or self.data.numerator is None):
            raise ValueError("an extensive indicator needs data.numerator and data.denominator")
        if self.next_update < self.last_update:
            raise ValueError("next_update is before last_update")
        return self

    @property
    def resolved_ci_method(self) -> CiMethod:
        """The CI method stated, or the default for the measure type."""
        return self.ci_method or DEFAULT_CI[self.measure_type]

    @property
    def soa_priority_label(self) -> str:
        return SOA_LABELS[self.soa_priority]


def _field_path(loc: tuple[object, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def load_indicator(path: Path) -> Indicator:
    """Read and validate one indicator file, raising InputError naming file and field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            path,
            f"not valid YAML ({getattr(exc, 'problem', exc)})",
            row=(mark.line + 1) if mark else None,
            hint="fix the YAML syntax (indentation, colons, quotes)",
        ) from exc
    if not isinstance(raw, dict):
        raise InputError(path, "an indicator file must be a YAML mapping of fields")
    try:
        indicator = Indicator.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            path,
            f"field '{_field_path(first['loc'])}': {first['msg']}",
            column=_field_path(first["loc"]),
            hint="see docs/catalogue.md for the fields an indicator needs",
        ) from exc
    if indicator.id != path.stem:
        raise InputError(path, f"field 'id' is '{indicator.id}' but the file is named '{path.stem}.yaml'",
                         column="id", hint="make the file name equal to the id")
    if path.parent.name != indicator.soa_priority.value:
        raise InputError(path, f"field 'soa_priority' is '{indicator.soa_priority.value}' but the file is "
                         f"in folder '{path.parent.name}'", column="soa_priority",
                         hint="move the file to the folder of its priority")
    return indicator


def load_catalogue(catalogue_dir: Path) -> list[Indicator]:
    """All indicators under ``<catalogue_dir>/indicators``, sorted by priority then id."""
    files = sorted((catalogue_dir / "indicators").glob("*/*.yaml"))
    if not files:
        raise InputError(catalogue_dir / "indicators", "no indicator YAML files found")
    indicators = [load_indicator(path) for path in files]
    order = list(SoaPriority)
    return sorted(indicators, key=lambda ind: (order.index(ind.soa_priority), ind.id))
