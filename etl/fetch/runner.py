"""Refresh each source of the manifest into ``data/raw/<folder>/<release>/``, one source at a time.

Why: a source is refreshed whole or not at all. Its files are downloaded into a hidden folder
beside the releases (``.incoming-<source>``), checked against the layout the build reads, and
only then moved into place under a new release name in one rename: an earlier release is never
written over, and a failure (network, publisher, changed layout) leaves ``data/raw`` as it was
and is reported for that source while the others go on.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from etl.errors import InputError
from etl.fetch.client import Client, Download
from etl.fetch.errors import FetchError
from etl.fetch.layout import check_layout
from etl.fetch.manifest import (
    SPARQL_DIR,
    FileSpec,
    Manifest,
    SourceSpec,
    cube_table_url,
    dataset_query,
    query_text,
)
from etl.fetch.releases import month_of, release_from, this_month
from etl.fetch.state import load_state, save_state
from etl.fetch.unzip import Extracted, extract_zip
from etl.sources.files import sha256_of

#: (source, file name, bytes so far, total or None)
FetchProgress = Callable[[str, str, int, int | None], None]
#: the record of what one source landed in a release folder (two sources may share a folder)
RECORD = ".fetch-{source}.yaml"


@dataclass
class FileOutcome:
    name: str
    origin: str
    status: str  # new | unchanged | would download | would query
    size_bytes: int = 0
    sha256: str | None = None


@dataclass
class SourceOutcome:
    """What happened to one source; ``status`` is new, unchanged, would change, or failed."""

    source: str
    status: str
    release: str | None = None
    folder: Path | None = None
    message: str = ""
    files: list[FileOutcome] = field(default_factory=list)


@dataclass
class _Resolved:
    spec: FileSpec
    origin: str  # the URL downloaded (or the SPARQL endpoint)
    modified: str | None = None  # CKAN's last_modified of the resource


def fetch_sources(manifest: Manifest, raw_dir: Path, *, only: Sequence[str] = (), dry_run: bool = False,
                  contact: str | None = None, progress: FetchProgress | None = None,
                  now: datetime | None = None, sparql_dir: Path = SPARQL_DIR) -> list[SourceOutcome]:
    """Refresh the sources named in ``only`` (all when empty); one outcome per source, never raising for one."""
    unknown = [s for s in only if s not in manifest.sources]
    if unknown:
        raise InputError(None, f"unknown source '{unknown[0]}'",
                         hint="choose from " + ", ".join(manifest.sources))
    d = manifest.defaults
    client = Client(manifest.agent(contact), timeout_s=d.timeout_s, retries=d.retries, backoff_s=d.backoff_s)
    outcomes = []
    try:
        for name, spec in manifest.sources.items():
            if only and name not in only:
                continue
            job = _SourceJob(name, spec, manifest, raw_dir, client, progress, now or datetime.now(UTC), sparql_dir)
            try:
                outcomes.append(job.dry_run() if dry_run else job.run())
            except FetchError as exc:
                outcomes.append(SourceOutcome(name, "failed", message=str(exc)))
            except InputError as exc:
                outcomes.append(SourceOutcome(name, "failed", message=f"{name}: {exc}"))
    finally:
        client.close()
    return outcomes


class _SourceJob:
    def __init__(self, name: str, spec: SourceSpec, manifest: Manifest, raw_dir: Path, client: Client,
                 progress: FetchProgress | None, now: datetime, sparql_dir: Path) -> None:
        self.name, self.spec, self.client, self.now = name, spec, client, now
        self.max_mb = manifest.defaults.max_mb
        self.raw_dir = raw_dir
        self.folder = raw_dir / spec.folder
        self.progress = progress
        self.sparql_dir = sparql_dir
        state = load_state(raw_dir).get(name) or {}
        previous = self.folder / state["release"] if state.get("release") else None
        # a previous release someone has deleted is fetched afresh
        self.previous = state if previous is not None and previous.is_dir() else {}
        self.previous_dir = previous if self.previous else None

    # ------------------------------------------------------------------------------- the release
    def _resolve(self) -> list[_Resolved]:
        resolved = []
        for spec in self.spec.files:
            if spec.ckan_resource:
                api = f"{self.spec.endpoint.rstrip('/')}/api/3/action/resource_show"  # type: ignore[union-attr]
                answer = self.client.get_json(self.name, api, params={"id": spec.ckan_resource})
                result = answer.get("result") if isinstance(answer, dict) and answer.get("success") else None
                if not isinstance(result, dict) or not result.get("url"):
                    raise FetchError(self.name, f"the CKAN API gave no download URL for resource {spec.ckan_resource}",
                                     url=api, hint="the resource may have been replaced: update ckan_resource")
                modified = result.get("last_modified") or result.get("metadata_modified") or result.get("created")
                resolved.append(_Resolved(spec, str(result["url"]), str(modified) if modified else None))
            elif spec.sparql:
                resolved.append(_Resolved(spec, self.spec.endpoint or ""))
            elif spec.cube:
                resolved.append(_Resolved(spec, cube_table_url(self.spec.endpoint or "", spec.cube)))
            else:
                resolved.append(_Resolved(spec, spec.url or ""))
        return resolved

    def _early_release(self, files: list[_Resolved]) -> str | None:
        """The release named before downloading (CKAN, SPARQL, edition), when the rule allows."""
        rule = self.spec.release
        if rule.from_ == "edition":
            return rule.edition
        if rule.from_ == "ckan":
            modified = next(f.modified for f in files if f.spec.name == rule.file)
            return self._named(modified or "", "the CKAN resource's last_modified")
        if rule.from_ in ("sparql", "cube"):
            query = (query_text(rule.query or "", self.sparql_dir) if rule.from_ == "sparql" else
                     dataset_query(next(f.spec.cube or "" for f in files if f.spec.name == rule.file), self.sparql_dir))
            text = self.client.post_text(self.name, self.spec.endpoint or "", {"query": query}, "text/csv")
            rows = list(csv.reader(io.StringIO(text)))
            value = rows[1][0] if len(rows) > 1 and rows[1] else ""
            return self._named(value, "the SPARQL release query's answer")
        return None

    def _named(self, text: str, what: str) -> str:
        release = release_from(text, self.spec.release.pattern)
        if not release:
            raise FetchError(self.name, f"cannot tell the release from {what} ('{text[:60]}')",
                             hint="check release.pattern in etl/sources/manifest.yaml")
        return release

    def _unchanged_release(self, release: str | None) -> bool:
        """A CKAN, SPARQL or dataset release date that equals the last one fetched: nothing to download."""
        return (self.spec.release.from_ in ("ckan", "sparql", "cube") and release is not None
                and release in (self.previous.get("release"), self.previous.get("release_seen")))

    # ------------------------------------------------------------------------------- dry run
    def dry_run(self) -> SourceOutcome:
        files = self._resolve()
        release = self._early_release(files)
        if self._unchanged_release(release):
            return self._up_to_date()
        outcomes, changed = [], False
        for item in files:
            if item.spec.sparql:
                outcomes.append(FileOutcome(item.spec.name, item.origin, "would query"))
                changed = True
                continue
            etag, modified = self._validators(item.spec.name)
            probe = self.client.probe(self.name, item.origin, etag=etag, last_modified=modified)
            if not probe.unchanged:
                changed = True
            if self.spec.release.from_ == "last_modified" and item.spec.name == self.spec.release.file:
                release = month_of(probe.last_modified or "") or release
            outcomes.append(FileOutcome(item.spec.name, item.origin, "unchanged" if probe.unchanged
                                        else "would download", probe.size_bytes))
        if not changed:
            return self._up_to_date()
        if release is None and self.spec.release.from_ == "first_seen":
            release = this_month(self.now)
        where = f" as release {release}" if release else ""
        return SourceOutcome(self.name, "would change", release, self.folder / release if release else None,
                             f"would fetch {self.spec.title}{where}", outcomes)

    # ------------------------------------------------------------------------------- the refresh
    def run(self) -> SourceOutcome:
        files = self._resolve()
        release = self._early_release(files)
        if self._unchanged_release(release):
            return self._up_to_date()
        staging = self.folder / f".incoming-{self.name}"
        staging.mkdir(parents=True, exist_ok=True)
        try:
            results = {item.spec.name: self._download(item, staging) for item in files}
        except FetchError:
            _keep_partials(staging)
            raise
        new = {n: r for n, r in results.items() if not r.unchanged}
        if not new:
            shutil.rmtree(staging, ignore_errors=True)
            if release and self.previous and release != self.previous.get("release"):
                # a new release date with the same content: remember it, so it is not asked again
                state = load_state(self.raw_dir)
                state[self.name]["release_seen"] = release
                save_state(self.raw_dir, state)
            return self._up_to_date()
        try:
            self._complete(staging, files, results)
            unpacked = {item.spec.name: extract_zip(staging / item.spec.name, staging, item.spec.unzip,
                                                    shown_as=f"{item.spec.name} from {item.origin}")
                        for item in files if item.spec.unzip}
            for item in files:
                if item.spec.name in new:
                    checked, shown_as = staging / item.spec.name, f"{item.spec.name} from {item.origin}"
                    if item.spec.unzip:
                        checked = next(staging / e.name for e in unpacked[item.spec.name]
                                       if e.name.lower().endswith(item.spec.unzip.check.lower()))
                        shown_as = f"{checked.name} in {shown_as}"
                    check_layout(checked, item.spec.expect, folder=self.spec.folder, shown_as=shown_as)
            release = release or self._late_release(results)
            target = self.folder / release
            names = [i.spec.name for i in files] + [e.name for got in unpacked.values() for e in got]
            if target.exists() and (refused := self._taken(target, release, names)):
                raise FetchError(self.name, refused[0], hint=refused[1])
            self._record(staging, files, results, release, unpacked)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if target.exists():  # another source's release of the same name: this one's files join it, none replaced
            for path in sorted(staging.iterdir()):
                os.replace(path, target / path.name)
            staging.rmdir()
        else:
            os.replace(staging, target)
        self._save(release, files, results)
        outcomes = [FileOutcome(i.spec.name, i.origin, "unchanged" if results[i.spec.name].unchanged else "new",
                                *self._size_sha(target / i.spec.name)) for i in files]
        return SourceOutcome(self.name, "new", release, target,
                             f"new release {release}: {len(new)} of {len(files)} file(s) changed", outcomes)

    def _taken(self, target: Path, release: str, names: list[str]) -> tuple[str, str] | None:
        """Why an existing release folder is not written to (reason, what to do); None when another source's
        files of the same release are there and none has a name of this source's files."""
        owners = sorted(p.name[len(".fetch-"):-len(".yaml")] for p in target.glob(RECORD.format(source="*")))
        keep = "the earlier files were kept; "
        if self.name in owners:
            return (f"the publisher changed its files but names the same release, {release}, which is already in "
                    f"{target}", keep + "to take the new ones, move that folder aside (or change the release rule) "
                    "and fetch again")
        if not owners:
            return (f"release folder {target} already exists and was not made by `cpop fetch`",
                    keep + "move it aside if its files should be replaced, then fetch again")
        clash = [n for n in names if (target / n).exists()]
        if clash:
            return (f"release folder {target} of source '{owners[0]}' already has a file named {clash[0]}",
                    keep + "give the two sources different folders or file names in etl/sources/manifest.yaml")
        return None

    def _validators(self, name: str) -> tuple[str | None, str | None]:
        if self.previous_dir is None or not (self.previous_dir / name).is_file():
            return None, None
        known = (self.previous.get("files") or {}).get(name) or {}
        return known.get("etag"), known.get("last_modified")

    def _download(self, item: _Resolved, staging: Path) -> Download:
        spec = item.spec
        part = staging / f"{spec.name}.part"
        limit = int((spec.max_mb or self.max_mb) * 1e6)

        def tick(done: int, total: int | None) -> None:
            if self.progress:
                self.progress(self.name, spec.name, done, total)

        if spec.sparql:
            part.unlink(missing_ok=True)  # a query's answer is never resumed
            got = self.client.download(self.name, item.origin, part, max_bytes=limit, accept="text/csv",
                                       data={"query": query_text(spec.sparql, self.sparql_dir)}, progress=tick)
        else:
            etag, modified = self._validators(spec.name)
            got = self.client.download(self.name, item.origin, part, max_bytes=limit, etag=etag,
                                       last_modified=modified, progress=tick)
        known = ((self.previous.get("files") or {}).get(spec.name) or {}) if self.previous_dir else {}
        if got.unchanged or (got.sha256 and got.sha256 == known.get("sha256")):
            part.unlink(missing_ok=True)
            return Download(unchanged=True, etag=got.etag or known.get("etag"),
                            last_modified=got.last_modified or known.get("last_modified"),
                            sha256=known.get("sha256"), size_bytes=int(known.get("size_bytes") or 0))
        os.replace(part, staging / spec.name)
        return got

    def _late_release(self, results: dict[str, Download]) -> str:
        rule = self.spec.release
        if rule.from_ == "last_modified":
            modified = results[rule.file or ""].last_modified
            if not modified:
                raise FetchError(self.name, f"the publisher sent no Last-Modified date for {rule.file}",
                                 hint="use release from: first_seen for this source in etl/sources/manifest.yaml")
            return self._named(modified, f"the Last-Modified date of {rule.file}")
        return this_month(self.now)

    def _complete(self, staging: Path, files: list[_Resolved], results: dict[str, Download]) -> None:
        """Copy the files that did not change from the previous release: a release folder is whole."""
        for item in files:
            if results[item.spec.name].unchanged:
                if self.previous_dir is None:
                    raise FetchError(self.name, f"{item.spec.name} is unchanged but the previous release is gone")
                shutil.copy2(self.previous_dir / item.spec.name, staging / item.spec.name)
        for leftover in staging.glob("*.validator"):
            leftover.unlink()

    def _record(self, staging: Path, files: list[_Resolved], results: dict[str, Download], release: str,
                unpacked: dict[str, list[Extracted]]) -> None:
        """``.fetch-<source>.yaml`` in the release folder: where each file came from, when, and its checksum
        (and for a zip, each member extracted from it)."""
        record = {
            "source": self.name, "publisher": self.spec.publisher, "title": self.spec.title, "page": self.spec.page,
            "release": release, "release_rule": self.spec.release.from_, "fetched_at": self.now.isoformat(timespec="seconds"),
            "files": [{"name": i.spec.name, "origin": i.origin, "sparql": i.spec.sparql,
                       "etag": results[i.spec.name].etag, "last_modified": results[i.spec.name].last_modified,
                       "size_bytes": (staging / i.spec.name).stat().st_size,
                       "sha256": results[i.spec.name].sha256 or "",
                       "unchanged_from": self.previous.get("release") if results[i.spec.name].unchanged else None,
                       **({"extracted": [{"name": e.name, "member": e.member, "size_bytes": e.size_bytes,
                                          "sha256": e.sha256} for e in unpacked[i.spec.name]]}
                          if i.spec.name in unpacked else {})}
                      for i in files],
        }
        (staging / RECORD.format(source=self.name)).write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def _save(self, release: str, files: list[_Resolved], results: dict[str, Download]) -> None:
        state = load_state(self.raw_dir)
        state[self.name] = {"release": release, "fetched_at": self.now.isoformat(timespec="seconds"), "files": {
            i.spec.name: {"origin": i.origin, "etag": results[i.spec.name].etag,
                          "last_modified": results[i.spec.name].last_modified,
                          "sha256": results[i.spec.name].sha256,
                          "size_bytes": results[i.spec.name].size_bytes} for i in files}}
        save_state(self.raw_dir, state)

    def _up_to_date(self) -> SourceOutcome:
        release = self.previous.get("release")
        return SourceOutcome(self.name, "unchanged", release, self.previous_dir,
                             f"up to date (release {release})" if release else "up to date")

    @staticmethod
    def _size_sha(path: Path) -> tuple[int, str]:
        return path.stat().st_size, sha256_of(path)


def _keep_partials(staging: Path) -> None:
    """After a failure keep only what resumes the next run (``.part`` files and their validators)."""
    for path in staging.iterdir() if staging.is_dir() else []:
        if not path.name.endswith((".part", ".validator")):
            path.unlink(missing_ok=True)
