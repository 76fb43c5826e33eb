"""Dashboard page: the scope (a council or one of its localities), the RAG matrix and the
exception report, as plain data.

Why: the page, the board report (PDF and Excel) and the command line must agree on what the
board sees, so the choices and sentences are made here, without Dash or the warehouse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dashboard.formatting import format_change, format_date, format_value, is_missing
from dashboard.logic.provenance import cpop_rating, label_in_sentence
from dashboard.logic.records import row_tuples
from dashboard.logic.text_columns import object_strings
from dashboard.urlstate import query_string

COUNCIL = "council"
LOCALITY = "locality"
HSC_LOCALITY = "hsc_locality"
#: The kinds of locality a council's dashboard can be scoped to, in the order preferred: the council's
#: own localities, else the HSCP localities (real Scotland has the latter).
LOCALITY_TYPES = (LOCALITY, HSC_LOCALITY)
#: The communities the matrix can show, per scope type, in the order offered (HSCP localities are a
#: best fit of data zones: only data zones nest in them).
CHILD_TYPES: dict[str, tuple[str, ...]] = {
    COUNCIL: ("ward", "intermediate_zone", LOCALITY, HSC_LOCALITY),
    LOCALITY: ("intermediate_zone", "datazone"),
    HSC_LOCALITY: ("datazone",),
}
#: How a scope of each locality type is named ('Locality: …', 'HSCP locality in Fife').
LOCALITY_WORDS = {LOCALITY: "locality", HSC_LOCALITY: "HSCP locality"}
#: verdict -> (symbol, words, Bootstrap colour); words (and symbols) carry the meaning, colour only helps
TREND_CELLS = {
    "improving": ("▲", "improving", "success"),
    "worsening": ("▼", "worsening", "danger"),
    "no significant change": ("●", "no change", "secondary"),
    "cannot be calculated": ("–", "n/a", "light"),
}
#: target status (marts.targets.status) -> (words, Bootstrap colour): a cell with a target takes its colour
#: from here, not from the trend (the trend stays in its words)
TARGET_CELLS = {
    "on track": ("target on track", "success"),
    "at risk": ("target at risk", "warning"),
    "off track": ("target off track", "danger"),
    "cannot be calculated": ("no target status", "light"),
}
NOT_PUBLISHED = "not published here"
#: how the scope's own column is named: 'Glen Tannoch (whole council)'
WHOLE_WORDS = {COUNCIL: "whole council", LOCALITY: "whole locality", HSC_LOCALITY: "whole HSCP locality"}
#: The key printed with every matrix (screen, PDF, Excel).
MATRIX_KEY = ("Each cell gives the trend first. Improving or worsening: a statistically significant trend over the last "
              "five periods (95 %); no change: no significant change; n/a: cannot be calculated (fewer than three "
              "periods, a withheld value among them, or a figure published without counts or an interval). Where a "
              "target is set for that indicator and area (usually for the council: the first column), the cell also "
              "gives the status against the target, and its colour shows that status: green on track, amber at risk, "
              "red off track, uncoloured no target status (too few values to project). Cells without a target are "
              "coloured by the trend: green improving, red worsening, grey no change. Not published here: no value "
              "for this area. Below the words: the latest value, then the target and its year.")


@dataclass(frozen=True)
class Cell:
    """One matrix cell: the trend in words (with a symbol) and the target's status where there is a
    target, a colour that repeats the target's status (else the trend), the latest value and the target."""

    text: str
    colour: str
    value: str
    words: str = ""
    verdict: str = ""
    #: 'target 20.0% by 2030' ('' when no target is set for this indicator and area)
    target: str = ""
    #: the target's status ('on track', 'at risk', 'off track', 'cannot be calculated'; '' when no target)
    target_status: str = ""

    @property
    def note(self) -> str:
        """What is printed under the words: '22.8%; target 20.0% by 2030'."""
        return "; ".join(part for part in (self.value, self.target) if part)


@dataclass(frozen=True)
class Scope:
    """What the page (or the report) shows: a council or one of its localities, and which communities."""

    council: str | None
    area_type: str  # 'council', 'locality' or 'hsc_locality'
    area_code: str | None
    child_type: str

    @property
    def search(self) -> str:
        """The page's URL query string (the area is left out for a whole council)."""
        area = self.area_code if self.area_type != COUNCIL else None
        return query_string([("council", self.council), ("area", area), ("area_type", self.child_type)])


def pick_council(councils: Sequence[str], wanted: str | None) -> str | None:
    """The wanted council when it is on offer, else the first one (None when there are none)."""
    return wanted if wanted in councils else (councils[0] if councils else None)


def resolve_scope(council: str | None, localities: Sequence[str], area: str | None,
                  child_type: str | None, locality_type: str = LOCALITY) -> Scope:
    """The scope a URL (or a change of control) asks for, made valid.

    ``localities`` are the codes of the council's localities, of ``locality_type`` (its own
    localities, or the HSCP localities lying in it). An area that is not one of them means the whole
    council; a community type not offered for the scope falls back to the first one offered
    (localities only when the council has some).
    """
    if area and area in localities:
        kind, code = locality_type, area
    else:
        kind, code = COUNCIL, council
    offered = child_types(kind, bool(localities), locality_type)
    chosen = child_type if child_type in offered else offered[0]
    return Scope(council, kind, code, chosen)


def child_types(scope_type: str, has_localities: bool = True, locality_type: str = LOCALITY) -> tuple[str, ...]:
    """Community types offered for a scope: a council offers its localities of ``locality_type`` (none when
    it has no localities); a locality the areas that nest in it."""
    types = CHILD_TYPES.get(scope_type, CHILD_TYPES[COUNCIL])
    if scope_type != COUNCIL:
        return types
    return tuple(t for t in types if t not in LOCALITY_TYPES or (has_localities and t == locality_type))


def child_type_options(scope_type: str, labels: Mapping[str, str], has_localities: bool = True,
                       locality_type: str = LOCALITY) -> list[dict]:
    """Radio options for the community types, labelled from meta.area_types (plural labels)."""
    return [{"label": labels.get(t, t.replace("_", " ")), "value": t}
            for t in child_types(scope_type, has_localities, locality_type)]


def scope_options(council_code: str | None, council_name: str, localities: pd.DataFrame,
                  locality_type: str = LOCALITY) -> list[dict]:
    """'Whole council' first, then each locality of the council by name ('HSCP locality: Kirkcaldy')."""
    if not council_code:
        return []
    word = LOCALITY_WORDS.get(locality_type, "locality")
    options = [{"label": f"Whole council: {council_name}", "value": council_code}]
    options += [{"label": f"{word[:1].upper()}{word[1:]}: {r.area_name}", "value": r.area_code}
                for r in row_tuples(localities)]
    return options


def scope_title(area_name: str, scope_type: str, council_name: str, child_label: str) -> str:
    """'Garrmallach South (locality in Glen Tannoch): intermediate zones'."""
    where = f"{area_name} ({LOCALITY_WORDS[scope_type]} in {council_name})" if scope_type in LOCALITY_WORDS \
        else area_name
    return f"{where}: {label_in_sentence(child_label)}"


def council_localities(queries: Any, council: str, present_types: Sequence[str]) -> tuple[str, pd.DataFrame]:
    """(locality type, the council's localities of it): its own localities when it has any, else the HSCP
    localities lying in it, else ('locality', no rows). ``present_types`` are the area types built."""
    found = None
    for kind in LOCALITY_TYPES:
        if kind not in present_types:
            continue
        rows = queries.areas_in_council(kind, council)
        if len(rows):
            return kind, rows
        found = found if found is not None else (kind, rows)
    return found if found is not None else (LOCALITY, pd.DataFrame(columns=["area_code", "area_name"]))


def _target(r: Any) -> tuple[str, str]:
    """(the target's status, 'target 20.0% by 2030') for a matrix row; ('', '') where no target is set."""
    value = getattr(r, "target_value", None)
    if is_missing(value):
        return "", ""
    status = _text(r, "target_status")
    unit = _text(r, "unit_label") or ""
    year = getattr(r, "target_year", None)
    return (status if status in TARGET_CELLS else "cannot be calculated",
            f"target {format_value(value, unit, compact=True)}" + ("" if is_missing(year) else f" by {int(year)}"))


def _cell(r: Any) -> Cell:
    """The trend in words; with a target, its status too, and the colour is the status's (else the trend's)."""
    symbol, words, colour = TREND_CELLS.get(r.trend_verdict, ("", str(r.trend_verdict), "light"))
    unit = _text(r, "unit_label") or ""
    value = "suppressed" if is_missing(r.latest_value) else format_value(r.latest_value, unit, compact=True)
    status, target = _target(r)
    if status:
        status_words, colour = TARGET_CELLS[status]
        words = f"{words} · {status_words}"
    return Cell(f"{symbol} {words}".strip(), colour, value, words, str(r.trend_verdict), target, status)


def _area_labels(names: Mapping[Any, str], keys: Sequence[Any]) -> list[str]:
    """Column headings: area names, two areas with the same name told apart by their code."""
    counts = Counter(names[k] for k in keys)
    return [f"{names[k]} ({k})" if counts[names[k]] > 1 and names[k] != k else str(names[k]) for k in keys]


def scope_rows(frame: pd.DataFrame) -> pd.Series:
    """Which rows of ``Queries.rag_matrix`` are the scope's own (all False for a frame without ``is_scope``)."""
    if "is_scope" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame["is_scope"].fillna(False).astype(bool)


def has_scope_column(frame: pd.DataFrame) -> bool:
    """True when the matrix of ``frame`` opens with the scope's own column."""
    return bool(scope_rows(frame).any())


def matrix(frame: pd.DataFrame) -> tuple[list[str], list[tuple[str, list[Cell]]]]:
    """(area names in order, [(indicator, cells per area)]) from ``Queries.rag_matrix``.

    The scope's own column comes first ('Glen Tannoch (whole council)', rows with ``is_scope``), so the
    board reads the council's status against its targets beside its communities; then the communities
    ordered by name, two with the same name told apart by their code.
    """
    if frame.empty:
        return [], []
    frame = object_strings(frame)  # every cell is read row by row below
    key = "area_code" if "area_code" in frame.columns else "area_name"
    is_scope = scope_rows(frame)
    scope_keys = list(dict.fromkeys(frame.loc[is_scope, key]))
    names = {k: str(n) for k, n in zip(frame[key], frame["area_name"], strict=True)}
    kinds = dict(zip(frame[key], frame["area_type"], strict=True)) if "area_type" in frame.columns else {}
    children = sorted(set(frame.loc[~is_scope, key]) - set(scope_keys), key=lambda k: (names[k], str(k)))
    labels = [f"{names[k]} ({WHOLE_WORDS.get(str(kinds.get(k)), 'whole area')})" for k in scope_keys]
    labels += _area_labels(names, children)
    keys = scope_keys + children
    by_title: dict[Any, dict[Any, Any]] = {}  # indicators in the frame's order, rows by area
    for r in row_tuples(frame):
        if not pd.isna(r.short_title):  # as groupby, which leaves out a missing title
            by_title.setdefault(r.short_title, {})[getattr(r, key)] = r
    missing = Cell(NOT_PUBLISHED, "light", "", NOT_PUBLISHED, "")
    return labels, [(str(title), [_cell(by_area[k]) if k in by_area else missing for k in keys])
                    for title, by_area in by_title.items()]


def _value(row: Any, column: str) -> Any:
    value = getattr(row, column, None)
    return None if is_missing(value) and not isinstance(value, str) else value


def _text(row: Any, column: str) -> str | None:
    value = getattr(row, column, None)
    return value if isinstance(value, str) and value else None


def _against(row: Any, words: str, column: str, unit: str) -> str:
    """'worse than Scotland (12.3%)': a comparison with the comparator's value where there is one."""
    value = _value(row, column)
    return words + (f" ({format_value(value, unit)})" if value is not None else "")


def exception_reasons(row: Any, council_name: str = "the council") -> list[str]:
    """Why the indicator is in the report, each reason with its size where there is one.

    Below council level (a locality) the comparison with its council is added when worse.
    """
    unit = str(getattr(row, "unit_label", "") or "")
    out = []
    if _text(row, "trend_verdict") == "worsening":
        out.append("worsening (statistically significant)")
    if _text(row, "vs_scotland") == "worse":
        out.append(_against(row, "worse than Scotland", "scotland_value", unit))
    if _text(row, "vs_council") == "worse":
        out.append(_against(row, f"worse than {council_name}", "council_value", unit))
    if _text(row, "gap_verdict") == "widening":
        out.append("gap between most and least deprived widening")
    rating = cpop_rating({"cpop_rating": _text(row, "cpop_rating"), "cpop_rating_words": _text(row, "cpop_rating_words"),
                          "cpop_improvement_rate": _value(row, "cpop_improvement_rate"),
                          "cpop_baseline_period": _text(row, "cpop_baseline_period"),
                          "cpop_latest_period": _text(row, "cpop_latest_period")})
    if rating is not None and rating.rating == "red":
        out.append(f"CPOP rating red ({rating.words or 'Worse than Scotland and improving more slowly'}; "
                   f"improvement rate {rating.rate_text()})")
    return out


def going_well_reasons(row: Any) -> list[str]:
    """Why an indicator is going well, each reason with its size where there is one."""
    unit = str(getattr(row, "unit_label", "") or "")
    out = []
    if _text(row, "trend_verdict") == "improving":
        out.append("improving (statistically significant)")
    if _text(row, "vs_scotland") == "better":
        out.append(_against(row, "better than Scotland", "scotland_value", unit))
    if _text(row, "gap_verdict") == "narrowing":
        out.append("gap between most and least deprived narrowing")
    if _text(row, "target_status") == "on track":
        out.append("target on track")
    return out


def target_text(row: Any) -> str | None:
    """'target 18.0% by 2030 off track (projected 25.6%; the trajectory says 18.2% now)', or None."""
    status = _text(row, "target_status")
    if status is None or _value(row, "target_value") is None:
        return None
    unit = str(getattr(row, "unit_label", "") or "")
    year = _value(row, "target_year")
    text = f"target {format_value(row.target_value, unit)}" + (f" by {int(year)}" if year is not None else "")
    text += f" {status}"
    details = []
    if _value(row, "projected_value") is not None:
        details.append(f"projected {format_value(row.projected_value, unit)}")
    if _value(row, "trajectory_value_latest") is not None:
        details.append(f"the trajectory says {format_value(row.trajectory_value_latest, unit)} now")
    return text + (f" ({'; '.join(details)})" if details else "")


def change_since(row: Any) -> str:
    """'+5.2 percentage points since 2014/15', or '' when there is no change to state: no baseline
    value, or the baseline is the latest period itself (real Glasgow's overcrowding, published for 2011
    only, read "0.0 percentage points since 2011")."""
    change, baseline = _value(row, "change_abs"), _text(row, "baseline_period_label")
    if change is None or _value(row, "baseline_value") is None or baseline is None:
        return ""
    if baseline == _text(row, "latest_period_label"):
        return ""
    return f"{format_change(change, unit_label=str(getattr(row, 'unit_label', '') or ''))} since {baseline}"


def exception_lines(frame: pd.DataFrame, council_name: str = "the council") -> list[str]:
    """One plain-English sentence per exception, most urgent first."""
    lines = []
    for r in row_tuples(frame):
        unit = str(getattr(r, "unit_label", "") or "")
        parts = [f"{r.short_title}: {format_value(r.latest_value, unit)} in {r.latest_period_label}"
                 if _value(r, "latest_value") is not None else f"{r.short_title}: latest value suppressed"]
        if change_since(r):
            parts.append(change_since(r))
        parts += exception_reasons(r, council_name)
        target = target_text(r)
        if target:
            parts.append(target)
        lines.append("; ".join(parts) + ".")
    return lines


def saved_on(saved_at: str) -> str:
    """'2026-12-01T09:30:00+00:00' -> '1 Dec 2026' (as written; '' when unknown)."""
    return format_date(saved_at, month="%b")


@dataclass(frozen=True)
class ExceptionItem:
    """One line of the exception report with the officer's commentary."""

    indicator_id: str
    short_title: str
    priority_label: str
    sentence: str
    latest: str
    latest_period_label: str
    change: str
    reasons: tuple[str, ...]
    target: str
    commentary: str
    commentary_saved: str
    row: Mapping[str, Any] = field(default_factory=dict)

    @property
    def why(self) -> tuple[str, ...]:
        """Every reason it is in the report, the target's status included ('target off track')."""
        status = self.row.get("target_status")
        return self.reasons + ((f"target {status}",) if isinstance(status, str) and self.target else ())


def exception_items(frame: pd.DataFrame, notes: Mapping[str, Any],
                    council_name: str = "the council") -> tuple[ExceptionItem, ...]:
    """The exception report's items: sentence, parts for a table, and the officer's note (if any).

    ``notes`` maps indicator ids to the scope's commentary (``CommentaryStore.for_area``).
    """
    out = []
    for sentence, row in zip(exception_lines(frame, council_name), row_tuples(frame), strict=True):
        unit = str(row.unit_label or "")
        latest = format_value(None if pd.isna(row.latest_value) else row.latest_value, unit,
                            suppressed=pd.isna(row.latest_value))
        change = change_since(row)
        note = notes.get(str(row.indicator_id))
        out.append(ExceptionItem(
            str(row.indicator_id), str(row.short_title), str(row.soa_priority_label or ""), sentence, latest,
            str(row.latest_period_label or ""), change, tuple(exception_reasons(row, council_name)), target_text(row) or "",
            note.text if note else "", saved_on(note.saved_at) if note else "", row._asdict()))
    return tuple(out)
