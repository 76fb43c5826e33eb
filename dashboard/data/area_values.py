"""A user-made area's values from its summed counts, by the build's own rules, without DuckDB.

Why: the build values every published area with ``etl/sql/marts/computed_values.sql`` (after the
rolling periods of ``etl/sql/marts/indicator_sums.sql``). Run by DuckDB on a user-made area's few
hundred summed rows (``dashboard/data/cell_facts.py``) that statement cost ~30-45 ms a profile,
nearly all of it planning: binding its macros and CTEs and optimising ~110 operators takes
~26 ms even on an empty table (DuckDB re-plans a prepared statement too), and it shared the
machine's two cores with the differencing check. The same rules over those rows take 5-15 ms
here (a 200-zone area of the Scotland-scale demo, ~350 summed rows).

What is ported: ``indicator_sums.sql``'s ``rolled`` periods and ``final`` (a user-made area has
no ``direct`` or ``intensive`` rows: those are published areas' own figures) and all of
``computed_values.sql``, step by step under its CTEs' names. SQL's NULL logic is kept with pandas'
nullable arrays: NULL propagates through arithmetic, AND/OR/NOT are three-valued, and a CASE
branch is taken only where its condition is true. The build still makes every published value
in SQL, and so does a user-made area's profile when a build's counts are not held in memory.
Tests compare every column of these rows with that SQL's on many areas of the demo and of real
Scotland (``tests/fixtures/user_area_values.py``): an edit of either side that changes a figure,
a flag, a reason or a note fails them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.arrays import BooleanArray, FloatingArray

from dashboard.data.reader import WarehouseReader
from dashboard.data.sqlfiles import load_sql
from etl.withheld import WITHHELD_REASON

#: ``z95()`` of etl/sql/macros.sql
Z95 = 1.959963984540054
#: the counts that are summed over a rolling window (indicator_sums.sql's ``rolled``)
WINDOW_SUMMED = ("numerator", "denominator", "numerator_estimate", "numerator_lower", "numerator_upper")
OUTPUT_COLUMNS = (
    "indicator_id", "area_type", "area_code", "period_label", "period_year", "numerator", "denominator", "value",
    "ci_lower", "ci_upper", "is_suppressed", "suppression_reason", "is_revised", "value_type", "value_source",
    "is_estimated", "withheld_members", "members", "source_release", "is_low_reliability", "note",
)
CATALOGUE_COLUMNS = ("measure_type", "aggregation", "multiplier", "ci_method", "disclosure_min_count",
                     "disclosure_suppress_zero", "disclosure_applied_by", "rolling_years")


@dataclass(frozen=True)
class ValueRules:
    """What the rules read besides the sums, once per build: the catalogue's columns they use, the
    exact Poisson limits below 10 events, the ESP2013 weights and each standardised indicator's
    number of age bands."""

    catalogue: pd.DataFrame  # indexed by indicator_id: CATALOGUE_COLUMNS
    poisson_observed: np.ndarray  # float, sorted
    poisson_lower: np.ndarray
    poisson_upper: np.ndarray
    weights: Mapping[int, float]  # age band start -> ESP2013 weight
    expected_bands: Mapping[str, int]
    positions: Mapping[str, int]  # indicator_id -> its row in ``columns``
    columns: Mapping[str, np.ndarray]  # CATALOGUE_COLUMNS as object arrays, with a last row of None

    @classmethod
    def load(cls, reader: WarehouseReader) -> ValueRules:
        catalogue = reader.query(f"SELECT indicator_id, {', '.join(CATALOGUE_COLUMNS)} FROM meta.indicators")
        poisson = reader.query("SELECT observed, lower, upper FROM core.ref_poisson_exact ORDER BY observed")
        weights = reader.query("SELECT age_from, weight FROM core.ref_esp2013")
        bands = reader.query(load_sql("value_rule_bands"))
        return cls(
            catalogue=catalogue.set_index("indicator_id"),
            poisson_observed=poisson["observed"].to_numpy(dtype=float),
            poisson_lower=poisson["lower"].to_numpy(dtype=float),
            poisson_upper=poisson["upper"].to_numpy(dtype=float),
            weights={int(a): float(w) for a, w in zip(weights["age_from"], weights["weight"], strict=True)},
            expected_bands={str(i): int(n) for i, n in zip(bands["indicator_id"], bands["expected"], strict=True)},
            positions={str(i): k for k, i in enumerate(catalogue["indicator_id"])},
            columns={c: np.append(catalogue[c].to_numpy(dtype=object), None) for c in CATALOGUE_COLUMNS},
        )


# --- SQL's NULL logic over pandas' nullable arrays ------------------------------------------------

def _floats(values: Any, n: int | None = None) -> FloatingArray:
    """A nullable float array (NaN and None are NULL), or a constant repeated ``n`` times."""
    if isinstance(values, FloatingArray):
        return values
    if n is not None and np.ndim(values) == 0:
        return pd.array(np.full(n, np.nan if values is None else float(values)), dtype="Float64")
    return pd.array(np.asarray(values, dtype=float), dtype="Float64")


def _flags(values: Sequence[Any] | np.ndarray) -> BooleanArray:
    return pd.array(list(values), dtype="boolean")


def _true(condition: BooleanArray | np.ndarray | bool, n: int | None = None) -> np.ndarray:
    """Where a condition holds (a CASE branch or a WHERE): NULL is not true (``n``: the length of a
    constant condition)."""
    if isinstance(condition, bool):
        return np.full(n or 0, condition)
    if isinstance(condition, np.ndarray):
        return condition.astype(bool)
    return condition.to_numpy(dtype=bool, na_value=False)


def _case(n: int, *branches: tuple[Any, Any]) -> FloatingArray:
    """``CASE WHEN c1 THEN v1 WHEN c2 THEN v2 ... END`` over floats (no ELSE: NULL)."""
    values, missing, taken = np.zeros(n), np.ones(n, dtype=bool), np.zeros(n, dtype=bool)
    for condition, value in branches:
        hit = _true(condition, n) & ~taken
        chosen = _floats(value, n)
        values[hit] = chosen.to_numpy(dtype=float, na_value=0.0)[hit]
        missing[hit] = chosen.isna()[hit]
        taken |= hit
    return FloatingArray(values, missing)


def _texts(n: int, *branches: tuple[Any, Callable[[int], str] | str]) -> list[str | None]:
    """``CASE WHEN ... THEN text ... END`` (no ELSE: NULL); a text may be made from the row's number."""
    out: list[str | None] = [None] * n
    taken = np.zeros(n, dtype=bool)
    for condition, text in branches:
        hit = _true(condition, n) & ~taken
        for i in np.flatnonzero(hit):
            out[i] = text if isinstance(text, str) else text(int(i))
        taken |= hit
    return out


def _rounded_half_away(x: np.ndarray, digits: int = 0) -> np.ndarray:
    """DuckDB's ``round(x, digits)`` and its cast of a DOUBLE to BIGINT: half away from zero."""
    scale = 10.0 ** digits
    return np.sign(x) * np.floor(np.abs(x) * scale + 0.5) / scale


def _number_text(x: float) -> str:
    """``regexp_replace(CAST(round(x, 2) AS VARCHAR), '\\.0$', '')``: DuckDB writes a DOUBLE as its
    shortest round-trip text, as Python's ``repr`` does."""
    text = repr(float(_rounded_half_away(np.array([x]), 2)[0]))
    return text[:-2] if text.endswith(".0") else text


# --- indicator_sums.sql: rolled, final ------------------------------------------------------------

def _columns(sums: pa.Table) -> dict[str, Any]:
    """The summed rows as columns: text as object arrays, numbers as nullable floats, flags as
    nullable booleans."""
    out: dict[str, Any] = {c: np.asarray(sums.column(c).to_pylist(), dtype=object)
                           for c in ("indicator_id", "area_type", "area_code", "period_label", "source_release")}
    for c in (*WINDOW_SUMMED, "value", "withheld_members", "withheld_denominator", "members_present",
              "members_expected", "period_year", "age_band"):
        out[c] = _floats(sums.column(c).to_numpy(zero_copy_only=False))
    out["is_revised"] = _flags(sums.column("is_revised").to_pylist())
    return out


def _sums(built: pa.Table, rolling: Mapping[str, int]) -> pa.Table:
    """``indicator_sums.sql``'s ``final`` for one area: its built rows, those of rolling indicators
    replaced by their n-year windows."""
    if not rolling:
        return built
    is_rolling = pc.is_in(built.column("indicator_id"), value_set=pa.array(list(rolling), pa.string()))
    if not pc.any(is_rolling).as_py():
        return built
    windows = _rolled(built.filter(is_rolling).to_pylist(), rolling)
    return pa.concat_tables([built.filter(pc.invert(is_rolling)), pa.Table.from_pylist(windows, schema=built.schema)])


def _rolled(rows: list[dict[str, Any]], rolling: Mapping[str, int]) -> list[dict[str, Any]]:
    """``rolled``: for each row of a rolling indicator, the rows of the same indicator and age band
    (NULL matching NULL) from its year back n - 1 years, kept when there are exactly n; counts
    summed only when every year has one (a ratio of sums), the label running from the first
    year's to the last's."""
    series: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for row in rows:
        series.setdefault((row["indicator_id"], row["age_band"]), []).append(row)
    out = []
    for row in rows:
        n, year = rolling[row["indicator_id"]], row["period_year"]
        window = [p for p in series[(row["indicator_id"], row["age_band"])]
                  if year is not None and p["period_year"] is not None and year - n + 1 <= p["period_year"] <= year]
        if len(window) != n:
            continue
        first = min(window, key=lambda p: p["period_year"])
        rolled = {**row, "period_label": f"{first['period_label']}-{row['period_label']}", "value": None,
                  "is_direct": False}
        for c in WINDOW_SUMMED:
            parts = [p[c] for p in window]
            rolled[c] = sum(parts) if all(x is not None for x in parts) else None
        for c in ("withheld_members", "withheld_denominator", "members_present", "members_expected"):
            parts = [p[c] for p in window if p[c] is not None]
            rolled[c] = sum(parts) if parts else None
        revised = [p["is_revised"] for p in window if p["is_revised"] is not None]
        rolled["is_revised"] = any(revised) if revised else None
        releases = [p["source_release"] for p in window if p["source_release"] is not None]
        rolled["source_release"] = max(releases) if releases else None
        out.append(rolled)
    return out


# --- computed_values.sql ------------------------------------------------------------------------

def _catalogue(rules: ValueRules, indicators: np.ndarray) -> dict[str, np.ndarray]:
    """Each row's indicator's catalogue columns (the SQL's ``JOIN ind``; None for an indicator
    the catalogue does not hold)."""
    at = np.array([rules.positions.get(i, -1) for i in indicators], dtype=np.intp)
    return {c: column[at] for c, column in rules.columns.items()}


def _standardised(s: Mapping[str, Any], rules: ValueRules) -> dict[str, Any]:
    """``standardised``: age-standardised rates from one row per age band (ESP2013 weights), kept
    only where every band is there (``is_complete``)."""
    age = s["age_band"].to_numpy(dtype=float, na_value=np.nan)
    indicators = s["indicator_id"]
    measure = _catalogue(rules, indicators)["measure_type"]
    joined = np.flatnonzero((measure == "age_standardised_rate")
                            & np.array([not np.isnan(a) and int(a) in rules.weights for a in age], dtype=bool)
                            & np.array([i in rules.expected_bands for i in indicators], dtype=bool))
    keys: dict[tuple[str, str], int] = {}
    g = np.array([keys.setdefault((indicators[i], s["period_label"][i]), len(keys)) for i in joined], dtype=np.intp)
    groups = len(keys)
    first = np.full(groups, -1)
    first[g[::-1]] = joined[::-1]
    num = s["numerator"].to_numpy(dtype=float, na_value=np.nan)[joined]
    den = s["denominator"].to_numpy(dtype=float, na_value=np.nan)[joined]
    bands = age[joined]
    w = np.array([rules.weights[int(a)] for a in bands])
    rows = np.bincount(g, minlength=groups)
    all_num = np.bincount(g, ~np.isnan(num), minlength=groups) == rows
    all_den = np.bincount(g, ~np.isnan(den), minlength=groups) == rows
    with np.errstate(divide="ignore", invalid="ignore"):
        events_no_people = np.bincount(g, (den == 0) & (num > 0), minlength=groups) > 0
        a = np.where(den > 0, num * w / den, 0.0)
        b = np.where(den > 0, num * w * w / (den * den), 0.0)
        w_sum = np.bincount(g, w, minlength=groups)
        rated = all_num & all_den & ~events_no_people
        rate = np.where(rated, np.bincount(g, np.nan_to_num(a), minlength=groups) / w_sum, np.nan)
        variance = np.where(rated, np.bincount(g, np.nan_to_num(b), minlength=groups) / (w_sum * w_sum), np.nan)
    numerator = np.where(all_num, np.bincount(g, np.nan_to_num(num), minlength=groups), np.nan)
    denominator = np.where(all_den, np.bincount(g, np.nan_to_num(den), minlength=groups), np.nan)
    distinct_bands = np.array([len(set(bands[g == k])) for k in range(groups)], dtype=np.int64)
    expected = np.array([rules.expected_bands[indicators[i]] for i in first], dtype=np.int64)
    complete = (rows == distinct_bands) & (rows == expected)
    revised = s["is_revised"][joined]
    any_revised = np.bincount(g, _true(revised), minlength=groups) > 0
    revised_known = np.bincount(g, ~revised.isna(), minlength=groups) > 0
    withheld = np.full(groups, np.nan)
    members = np.full(groups, np.nan)
    np.fmax.at(withheld, g, s["withheld_members"].to_numpy(dtype=float, na_value=np.nan)[joined])
    np.fmax.at(members, g, s["members_expected"].to_numpy(dtype=float, na_value=np.nan)[joined])
    releases: list[Any] = [None] * groups
    for k, release in zip(g, s["source_release"][joined], strict=True):
        if release is not None and (releases[k] is None or release > releases[k]):
            releases[k] = release
    keep = np.flatnonzero(complete)
    return {
        "indicator_id": indicators[first][keep], "area_type": s["area_type"][first][keep],
        "area_code": s["area_code"][first][keep], "period_label": s["period_label"][first][keep],
        "period_year": s["period_year"][first][keep], "numerator": _floats(numerator[keep]),
        "denominator": _floats(denominator[keep]), "rate": _floats(rate[keep]), "rate_variance": _floats(variance[keep]),
        "is_revised": BooleanArray(any_revised[keep], ~revised_known[keep]),
        "source_release": np.asarray(releases, dtype=object)[keep], "count_low": _floats(numerator[keep]),
        "count_high": _floats(numerator[keep]), "is_estimated": _flags([False] * len(keep)),
        "withheld_members": _floats(withheld[keep]), "members": _floats(members[keep]),
    }


def _crude(s: Mapping[str, Any], rules: ValueRules) -> dict[str, Any]:
    """``crude_counts`` and ``crude``: every other measure, with the estimate of a sum whose
    members were partly withheld at source when bounds are known and they hold at most half
    the denominator."""
    cat = _catalogue(rules, s["indicator_id"])
    # JOIN ind: an indicator not in the catalogue has no measure type and no row
    rows = np.flatnonzero(pd.notna(cat["measure_type"]) & (cat["measure_type"] != "age_standardised_rate"))
    part = {c: v[rows] for c, v in s.items()}
    cat = {c: v[rows] for c, v in cat.items()}
    num, den = part["numerator"], part["denominator"]
    estimated = (num.isna() & ~part["numerator_estimate"].isna() & (part["withheld_members"] > 0)
                 & _flags(part["area_type"] != "datazone") & (den > 0)
                 & (part["withheld_denominator"] <= 0.5 * den))
    n = len(rows)
    numerator = _case(n, (estimated, part["numerator_estimate"]), (True, num))
    return {
        "indicator_id": part["indicator_id"], "area_type": part["area_type"], "area_code": part["area_code"],
        "period_label": part["period_label"], "period_year": part["period_year"], "numerator": numerator,
        "denominator": den,
        "rate": _case(n, (cat["aggregation"] == "intensive", part["value"]), (cat["measure_type"] == "count", numerator),
                      (den > 0, numerator / den)),
        "rate_variance": _floats(None, n), "is_revised": part["is_revised"], "source_release": part["source_release"],
        "count_low": _case(n, (estimated, part["numerator_lower"]), (True, num)),
        "count_high": _case(n, (estimated, part["numerator_upper"]), (True, num)),
        "is_estimated": estimated, "withheld_members": part["withheld_members"], "members": part["members_expected"],
    }


def _poisson(rules: ValueRules, counts: FloatingArray, limits: np.ndarray) -> FloatingArray:
    """``LEFT JOIN poisson ON observed = count``: the exact limit of a whole count in the table
    (0 to 9), NULL for any other."""
    x = counts.to_numpy(dtype=float, na_value=np.nan)
    observed = rules.poisson_observed
    at = np.minimum(np.searchsorted(observed, x), len(observed) - 1)
    found = ~np.isnan(x) & (observed[at] == x)
    return FloatingArray(np.where(found, limits[at], 0.0), ~found)


def _valued(c: Mapping[str, Any], rules: ValueRules) -> dict[str, Any]:
    """``with_ci`` and ``valued``: intervals, the primary rule and the flags ``final`` reads."""
    n = len(c["indicator_id"])
    cat = _catalogue(rules, c["indicator_id"])
    measure, ci_method, aggregation = cat["measure_type"], cat["ci_method"], cat["aggregation"]
    multiplier = _floats(cat["multiplier"])
    min_count = _floats(cat["disclosure_min_count"])
    suppress_zero = _flags([None if pd.isna(v) else bool(v) for v in cat["disclosure_suppress_zero"]])
    num, den, rate, low, high = c["numerator"], c["denominator"], c["rate"], c["count_low"], c["count_high"]
    z = Z95
    with np.errstate(divide="ignore", invalid="ignore"):
        count_lower = _case(n, (low < 10, _poisson(rules, low, rules.poisson_lower)),
                            (True, _case(n, (low > 0, low * (1 - 1 / (9 * low) - z / (3 * np.sqrt(low))) ** 3),
                                         (True, 0.0))))
        count_upper = _case(n, (high < 10, _poisson(rules, high, rules.poisson_upper)),
                            (True, (high + 1) * (1 - 1 / (9 * (high + 1)) + z / (3 * np.sqrt(high + 1))) ** 3))
        wilson_lower = _case(n, (den > 0, (2 * low + z * z - z * np.sqrt(z * z + 4 * low * (1 - low / den)))
                                 / (2 * (den + z * z))))
        wilson_upper = _case(n, (den > 0, (2 * high + z * z + z * np.sqrt(z * z + 4 * high * (1 - high / den)))
                                 / (2 * (den + z * z))))
        spread = np.sqrt(c["rate_variance"] / num)
        dobson_lower = rate + spread * (count_lower - num)
        dobson_lower = _case(n, (dobson_lower.isna(), 0.0), (True, np.maximum(0.0, dobson_lower)))  # greatest(0, x)
        dobson_upper = rate + spread * (count_upper - num)
        is_count = measure == "count"
        ci_lower = _case(
            n, (ci_method == "wilson", wilson_lower * multiplier),
            (ci_method == "byar", _case(n, (is_count, count_lower), (den > 0, count_lower / den * multiplier))),
            (ci_method == "dobson", _case(n, (num > 0, dobson_lower * multiplier))))
        ci_upper = _case(
            n, (ci_method == "wilson", wilson_upper * multiplier),
            (ci_method == "byar", _case(n, (is_count, count_upper), (den > 0, count_upper / den * multiplier))),
            (ci_method == "dobson", _case(n, (num > 0, dobson_upper * multiplier))))
    is_percentage = _flags(measure == "percentage")
    complement = den - num
    primary = (_flags(cat["disclosure_applied_by"] == "cpop") & _flags(aggregation == "extensive") & ~num.isna()
               & (((num >= 1) & (num < min_count)) | (suppress_zero & (num == 0))
                  | (is_percentage & (complement >= 1) & (complement < min_count))))
    return {
        **c, "measure_type": measure, "aggregation": aggregation,
        "value": _case(n, ((aggregation == "intensive") | is_count, rate), (True, rate * multiplier)),
        "ci_lower": ci_lower, "ci_upper": ci_upper, "is_primary": primary,
        "is_withheld_at_source": _flags(np.asarray(num.isna())) & (c["withheld_members"] > 0),
        "is_too_few_events": _true(_flags(measure == "age_standardised_rate") & (num < 10)),
    }


def _final(v: Mapping[str, Any]) -> pd.DataFrame:
    """``final``: what is shown, what is withheld and why, and the notes."""
    n = len(v["indicator_id"])
    primary, withheld, too_few = v["is_primary"], v["is_withheld_at_source"], v["is_too_few_events"]
    shown = ~primary & _flags(~too_few)
    num, den, value, measure = v["numerator"], v["denominator"], v["value"], v["measure_type"]
    withheld_members = v["withheld_members"].to_numpy(dtype=float, na_value=np.nan)
    members = v["members"].to_numpy(dtype=float, na_value=np.nan)
    numbers = num.to_numpy(dtype=float, na_value=np.nan)
    denominators = den.to_numpy(dtype=float, na_value=np.nan)

    def of(i: int) -> str:
        return f"{int(withheld_members[i])} of {int(members[i])}"

    # each text is made only for the rows whose branch is taken (printf in the SQL)
    reasons = _texts(
        n, (primary, WITHHELD_REASON), (withheld & (v["members"] == 1), "withheld at source by the publisher"),
        (withheld, lambda i: f"not estimated: {of(i)} data zones withheld at source by the publisher"))
    notes = _texts(
        n, (_flags(too_few) & ~primary,
            lambda i: f"No age-standardised rate: {int(_rounded_half_away(numbers[i:i + 1])[0])} events are fewer "
                      "than the 10 a standardised rate needs (public-health practice publishes none below 10)."),
        (v["is_estimated"], lambda i: f"Estimated: {of(i)} data zones withheld at source by the publisher; the "
                                      "interval covers every value they could take."),
        (~primary & _flags(measure == "percentage") & (num > den),
         lambda i: f"The count ({_number_text(numbers[i])}) is above the population it is divided by "
                   f"({_number_text(denominators[i])}): small-area population estimates do not always match the "
                   "counts."))
    low_reliability = shown & _flags(v["aggregation"] == "extensive") & (
        (_flags(np.isin(measure, ["crude_rate", "age_standardised_rate", "count"])) & (num < 20))
        | (_flags(np.isin(measure, ["percentage", "mean"])) & (den < 50)))
    frame = pd.DataFrame({
        "indicator_id": v["indicator_id"].tolist(), "area_type": v["area_type"].tolist(),
        "area_code": v["area_code"].tolist(), "period_label": v["period_label"].tolist(),
        "period_year": _years(v["period_year"]),
        "numerator": _plain(_case(n, (~primary, num))), "denominator": _plain(den),
        "value": _plain(_case(n, (shown, value))),
        "ci_lower": _plain(_case(n, (shown & ~value.isna(), v["ci_lower"]))),
        "ci_upper": _plain(_case(n, (shown & ~value.isna(), v["ci_upper"]))),
        "is_suppressed": _plain_flags(primary | withheld), "suppression_reason": pd.Series(reasons, dtype=object),
        "is_revised": _plain_flags(v["is_revised"]), "value_type": ["raw"] * n,
        "value_source": ["estimated" if e else "computed" for e in _true(v["is_estimated"])],
        "is_estimated": _plain_flags(v["is_estimated"]), "withheld_members": withheld_members, "members": members,
        "source_release": v["source_release"].tolist(), "is_low_reliability": _plain_flags(low_reliability),
        "note": pd.Series(notes, dtype=object),
    }, columns=list(OUTPUT_COLUMNS))
    order = np.lexsort((frame["period_year"].to_numpy(dtype=float), frame["indicator_id"].to_numpy(dtype=object)))
    return frame.iloc[order].reset_index(drop=True)


def _plain(values: FloatingArray) -> np.ndarray:
    """A column as DuckDB hands a DOUBLE to pandas: float64, NULL as NaN."""
    return values.to_numpy(dtype=float, na_value=np.nan)


def _plain_flags(values: BooleanArray) -> Any:
    """A column as DuckDB hands a BOOLEAN to pandas: bool, or pandas' nullable boolean with NULLs."""
    return values.to_numpy(dtype=bool) if not values.isna().any() else values


def _years(values: FloatingArray) -> Any:
    """INTEGER as DuckDB hands it over: int32, or float64 with NULLs."""
    return values.to_numpy(dtype=np.int32) if not values.isna().any() else _plain(values)


def area_values(built: pa.Table, rules: ValueRules) -> pd.DataFrame:
    """The values of one user-made area from its ``built`` sums (``CellFacts.built``): the rows
    and columns the build's SQL gives for it, in its order (indicator, year)."""
    rolling = {str(i): int(r) for i, r, a in zip(rules.catalogue.index, rules.catalogue["rolling_years"],
                                                   rules.catalogue["aggregation"], strict=True)
               if a == "extensive" and pd.notna(r) and int(r) > 1}
    sums = _columns(_sums(built, rolling))
    if not len(sums["indicator_id"]):
        return pd.DataFrame({c: [] for c in OUTPUT_COLUMNS})
    crude, standardised = _crude(sums, rules), _standardised(sums, rules)
    combined = {c: _joined_frames(crude[c], standardised[c]) for c in crude}
    return _final(_valued(combined, rules))


def _joined_frames(a: Any, b: Any) -> Any:
    """``UNION ALL`` of one column."""
    if isinstance(a, np.ndarray):
        return np.concatenate([a, np.asarray(b, dtype=object)])
    kind = FloatingArray if isinstance(a, FloatingArray) else BooleanArray
    fill = 0.0 if kind is FloatingArray else False
    return kind(np.concatenate([a.to_numpy(dtype=float if fill == 0.0 and kind is FloatingArray else bool,
                                           na_value=fill) for a in (a, b)]),
                np.concatenate([np.asarray(a.isna()), np.asarray(b.isna())]))
