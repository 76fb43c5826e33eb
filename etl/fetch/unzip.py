"""Safe extraction of a publisher's zip (the Scottish Government's zipped Shapefiles).

Why: a zip from the web is untrusted input. A member named ``../../x`` or ``/etc/x`` would write
outside the release folder; a few kilobytes can inflate to gigabytes (a zip bomb); a zip that
lost its ``.shp`` would land a folder the build cannot read. Each of those stops the source with
one sentence naming the zip and the member, before anything is written: only the members the
manifest expects (by suffix) are extracted, flat, into the source's hidden staging folder, with
the decompressed bytes counted as they are written (a zip's own size headers can lie).
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from etl.errors import InputError
from etl.fetch.manifest import Unzip
from etl.sources.files import sha256_of

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Extracted:
    """One member written out of a zip, with its checksum for the release record."""

    name: str
    member: str
    size_bytes: int
    sha256: str


def extract_zip(archive: Path, into: Path, rule: Unzip, *, shown_as: str) -> list[Extracted]:
    """Extract the members of ``archive`` whose suffix ``rule.members`` lists into ``into`` (flat).

    Raises ``InputError`` naming ``shown_as`` (the zip and its URL) when the file is not a zip, a
    member's path is absolute or climbs out (``..``) or is a link, two wanted members share a
    name, a required suffix is missing, or the decompressed size passes ``rule.max_mb``. Files
    already written by a failed call are removed; the caller's staging folder is discarded anyway.
    """
    limit = int(rule.max_mb * 1e6)
    try:
        with zipfile.ZipFile(archive) as zipped:
            infos = zipped.infolist()
            for info in infos:
                _refuse_unsafe(info, shown_as)
            wanted = _wanted(infos, rule, shown_as)
            for info in wanted:
                _refuse_unreadable(info, shown_as)
            declared = sum(i.file_size for i in wanted)
            if declared > limit:
                raise InputError(shown_as, f"the zip would unpack to {declared / 1e6:.1f} MB, above the limit of "
                                 f"{rule.max_mb:g} MB", hint=_LIMIT_HINT)
            written: list[Path] = []
            try:
                return [_write(zipped, info, into, limit, written, shown_as) for info in wanted]
            except BaseException:
                for path in written:
                    path.unlink(missing_ok=True)
                raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise InputError(shown_as, f"is not a zip that can be read ({exc})",
                         hint="the download may be damaged; fetch again, or check the URL in "
                              "etl/sources/manifest.yaml") from exc


#: the compression methods Python's zipfile can read (publishers use deflate)
READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})


def _refuse_unreadable(info: zipfile.ZipInfo, shown_as: str) -> None:
    """A wanted member packed with a method zipfile cannot read (deflate64, ...) is named before
    anything is written, rather than failing halfway through extraction."""
    if info.compress_type not in READABLE_METHODS:
        raise InputError(shown_as, f"member {info.filename!r} uses compression method {info.compress_type}, "
                         "which cannot be unpacked here",
                         hint="nothing was replaced; unpack the zip by hand into data/raw (README, "
                              "'Adding real data by hand')")


_LIMIT_HINT = ("nothing was replaced; a zip this large is not the expected file (raise unzip.max_mb in "
               "etl/sources/manifest.yaml only if the publisher's file really grew)")


def _refuse_unsafe(info: zipfile.ZipInfo, shown_as: str) -> None:
    """Any member that could land outside the folder stops the whole zip, wanted or not."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        raise InputError(shown_as, f"member '{name}' has an unsafe path (absolute or climbing out with '..')",
                         hint="nothing was extracted or replaced; the zip is not the publisher's usual file")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise InputError(shown_as, f"member '{name}' is a symbolic link",
                         hint="nothing was extracted or replaced; the zip is not the publisher's usual file")


def _wanted(infos: list[zipfile.ZipInfo], rule: Unzip, shown_as: str) -> list[zipfile.ZipInfo]:
    suffixes = {s.lower() for s in rule.members}
    wanted = [i for i in infos if not i.is_dir() and PurePosixPath(i.filename).suffix.lower() in suffixes]
    names = [PurePosixPath(i.filename).name for i in wanted]
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice:
        raise InputError(shown_as, f"two members are named {twice} (in different folders of the zip)",
                         hint="cpop extracts a zip flat; the publisher's layout changed")
    found = ", ".join(i.filename for i in infos[:10]) or "nothing"
    for suffix in rule.required:
        count = sum(1 for n in names if n.lower().endswith(suffix.lower()))
        if count != 1:
            what = "no" if count == 0 else f"{count}"
            raise InputError(shown_as, f"the zip has {what} '{suffix}' member(s), expected one (it holds: {found})",
                             hint="nothing was replaced; the publisher's layout changed: check the download and "
                                  "the manifest's unzip rule")
    return wanted


def _write(zipped: zipfile.ZipFile, info: zipfile.ZipInfo, into: Path, limit: int, written: list[Path],
           shown_as: str) -> Extracted:
    """Stream one member out, counting bytes against what is left of the limit."""
    target = into / PurePosixPath(info.filename).name
    if target.exists():
        raise InputError(shown_as, f"member {target.name} has the name of another file of the source",
                         hint="rename the file in etl/sources/manifest.yaml")
    already = sum(p.stat().st_size for p in written)
    size = 0
    written.append(target)
    with zipped.open(info) as source, target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            if already + size > limit:
                raise InputError(shown_as, f"the zip unpacks to more than {limit / 1e6:g} MB (stopped in "
                                 f"{info.filename})", hint=_LIMIT_HINT)
            out.write(chunk)
    return Extracted(target.name, info.filename, size, sha256_of(target))
