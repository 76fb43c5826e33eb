"""The Local data page's form and lists, without Dash: which fields, how they become metadata, what
the datasets table says.

Why: the metadata form is the ``meta.yaml`` of ``cpop local add`` in boxes, so it must be validated
by the same model (``etl.local.metadata.LocalMetadata``); an officer needs every wrong field named
at once in the form's own words, not pydantic's first error in its dotted path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from etl.catalogue.models import SOA_LABELS
from etl.local.metadata import LocalMetadata
from etl.local.store import DatasetState, LocalStore
from etl.local.validate import REASONS
from etl.meta import BAND_STARTS


@dataclass(frozen=True)
class Field:
    """One box of the metadata form: ``name`` is the model's field (``denominator_x`` for ``denominator.x``)."""

    name: str
    label: str
    kind: str = "text"  # text, area (a longer text) or choice
    options: tuple[tuple[str, str], ...] = ()  # (value, label) of a choice
    default: str = ""
    help: str = ""


AGES = tuple((str(a), str(a)) for a in sorted(BAND_STARTS))
AGES_TO = tuple((str(a - 1), str(a - 1)) for a in sorted(BAND_STARTS) if a > 0) + (("90", "90 and over"),)
FIELDS: tuple[Field, ...] = (
    Field("id", "Short name (id)", help="lower case letters, digits and _, e.g. school_attendance"),
    Field("title", "Title"),
    Field("short_title", "Short title (optional)"),
    Field("definition", "Definition", "area"),
    Field("numerator_definition", "What is counted (numerator)"),
    Field("denominator_kind", "Denominator", "choice",
          (("population", "An NRS population band"), ("column", "Another column of the file")), "population"),
    Field("denominator_age_from", "Population: from age", "choice", AGES, "0"),
    Field("denominator_age_to", "Population: to age", "choice", AGES_TO, "90"),
    Field("denominator_sex", "Population: sex", "choice", (("All", "All"), ("Female", "Female"), ("Male", "Male")),
          "All"),
    Field("denominator_column", "Denominator column (long files)", "choice"),
    Field("denominator_definition", "What the denominator is"),
    Field("measure_type", "Measure", "choice", (("crude_rate", "Rate per population"), ("percentage", "Percentage")),
          "crude_rate"),
    Field("rate_per", "Rate per", default="1000", help="rates only: per how many of the denominator"),
    Field("polarity", "Better is", "choice", (("low_is_good", "Lower"), ("high_is_good", "Higher")), "low_is_good"),
    Field("soa_priority", "Outcome priority", "choice", tuple((str(k.value), v) for k, v in SOA_LABELS.items())),
    Field("source_organisation", "Source organisation"),
    Field("release_date", "Release date", help="YYYY-MM-DD"),
    Field("next_update", "Next update (optional)", help="YYYY-MM-DD; default a year after release"),
    Field("update_frequency", "Update frequency", default="annual"),
    Field("period_type", "Periods are", "choice",
          (("calendar", "Calendar years"), ("financial", "Financial years"), ("school", "School years")), "calendar"),
    Field("min_count", "Disclosure: smallest count shown", default="5",
          help="counts from 1 to this minus 1 are withheld"),
    Field("licence", "Licence"),
    Field("sharing_restriction", "Sharing restriction", default="none", help="'none' when open"),
    Field("caveats", "Caveats (optional, one a line)", "area"),
)
LABELS = {f.name: f.label for f in FIELDS}
DENOMINATOR = "denominator_"


def metadata_mapping(values: dict[str, str | None]) -> dict[str, Any]:
    """The form's boxes as the mapping ``LocalMetadata`` validates (empty boxes left out: the model says
    which are required, and defaults apply to the rest)."""
    raw: dict[str, Any] = {}
    denominator: dict[str, Any] = {}
    for name, value in values.items():
        text = (value or "").strip()
        if not text:
            continue
        if name == "caveats":
            raw[name] = [line.strip() for line in text.splitlines() if line.strip()]
        elif name.startswith(DENOMINATOR):
            denominator[name.removeprefix(DENOMINATOR)] = text
        else:
            raw[name] = text
    if denominator:
        if denominator.get("kind") != "column":
            denominator.pop("column", None)  # a column chosen earlier does not count for a population band
        raw["denominator"] = denominator
    return raw


def _label(loc: tuple[Any, ...]) -> str:
    if loc and loc[0] == "denominator" and len(loc) > 1:
        return LABELS.get(f"{DENOMINATOR}{loc[1]}", "Denominator")
    return LABELS.get(str(loc[0]), "Denominator" if loc and loc[0] == "denominator" else ".".join(map(str, loc)))


def validate_metadata(values: dict[str, str | None]) -> tuple[LocalMetadata | None, list[str]]:
    """The metadata, or every problem as "<box>: <why>" (all of them, in the form's order)."""
    try:
        return LocalMetadata.model_validate(metadata_mapping(values)), []
    except ValidationError as exc:
        problems = [f"{_label(tuple(e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()]
        order = list(LABELS.values())
        return None, sorted(problems, key=lambda p: next((i for i, lab in enumerate(order)
                                                           if p.startswith(lab + ":")), len(order)))


def restriction(store: LocalStore, state: DatasetState) -> str:
    """The sharing restriction of the published version (else the newest), as its metadata says."""
    version = state.published_version or state.latest
    path = store.version_dir(state.id, version) / "metadata.yaml"
    try:
        return str(yaml.safe_load(path.read_text(encoding="utf-8")).get("sharing_restriction", "none"))
    except (OSError, yaml.YAMLError, AttributeError):
        return "not recorded"


def dataset_rows(store: LocalStore) -> list[tuple[str, list[str]]]:
    """One row per local dataset: title | organisation, id, versions, published, restriction, newest check."""
    rows = []
    for state in store.states():
        last = state.versions[-1] if state.versions else None
        rows.append((state.title, [
            state.organisation, state.id, str(len(state.versions)),
            f"version {state.published_version}" if state.published_version else "not published",
            restriction(store, state),
            f"{last.rows_read:,} read = {last.accepted:,} accepted + {last.quarantined:,} quarantined" if last else "",
        ]))
    return rows


DATASET_COLUMNS = ["Title", "Organisation", "Id", "Versions", "Published", "Sharing restriction",
                   "Newest version's check"]


def reason_lines(reasons: dict[str, int]) -> list[str]:
    """Each quarantine reason in words with its number of rows."""
    return [f"{REASONS.get(reason, reason)}: {count:,}" for reason, count in reasons.items()]
