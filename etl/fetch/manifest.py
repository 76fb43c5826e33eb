"""The fetch manifest (``etl/sources/manifest.yaml``), validated with pydantic.

Why: where each source's files are, what they must look like and how a new release is
recognised are data, not code: adding a source is adding an entry, and a mistyped entry stops
``cpop fetch`` naming it before anything is downloaded.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal
from urllib.parse import quote, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from etl.errors import InputError

MANIFEST = Path(__file__).resolve().parent.parent / "sources" / "manifest.yaml"
SPARQL_DIR = Path(__file__).resolve().parent.parent / "sources" / "sparql"
DATASET_MODIFIED = "dataset_modified.rq"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Defaults(_Model):
    """Politeness settings (each overridable per file where it makes sense)."""

    timeout_s: float = 60.0
    retries: int = Field(4, ge=0, le=10)
    backoff_s: float = Field(2.0, ge=0)
    max_mb: float = Field(500.0, gt=0)


class Expect(_Model):
    """What a downloaded file must look like, so a changed layout stops before anything is replaced."""

    format: Literal["csv", "xlsx", "json", "shapefile"]
    #: CSV: headings that must be in the first line; shapefile: attribute fields (any order; others allowed)
    columns: list[str] = []
    #: workbook: sheets that must be present
    sheets: list[str] = []
    #: also read the file as the build will: the source's PublisherReader (etl/sources/registry.yaml
    #: ``readers``), or for a boundary layer the build's boundary reader (etl/fetch/layout.py)
    reader: bool = False


class Unzip(_Model):
    """A zip to unpack safely into the release folder (``etl/fetch/unzip.py``); ``expect`` then checks
    the member whose suffix is ``check`` (the Shapefile's ``.shp``)."""

    #: suffixes of the members extracted (others are left in the zip, which is kept beside them)
    members: list[str] = Field(min_length=1)
    #: suffixes that must each be there exactly once, else nothing lands
    required: list[str] = []
    check: str
    #: the decompressed size above which the zip is refused (a zip bomb)
    max_mb: float = Field(1000.0, gt=0)

    @model_validator(mode="after")
    def _suffixes(self) -> Unzip:
        suffixes = {s.lower() for s in self.members}
        if any(not s.startswith(".") for s in suffixes):
            raise ValueError("unzip.members are suffixes such as .shp")
        if any(s.lower() not in suffixes for s in self.required):
            raise ValueError("unzip.required must be among unzip.members")
        if self.check.lower() not in {s.lower() for s in self.required}:
            raise ValueError("unzip.check must be one of unzip.required (the member checked is always there)")
        return self


class FileSpec(_Model):
    """One file of a release: downloaded from ``url``, from a CKAN resource, a SPARQL query's result, or a
    statistics.gov.scot dataset's download (``cube``); a zip (``unzip``) has its wanted members extracted."""

    name: str
    url: str | None = None
    ckan_resource: str | None = None
    sparql: str | None = None
    #: a statistics.gov.scot dataset URI: its "download CSV" (the cube table, tidy format) on the endpoint's site
    cube: str | None = Field(None, pattern=r"^https?://[^\s<>\"{}|\\^`]+$")
    expect: Expect
    max_mb: float | None = Field(None, gt=0)
    #: the file is a zip: unpack these members next to it
    unzip: Unzip | None = None

    @model_validator(mode="after")
    def _one_origin(self) -> FileSpec:
        origins = [o for o in (self.url, self.ckan_resource, self.sparql, self.cube) if o]
        if len(origins) != 1:
            raise ValueError(f"file '{self.name}': give exactly one of url, ckan_resource, sparql, cube")
        if "/" in self.name or self.name.startswith("."):
            raise ValueError(f"file '{self.name}': a plain file name (no folder, not hidden)")
        if (self.expect.format == "shapefile") != (self.unzip is not None):
            raise ValueError(f"file '{self.name}': a shapefile arrives zipped: give unzip (and only then)")
        return self


class ReleaseRule(_Model):
    """How the release (the folder name under ``data/raw/<folder>/``) is recognised.

    * ``last_modified``: the month (YYYY-MM) of the ``Last-Modified`` of ``file``;
    * ``ckan``: the month the CKAN resource of ``file`` was last modified;
    * ``sparql``: the first value of the query ``query`` (``etl/sources/sparql/``), a date
      (its month) or, with ``pattern``, the text it matches;
    * ``cube``: the month of the ``dcterms:modified`` date of the statistics.gov.scot dataset of the
      ``cube`` file ``file`` (asked with ``etl/sources/sparql/dataset_modified.rq``);
    * ``edition``: the edition named here (SIMD ``2020v2``); files that change under the same
      edition are refused, never written over it;
    * ``first_seen``: the month cpop first downloaded changed files (publishers that date nothing).
    """

    from_: Literal["last_modified", "ckan", "sparql", "cube", "edition", "first_seen"] = Field(alias="from")
    file: str | None = None
    query: str | None = None
    edition: str | None = None
    pattern: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> ReleaseRule:
        needs = {"last_modified": "file", "ckan": "file", "sparql": "query", "cube": "file", "edition": "edition"}
        field = needs.get(self.from_)
        if field and not getattr(self, field):
            raise ValueError(f"release from {self.from_} needs '{field}'")
        return self


class SourceSpec(_Model):
    """One source: the files of one release, landed together in ``data/raw/<folder>/<release>/``."""

    folder: str
    publisher: str
    title: str
    page: str
    #: the SPARQL endpoint (``sparql`` files and release rule) or the CKAN site (``ckan_resource``)
    endpoint: str | None = None
    release: ReleaseRule
    files: list[FileSpec]
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> SourceSpec:
        names = [f.name for f in self.files]
        if len(set(names)) != len(names):
            raise ValueError("two files share a name")
        if self.release.file and self.release.file not in names:
            raise ValueError(f"release.file '{self.release.file}' is not one of the files")
        needs_endpoint = (self.release.from_ in ("ckan", "sparql", "cube")
                          or any(f.sparql or f.ckan_resource or f.cube for f in self.files))
        if needs_endpoint and not self.endpoint:
            raise ValueError("SPARQL, CKAN and cube files need 'endpoint'")
        if self.release.from_ == "cube" and not next(f for f in self.files if f.name == self.release.file).cube:
            raise ValueError(f"release from cube: '{self.release.file}' is not a cube file")
        return self


class Manifest(_Model):
    user_agent: str
    defaults: Defaults = Defaults()
    sources: dict[str, SourceSpec]

    def agent(self, contact: str | None = None) -> str:
        """The User-Agent: the project and its version, and the operator's contact when configured."""
        try:
            code_version = version("cpop")
        except PackageNotFoundError:  # running from a source tree
            code_version = "dev"
        agent = self.user_agent.format(version=code_version)
        return f"{agent} contact: {contact}" if contact else agent


def query_text(name: str, sparql_dir: Path = SPARQL_DIR) -> str:
    """The text of a SPARQL query file named in the manifest."""
    path = sparql_dir / name
    if not path.is_file():
        raise InputError(path, "SPARQL query file named in the fetch manifest does not exist")
    return path.read_text(encoding="utf-8")


def cube_table_url(endpoint: str, dataset: str) -> str:
    """statistics.gov.scot's "download CSV" of a whole dataset (the tidy cube table), on the site of
    the SPARQL ``endpoint`` (``https://statistics.gov.scot/sparql.csv``)."""
    site = urlsplit(endpoint)
    return f"{site.scheme}://{site.netloc}/downloads/cube-table?uri={quote(dataset, safe='')}"


def dataset_query(dataset: str, sparql_dir: Path = SPARQL_DIR) -> str:
    """The release query of a ``cube`` source: the dataset's ``dcterms:modified``."""
    return query_text(DATASET_MODIFIED, sparql_dir).replace("{dataset}", dataset)


def load_manifest(path: Path = MANIFEST) -> Manifest:
    """The manifest, or an ``InputError`` naming the entry and field at fault."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(path, f"cannot be read as YAML ({exc})") from exc
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(path, f"{where}: {first['msg']}", hint="fix the entry (see docs/refresh.md)") from exc
