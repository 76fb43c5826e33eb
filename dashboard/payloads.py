"""What a callback accepts from the browser: types, sizes and known codes, checked on the server.

Why: every value a page sends back can be forged (issue 14, finding 6): a saved area of
200,000 made-up codes, a list of numbers where codes belong, a name with a lone UTF-16
surrogate that breaks the PDF, commentary on an indicator that does not exist. Callbacks pass
what they receive through these functions (pydantic where a value has a shape) and show the
``PayloadError`` message to the user; nothing is stored or computed from an unchecked value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

from dashboard.data.user_store import NAME_MAX_CHARS, clean_unicode
from dashboard.guard import PayloadError

#: Scotland has 6,976 data zones (2011): no area, saved or drawn, can have more.
MAX_DATAZONES = 6976
DATAZONE_PATTERN = r"^S01\d{6}$"
#: Pasted text: 6,976 codes with separators are ~70 kB; a long postcode list a little more.
MAX_PASTED_CHARS = 200_000
MAX_SEARCH_CHARS = 2000
MAX_FIELD_CHARS = 200  # a dropdown value, an area code, an indicator id
MAX_FILENAME_CHARS = 255
#: Codes the map can send in one lasso: every data zone of a council is at most this many.
MAX_MAP_POINTS = MAX_DATAZONES

DatazoneCode = Annotated[str, StringConstraints(pattern=DATAZONE_PATTERN)]
_SELECTION = TypeAdapter(Annotated[list[DatazoneCode], Field(max_length=MAX_DATAZONES)])


def selection(value: Any) -> list[str]:
    """A data zone selection (``dcc.Store`` data): a list of at most 6,976 ``S01…`` codes, no repeats."""
    if value is None:
        return []
    try:
        codes = _SELECTION.validate_python(value, strict=True)
    except ValidationError as exc:
        raise PayloadError(_selection_problem(value, exc)) from None
    return list(dict.fromkeys(codes))


def _selection_problem(value: Any, exc: ValidationError) -> str:
    if not isinstance(value, list):
        return "the selection is not a list of data zone codes"
    if len(value) > MAX_DATAZONES:
        return f"the selection has {len(value):,} codes, more than Scotland's {MAX_DATAZONES:,} data zones"
    first = exc.errors()[0]
    where = first["loc"][0] if first["loc"] else 0
    return f"item {int(where) + 1} of the selection is not a data zone code (S01 and six digits)"


def text(value: Any, what: str, max_chars: int = MAX_FIELD_CHARS, *, required: bool = False) -> str:
    """A string from a text box or dropdown: ``None`` is '', any other non-string is refused; too long is
    refused (never silently cut); lone surrogates become U+FFFD so every export can encode it."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise PayloadError(f"the {what} is not text")
    if len(value) > max_chars:
        raise PayloadError(f"the {what} is too long ({len(value):,} characters; at most {max_chars:,})")
    value = clean_unicode(value)
    if required and not value.strip():
        raise PayloadError(f"the {what} is empty")
    return value


def optional_text(value: Any, what: str, max_chars: int = MAX_FIELD_CHARS) -> str | None:
    """Like ``text`` but None stays None (an unset dropdown)."""
    return None if value is None else text(value, what, max_chars)


def one_of(value: Any, known: Iterable[str], what: str) -> str:
    """A value that must be one of ``known`` (an indicator id, an area type …)."""
    value = text(value, what, required=True)
    if value not in set(known):
        raise PayloadError(f"'{value[:60]}' is not a known {what}")
    return value


class _MapPoint(BaseModel):
    model_config = ConfigDict(extra="ignore")
    location: Annotated[str, StringConstraints(max_length=20)] | None = None


class _MapEvent(BaseModel):
    """A map's ``clickData`` / ``selectedData``: only the points' locations are read."""

    model_config = ConfigDict(extra="ignore")
    points: Annotated[list[_MapPoint], Field(max_length=MAX_MAP_POINTS)] = []


def map_event(value: Any) -> dict[str, Any] | None:
    """A map event reduced to what is read (``{"points": [{"location": code}]}``), or None."""
    if value is None:
        return None
    try:
        event = _MapEvent.model_validate(value)
    except ValidationError:
        raise PayloadError("the map sent an event that is not a list of zones") from None
    return {"points": [{"location": p.location} for p in event.points if p.location]}


class NamedArea(BaseModel):
    """What saving or renaming an area sends: a name and the selection."""

    model_config = ConfigDict(extra="forbid")
    name: str
    datazones: list[str]


def named_area(name: Any, datazones: Any) -> NamedArea:
    """A checked name (≤ 120 characters, any Unicode) and selection for saving an area."""
    return NamedArea(name=text(name, "area name", NAME_MAX_CHARS), datazones=selection(datazones))


def refuse_unknown(unknown: list[str]) -> None:
    """Refuse a selection with codes that are not data zones of this warehouse, naming a few."""
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise PayloadError(f"{len(unknown):,} code(s) are not data zones in this warehouse: {shown}")


def url_search(value: Any) -> str:
    """A page address's query string (``?id=…``): text of at most 2,000 characters."""
    return text(value, "page address", MAX_SEARCH_CHARS)
