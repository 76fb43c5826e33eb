"""Does a downloaded file still have the layout the build reads?

Why: publishers rename columns and sheets between releases. A file that no longer fits must
stop its source's refresh with the file, the missing heading and what was found, before it
replaces anything, rather than break the next build.
"""

from __future__ import annotations

import csv
import importlib
import json
from pathlib import Path

import openpyxl
import yaml

from etl.errors import InputError
from etl.fetch.manifest import Expect

REGISTRY = Path(__file__).resolve().parent.parent / "sources" / "registry.yaml"


def check_layout(path: Path, expect: Expect, *, folder: str, shown_as: str) -> None:
    """Raise ``InputError`` naming ``shown_as`` (the file's URL or name) when ``path`` does not fit."""
    if expect.format == "csv":
        _check_csv(path, expect, shown_as)
    elif expect.format == "xlsx":
        _check_workbook(path, expect, shown_as)
    elif expect.format == "shapefile":
        _check_shapefile(path, expect, shown_as)
    else:
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise InputError(shown_as, f"is not JSON ({exc})") from exc
    if expect.reader:
        if expect.format == "shapefile":
            _check_with_layer_reader(path, folder, shown_as)
        else:
            _check_with_reader(path, folder, shown_as)


def _check_csv(path: Path, expect: Expect, shown_as: str) -> None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        raise InputError(shown_as, "is not UTF-8 text: not the CSV expected", row=1) from exc
    if not header:
        raise InputError(shown_as, "is empty: no heading line", row=1)
    header = [h.strip() for h in header]
    missing = [c for c in expect.columns if c not in header]
    if missing:
        found = ", ".join(header[:10]) + (", …" if len(header) > 10 else "")
        raise InputError(shown_as, f"the publisher's layout changed: no '{missing[0]}' column (found: {found})",
                         row=1, column=missing[0],
                         hint="nothing was replaced; update the loader and the manifest's expected columns")


def _check_workbook(path: Path, expect: Expect, shown_as: str) -> None:
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a file that is not a workbook
        raise InputError(shown_as, f"cannot be opened as an Excel workbook ({type(exc).__name__})") from exc
    try:
        sheets = list(book.sheetnames)
    finally:
        book.close()
    missing = [s for s in expect.sheets if s not in sheets]
    if missing:
        raise InputError(shown_as, f"the publisher's layout changed: no sheet '{missing[0]}' (found: "
                         f"{', '.join(sheets[:8])})", hint="nothing was replaced; update the loader and the manifest")


def _check_with_reader(path: Path, folder: str, shown_as: str) -> None:
    readers = yaml.safe_load(REGISTRY.read_text(encoding="utf-8")).get("readers") or {}
    if folder not in readers:
        raise InputError(REGISTRY, f"the fetch manifest asks for the '{folder}' reader, which the registry does not list")
    reader = importlib.import_module(readers[folder]).READER
    try:
        reader.read(path)
    except InputError as exc:
        raise InputError(shown_as, f"the publisher's layout changed: {exc.reason}", row=exc.row, column=exc.column,
                         hint="nothing was replaced; update the reader (etl/sources/) for the new layout") from exc


def _check_shapefile(path: Path, expect: Expect, shown_as: str) -> None:
    """The attribute fields of a Shapefile (its ``.dbf``), read without loading the polygons."""
    import pyogrio
    import pyogrio.errors

    try:
        fields = [str(f) for f in pyogrio.read_info(path)["fields"]]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InputError(shown_as, f"cannot be read as a Shapefile ({exc})",
                         hint="nothing was replaced; the download may be damaged, fetch again") from exc
    missing = [c for c in expect.columns if c.lower() not in {f.lower() for f in fields}]
    if missing:
        raise InputError(shown_as, f"the publisher's layout changed: no '{missing[0]}' field (found: "
                         f"{', '.join(fields[:10])})", column=missing[0],
                         hint="nothing was replaced; update the boundary reader and the manifest's expected fields")


#: the build's readers of a boundary folder: read the whole layer as the build will
_LAYER_READERS = {"boundaries": "geo.boundaries:read_datazone_boundaries"}


def _check_with_layer_reader(path: Path, folder: str, shown_as: str) -> None:
    if folder not in _LAYER_READERS:
        raise InputError(None, f"the fetch manifest asks for a reader of '{folder}' layers, which cpop does not "
                         f"have (only: {', '.join(_LAYER_READERS)})", hint="set expect.reader: false for it")
    module, name = _LAYER_READERS[folder].split(":")
    read = getattr(importlib.import_module(module), name)
    try:
        read(path)
    except InputError as exc:
        raise InputError(shown_as, f"the build cannot read it: {exc.reason}", row=exc.row, column=exc.column,
                         hint="nothing was replaced; " + (exc.hint or "check the publisher's file")) from exc
