"""Saved user-made areas: a small JSON store under ``data/user/``, outside the warehouse.

Why: areas an officer draws must survive every warehouse rebuild (the warehouse file is
replaced wholesale), be shareable by URL (each has a stable id) and be exportable and
importable. Writes take an exclusive file lock and replace the file atomically, so two
dashboard threads or processes never corrupt it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from dashboard.data.locked_json import locked_json, read_json_object
from dashboard.safe_cells import csv_row

CODE_PATTERN = re.compile(r"\bS0[12]\d{6}\b")
#: Any Scottish area code (data zone, IZ, ward, council, …) or a UK postcode in any case and
#: spacing ("AB10 1AB", "ab101ab"); what an officer pastes from a client list or a spreadsheet.
TOKEN_PATTERN = re.compile(r"\b(S\d{8})\b|\b([A-Za-z]{1,2}[0-9][0-9A-Za-z]?\s*[0-9][A-Za-z]{2})\b")
GEOJSON_CODE_FIELDS = ("datazone_code", "DataZone", "DataZone2011", "DZ", "dz11_code", "area_code", "code")
#: GSS codes of England (E), Wales (W) and Northern Ireland (N, 95…): read only to say they are not Scottish.
FOREIGN_CODE_PATTERN = re.compile(r"\b([EWN]\d{8}|95[A-Z]{2}\d{2}[A-Z0-9]{2,3})\b")
NAME_MAX_CHARS = 120
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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

    def _locked(self) -> AbstractContextManager[dict[str, dict]]:
        return locked_json(self.path)

    def _read(self) -> dict[str, dict]:
        return read_json_object(self.path)

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


def clean_unicode(text: str) -> str:
    """``text`` with lone UTF-16 surrogates replaced by U+FFFD and control characters removed.

    Why: a JSON string may carry a lone surrogate (``"\\ud800"``), which Python keeps but no
    file format can encode: the PDF export failed on it (issue 14)."""
    return _CONTROL.sub("", _SURROGATES.sub("\ufffd", text))


def _clean_name(name: str) -> str:
    name = " ".join(clean_unicode(name or "").split())
    if not name:
        raise ValueError("give the area a name")
    return name[:NAME_MAX_CHARS]


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


def foreign_codes(text: str) -> list[str]:
    """English, Welsh and Northern Irish area codes in ``text`` (first seen order): cpop covers
    Scotland only, so these are reported to the user rather than dropped."""
    return list(dict.fromkeys(FOREIGN_CODE_PATTERN.findall(text or "")))


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
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            raise ValueError(f"feature {i} is not a GeoJSON Feature with properties")
        value = next((str(props[f]) for f in GEOJSON_CODE_FIELDS if props.get(f)), None)
        if value is not None and FOREIGN_CODE_PATTERN.fullmatch(value.strip()):
            raise ValueError(f"feature {i} has the code {value.strip()}, which is not a Scottish data zone "
                             "(cpop covers Scotland only)")
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
