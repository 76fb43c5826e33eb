"""Every version of every local dataset, kept under ``<user_dir>/local/`` (never in git).

Why: an officer must be able to see what was uploaded, what was accepted and why rows were
quarantined, publish it, replace it with a revision and go back. So each upload is a new
version folder that is never changed afterwards::

    <user_dir>/local/<dataset>/state.json          versions, the published one, the country
    <user_dir>/local/<dataset>/v001/raw/<file>      the file exactly as uploaded
                                   /tidy.csv        accepted values (FeatureCode, DateCode, numerator, denominator)
                                   /quarantine.csv  every rejected record with its row, column and reason
                                   /report.json     the validation report
                                   /metadata.yaml   the officer's metadata; guess.json the columns used
                                   /indicator.yaml  the catalogue entry (etl.catalogue.models.Indicator)

Publishing or rolling back only changes ``state.json`` and then rewrites the published tree the
build reads (``etl.local.published``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import yaml
from pydantic import BaseModel, Field

from etl.errors import InputError
from etl.local.guess import ColumnGuess
from etl.local.metadata import LocalMetadata, to_indicator
from etl.local.periods import first_year
from etl.local.validate import TIDY_COLUMNS, Validation, ValidationReport

LOCAL = "local"


class VersionInfo(BaseModel):
    """One upload of a dataset."""

    version: int
    added_at: str
    added_by: str
    file: str
    rows_read: int
    accepted: int
    quarantined: int
    revised: int = 0


class DatasetState(BaseModel):
    """``state.json``: a dataset's versions and which one (if any) the next build publishes."""

    id: str
    title: str
    organisation: str
    country: str = Field(description="'demo' or 'real': the country whose area codes it was checked against")
    published_version: int | None = None
    versions: list[VersionInfo] = Field(default_factory=list)

    @property
    def latest(self) -> int:
        return self.versions[-1].version if self.versions else 0


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)


class LocalStore:
    """The local datasets of one ``user_dir``."""

    def __init__(self, user_dir: Path) -> None:
        self.root = Path(user_dir) / LOCAL

    def dataset_dir(self, dataset: str) -> Path:
        return self.root / dataset

    def version_dir(self, dataset: str, version: int) -> Path:
        return self.root / dataset / f"v{version:03d}"

    def ids(self) -> list[str]:
        return sorted(p.parent.name for p in self.root.glob("*/state.json"))

    def state(self, dataset: str) -> DatasetState:
        path = self.dataset_dir(dataset) / "state.json"
        if not path.is_file():
            known = ", ".join(self.ids()) or "none yet"
            raise InputError(None, f"there is no local dataset '{dataset}' (datasets: {known})",
                             hint="`cpop local list` shows them")
        return DatasetState.model_validate_json(path.read_text(encoding="utf-8"))

    def states(self) -> list[DatasetState]:
        return [self.state(d) for d in self.ids()]

    def _save(self, state: DatasetState) -> None:
        _write_atomic(self.dataset_dir(state.id) / "state.json", state.model_dump_json(indent=2) + "\n")

    def report(self, dataset: str, version: int | None = None) -> ValidationReport:
        state = self.state(dataset)
        folder = self.version_dir(dataset, version or state.latest)
        return ValidationReport.model_validate_json((folder / "report.json").read_text(encoding="utf-8"))

    def quarantine_path(self, dataset: str, version: int | None = None) -> Path:
        return self.version_dir(dataset, version or self.state(dataset).latest) / "quarantine.csv"

    def tidy(self, dataset: str, version: int) -> pd.DataFrame:
        return pd.read_csv(self.version_dir(dataset, version) / "tidy.csv", dtype={"FeatureCode": str, "DateCode": str})

    def add(self, upload: Path, meta: LocalMetadata, guess: ColumnGuess, validation: Validation, *,
            country: str, actor: str) -> VersionInfo:
        """Keep a new version of ``meta.id`` (the first makes the dataset); nothing is published."""
        if validation.report.accepted == 0:
            raise InputError(upload, f"no row was accepted ({validation.report.quarantined:,} quarantined: "
                             f"{', '.join(validation.report.reasons)})",
                             hint="correct the columns chosen or the file; the quarantine lists every row")
        path = self.dataset_dir(meta.id) / "state.json"
        state = self.state(meta.id) if path.is_file() else DatasetState(
            id=meta.id, title=meta.title, organisation=meta.source_organisation, country=country)
        if state.country != country:
            raise InputError(upload, f"dataset '{meta.id}' was checked against the {state.country} country's "
                             f"areas, but the warehouse now holds the {country} one",
                             hint="give this upload another id in its metadata")
        version = state.latest + 1
        report = validation.report
        if state.versions:
            report = report.model_copy(update={"revised": revised_values(self.tidy(meta.id, state.latest),
                                                                          validation.tidy)})
        indicator = to_indicator(meta, native_geography=report.native_geography,
                                 first_year=min(first_year(p) for p in report.periods), version=version)
        final = self.version_dir(meta.id, version)
        work = final.with_name(f".{final.name}.incoming")
        shutil.rmtree(work, ignore_errors=True)
        (work / "raw").mkdir(parents=True)
        shutil.copy2(upload, work / "raw" / Path(upload).name)
        validation.tidy[TIDY_COLUMNS].to_csv(work / "tidy.csv", index=False)
        validation.quarantine.to_csv(work / "quarantine.csv", index=False)
        (work / "report.json").write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
        (work / "guess.json").write_text(guess.model_dump_json(indent=2) + "\n", encoding="utf-8")
        (work / "metadata.yaml").write_text(yaml.safe_dump(meta.model_dump(mode="json"), sort_keys=False),
                                            encoding="utf-8")
        (work / "indicator.yaml").write_text(yaml.safe_dump(indicator.model_dump(mode="json", exclude_none=True),
                                                            sort_keys=False), encoding="utf-8")
        os.replace(work, final)  # a version folder appears whole or not at all
        info = VersionInfo(version=version, added_at=datetime.now(UTC).isoformat(timespec="seconds"),
                           added_by=actor, file=Path(upload).name, rows_read=report.rows_read,
                           accepted=report.accepted, quarantined=report.quarantined, revised=report.revised)
        state.versions.append(info)
        state.title = meta.title
        self._save(state)
        return info

    def publish(self, dataset: str, version: int | None = None) -> DatasetState:
        """Make ``version`` (default the newest) the one the next build publishes."""
        state = self.state(dataset)
        chosen = version or state.latest
        if chosen not in {v.version for v in state.versions}:
            raise InputError(None, f"dataset '{dataset}' has no version {chosen} (versions 1 to {state.latest})")
        state.published_version = chosen
        self._save(state)
        return state

    def rollback(self, dataset: str) -> DatasetState:
        """Publish the version before the published one (none before the first: withdrawn)."""
        state = self.state(dataset)
        if state.published_version is None:
            raise InputError(None, f"dataset '{dataset}' is not published, so there is nothing to roll back",
                             hint=f"`cpop local publish {dataset}` publishes it")
        earlier = [v.version for v in state.versions if v.version < state.published_version]
        state.published_version = earlier[-1] if earlier else None
        self._save(state)
        return state


def revised_rows(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The area-period values of the previous version that changed (or disappeared) in this one:
    ``FeatureCode``, ``DateCode`` and ``numerator``/``denominator`` ``_before`` and ``_after``."""
    merged = before.merge(after, on=["FeatureCode", "DateCode"], how="left", suffixes=("_before", "_after"))
    changed = pd.Series(False, index=merged.index)
    for column in ("numerator", "denominator"):
        b, a = merged[f"{column}_before"], merged[f"{column}_after"]
        changed |= ~((b == a) | (b.isna() & a.isna()))
    return merged[changed].reset_index(drop=True)


def revised_values(before: pd.DataFrame, after: pd.DataFrame) -> int:
    """How many area-period values of the previous version changed (or disappeared) in this one."""
    return len(revised_rows(before, after))
