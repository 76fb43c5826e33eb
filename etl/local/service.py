"""Read → guess → validate → keep: the one path the CLI and the Local data page share.

Why: one source per figure (CONVENTIONS 13): the counts an officer sees on the page and in
``cpop local report`` come from the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from etl.errors import InputError
from etl.local.areas import KnownAreas, known_areas
from etl.local.guess import ColumnGuess, guess_columns
from etl.local.metadata import LocalMetadata
from etl.local.store import DatasetState, LocalStore, VersionInfo
from etl.local.table import UploadTable, read_upload
from etl.local.validate import Validation, validate
from etl.settings import Settings


@dataclass(frozen=True)
class Checked:
    """An upload read, its columns chosen and every record accepted or quarantined."""

    table: UploadTable
    guess: ColumnGuess
    validation: Validation
    areas: KnownAreas


def fit_guess(guess: ColumnGuess, meta: LocalMetadata, path: Path) -> ColumnGuess:
    """The guess made consistent with the metadata's denominator (a column, or a population band)."""
    if meta.denominator.kind == "population":
        return guess.model_copy(update={"denominator_column": None})
    if guess.layout == "wide":
        raise InputError(path, f"the metadata takes the denominator from column '{meta.denominator.column}', "
                         "but the file has one column per year", column=meta.denominator.column,
                         hint="use a long file (one row per area and year, with a column for the count and one for "
                              "the denominator), or a population band from NRS as the denominator")
    return guess.model_copy(update={"denominator_column": meta.denominator.column})


def check_upload(path: Path, meta: LocalMetadata, settings: Settings, *, sheet: str | None = None,
                 geography_column: str | None = None, period_column: str | None = None,
                 value_column: str | None = None, areas: KnownAreas | None = None) -> Checked:
    """Read ``path``, guess (or take) its columns, and validate every record against the warehouse's areas."""
    table = read_upload(path, sheet)
    denominator = meta.denominator.column if meta.denominator.kind == "column" else None
    guess = guess_columns(table, geography_column=geography_column, period_column=period_column,
                          value_column=value_column, denominator_column=denominator)
    guess = fit_guess(guess, meta, path)
    if guess.geography_level == "ward":
        raise InputError(path, f"column '{guess.geography_column}' holds ward codes; a ward-level file cannot be "
                         "added yet, because wards are built from data zones (a best fit), not the other way round",
                         column=guess.geography_column,
                         hint="supply the data by data zone, postcode, intermediate zone or council")
    areas = areas or known_areas(settings)
    validation = validate(table, guess, areas, percentage=meta.measure_type == "percentage")
    return Checked(table, guess, validation, areas)


def _audit(settings: Settings, actor: str, action: str, dataset: str, **details: object) -> None:
    from dashboard.auth.audit import AuditLog  # the one audit log of the CLI and the dashboard

    AuditLog(settings.user_dir).append(actor, action, dataset, **details)


def add_upload(checked: Checked, meta: LocalMetadata, settings: Settings, actor: str) -> VersionInfo:
    """Keep the checked upload as the next version of its dataset (not yet published); audited."""
    info = LocalStore(settings.user_dir).add(checked.table.path, meta, checked.guess, checked.validation,
                                             country="demo" if checked.areas.demo else "real", actor=actor)
    _audit(settings, actor, "add local dataset", meta.id, version=info.version, file=checked.table.path.name)
    return info


def publish_dataset(settings: Settings, dataset: str, actor: str, version: int | None = None) -> DatasetState:
    """Make ``version`` (default the newest) the one the next build publishes; rewrite what it reads; audited."""
    from etl.local.published import write_published

    state = LocalStore(settings.user_dir).publish(dataset, version)
    write_published(settings.user_dir)
    _audit(settings, actor, "publish local dataset", dataset, version=state.published_version or "none")
    return state


def roll_back_dataset(settings: Settings, dataset: str, actor: str) -> DatasetState:
    """Publish the version before the published one (before the first: withdrawn); audited."""
    from etl.local.published import write_published

    state = LocalStore(settings.user_dir).rollback(dataset)
    write_published(settings.user_dir)
    _audit(settings, actor, "roll back local dataset", dataset, version=state.published_version or "none")
    return state
