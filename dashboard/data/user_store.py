"""Saved user-made areas: a small JSON store under ``data/user/``, outside the warehouse.

Why: areas an officer draws must survive every warehouse rebuild (the warehouse file is
replaced wholesale), be shareable by URL (each has a stable id) and be exportable and
importable. Writes take an exclusive file lock and replace the file atomically, so two
dashboard threads or processes never corrupt it.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from dashboard.safe_cells import csv_row

CODE_PATTERN = re.compile(r"\bS0[12]\d{6}\b")
#: Any Scottish area code (data zone, IZ, ward, council, …) or a UK postcode in any case and
#: spacing ("AB10 1AB", "ab101ab"); what an officer pastes from a client list or a spreadsheet.
TOKEN_PATTERN = re.compile(r"\b(S\d{8})\b|\b([A-Za-z]{1,2}[0-9][0-9A-Za-z]?\s*[0-9][A-Za-z]{2})\b")
GEOJSON_CODE_FIELDS = ("datazone_code", "DataZone", "DataZone2011", "DZ", "dz11_code", "area_code", "code")


@dataclass(frozen=True)
class UserArea:
    """A named set of 2011 data zones made by a user."""

    area_id: str
    name: str
    datazones: tuple[str, ...]
    created_at: str
    updated_at: str


class UserAreaStore:
    """CRUD over ``<user_dir>/areas.json``."""

    def __init__(self, user_dir: Path) -> None:
        self.path = Path(user_dir) / "areas.json"

    @contextmanager
    def _locked(self) -> Iterator[dict[str, dict]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = self._read()
                yield data
                self._write(data)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read(self) -> dict[str, dict]:
        if not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8") or "{}")

    def _write(self, data: dict[str, dict]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".areas-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
        os.replace(tmp, self.path)

    def list(self) -> list[UserArea]:
        """Every saved area, by name."""
        return sorted((_area(d) for d in self._read().values()), key=lambda a: a.name.lower())

    def get(self, area_id: str) -> UserArea | None:
        """One area by id, or None."""
        record = self._read().get(area_id)
        return _area(record) if record else None

    def create(self, name: str, datazones: list[str] | tuple[str, ...]) -> UserArea:
        """Save a new area and return it (with its new id)."""
        name = _clean_name(name)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        area = UserArea(secrets.token_urlsafe(6).replace("-", "x").replace("_", "y"), name,
                        tuple(sorted(set(datazones))), now, now)
        with self._locked() as data:
            data[area.area_id] = asdict(area)
        return area

    def rename(self, area_id: str, name: str) -> UserArea:
        """Give a saved area a new name."""
        with self._locked() as data:
            if area_id not in data:
                raise KeyError(f"no saved area with id '{area_id}'")
            data[area_id]["name"] = _clean_name(name)
            data[area_id]["updated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            return _area(data[area_id])

    def delete(self, area_id: str) -> None:
        """Remove a saved area (no error if it is already gone)."""
        with self._locked() as data:
            data.pop(area_id, None)


def _area(record: dict) -> UserArea:
    return UserArea(record["area_id"], record["name"], tuple(record["datazones"]), record["created_at"],
                    record["updated_at"])


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValueError("give the area a name")
    return name[:120]


def codes_from_text(text: str) -> list[str]:
    """Area codes and postcodes found in pasted text or a CSV, in order of first appearance.

    Area codes (S01 data zones, S02 intermediate zones, or any other area such as a ward) are
    kept as written; postcodes are normalised to ``"AB10 1AB"`` form. ``expand_codes`` turns
    the result into data zones (a postcode into the data zone it lies in).
    """
    seen: dict[str, None] = {}
    for code, postcode in TOKEN_PATTERN.findall(text or ""):
        if code:
            seen.setdefault(code, None)
        else:
            squashed = re.sub(r"\s+", "", postcode).upper()
            seen.setdefault(f"{squashed[:-3]} {squashed[-3:]}", None)
    return list(seen)


def codes_from_geojson(content: bytes | str) -> list[str]:
    """Codes from a GeoJSON FeatureCollection whose features carry a data zone or IZ code."""
    try:
        doc = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid GeoJSON ({exc.msg} at line {exc.lineno})") from exc
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ValueError("not a GeoJSON FeatureCollection (no 'features' list)")
    codes: dict[str, None] = {}
    for i, feature in enumerate(features, start=1):
        props = (feature or {}).get("properties") or {}
        value = next((str(props[f]) for f in GEOJSON_CODE_FIELDS if props.get(f)), None)
        if value is None or not CODE_PATTERN.fullmatch(value.strip()):
            raise ValueError(f"feature {i} has no data zone or intermediate zone code in its properties "
                             f"(looked for {', '.join(GEOJSON_CODE_FIELDS)})")
        codes.setdefault(value.strip(), None)
    return list(codes)


def area_to_csv(area: UserArea) -> bytes:
    """The area as CSV (one data zone per row), re-importable with ``codes_from_text``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["area_name", "datazone_code"])
    for code in area.datazones:
        writer.writerow(csv_row([area.name, code]))
    return out.getvalue().encode("utf-8")


def area_to_geojson(area: UserArea, datazone_geometries: dict[str, str]) -> bytes:
    """The area as a GeoJSON FeatureCollection of its data zones (WGS84), re-importable."""
    features = [
        {"type": "Feature", "properties": {"area_name": area.name, "datazone_code": code},
         "geometry": json.loads(datazone_geometries[code]) if code in datazone_geometries else None}
        for code in area.datazones
    ]
    return json.dumps({"type": "FeatureCollection", "name": area.name, "features": features}).encode("utf-8")
