"""What each kind of control on cpop's pages can send, checked before any callback runs.

Why: a browser only ever sends, for a button's ``n_clicks``, a count; for a text box or a
single-choice dropdown, a string; for a map's ``clickData``, an object; and so on. A forged
request can send anything (a dict where a string belongs, a million-item list), and the
callbacks were not written to expect that (issue 14, finding 6). The guard
(``dashboard/guard.py``) checks every input and state of every callback against this table,
by property name, with the few controls that send lists named by id; what a value *means*
(a known area code, a known indicator) is still each callback's to check.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from dashboard import ids
from dashboard.data.user_store import clean_unicode

MAX_TEXT = 200_000  # pasted codes and commentary; the request size limit caps uploads
MAX_CHOICE = 2_000
MAX_LIST = 10_000

Text = Annotated[StrictStr, StringConstraints(max_length=MAX_TEXT)] | None
Choice = Annotated[StrictStr, StringConstraints(max_length=MAX_CHOICE)] | None
Choices = Annotated[list[Annotated[StrictStr, StringConstraints(max_length=MAX_CHOICE)]],
                    Field(max_length=MAX_LIST)] | None
Count = Annotated[StrictInt, Field(ge=0, le=10**9)] | None
Rows = Annotated[list[dict[str, Any]], Field(max_length=1_000_000)] | None  # the request size bounds it
Options = Annotated[list[dict[str, Any] | StrictStr], Field(max_length=MAX_LIST)] | None

#: By property name: what every control with that property sends.
BY_PROPERTY: dict[str, Any] = {
    "n_clicks": Count,
    "n_intervals": Count,  # a dcc.Interval's ticks (Local data's build progress)
    "value": Choice,
    "search": Choice,
    "pathname": Annotated[StrictStr, StringConstraints(max_length=MAX_CHOICE, pattern=r"^/")] | None,  # a browser path
    "search_value": Choice,
    "filename": Choice,
    "contents": Annotated[StrictStr, StringConstraints(max_length=64 * 1024 * 1024)] | None,
    "clickData": dict[str, Any] | None,
    "selectedData": dict[str, Any] | None,
    "options": Options,
    "columnDefs": Rows,
    "columnState": Rows,
    "virtualRowData": Rows,
    "is_open": StrictBool | None,
    # dcc.Store data is each callback's own structure: it checks it itself (dashboard/payloads.py)
    "data": Any,
}
#: Controls whose ``value`` is not one string: multi-choice dropdowns and checklists, text boxes.
BY_ID: dict[tuple[str, str], Any] = {
    (ids.TABLES_INDICATORS, "value"): Choices,
    (ids.TABLES_PERIODS, "value"): Choices,
    (ids.TABLES_COLUMNS, "value"): Choices,
    (ids.EXPLORER_PRIORITY, "value"): Choices,
    (ids.MY_CODES, "value"): Text,
    (ids.MY_PICK, "value"): Choices,  # "Add zones by name": areas chosen from a list
    (ids.RAG_COMMENT_TEXT, "value"): Text,
    (ids.PROFILE_COMPARATORS, "value"): Choices,  # comparator areas on the Area profile's trend chart
}
_ADAPTERS: dict[Any, TypeAdapter] = {}


def _adapter(kind: Any) -> TypeAdapter:
    key = id(kind)
    if key not in _ADAPTERS:
        _ADAPTERS[key] = TypeAdapter(kind)
    return _ADAPTERS[key]


def value_problem(component_id: Any, prop: str, value: Any) -> str | None:
    """Why ``value`` cannot have come from the control ``component_id.prop``, or None when it can."""
    kind = BY_ID.get((component_id, prop)) if isinstance(component_id, str) else None
    kind = kind if kind is not None else BY_PROPERTY.get(prop)
    if kind is None:
        return f"the control property '{prop}' is not one cpop's pages send"
    if kind is Any:
        return None
    try:
        _adapter(kind).validate_python(encodable(value), strict=True)
    except ValidationError:
        return f"the value sent for {component_id}.{prop} is not what that control sends"
    return None


def encodable(value: Any) -> Any:
    """``value`` with lone surrogates replaced in its strings: pydantic cannot read such a string, but
    a browser can send one (``"\\ud800"`` in JSON); the callback cleans it the same way (``clean_unicode``)."""
    if isinstance(value, str):
        return clean_unicode(value)
    if isinstance(value, list):
        return [encodable(v) for v in value]
    if isinstance(value, dict):
        return {k: encodable(v) for k, v in value.items()}
    return value
