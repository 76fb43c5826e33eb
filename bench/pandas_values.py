"""The warehouse's value pipeline for real Scotland, written in plain pandas (the benchmark's yardstick).

Why: ``make bench`` times the DuckDB build beside what a competent analyst would write in pandas
for the same figures, on the same inputs, and checks that both give the same numbers, so the
speed-up it prints compares like with like.

What it does, from the committed snapshot (``data/snapshot``) and the catalogue: reads the
publishers' canonical tables (CPOP, SIMD indicators, ScotPHO) and the SIMD 2020v2 data zone
lookup; keeps the observations the catalogue maps (dataset, measurement, units, then dimensions),
before typing them (an analyst filters first: the warehouse types and versions every observation);
keeps the first copy of an observation landed twice in one release; picks each observation's newest release
and marks revised ones; sums data zone numerators and denominators to every area type of the
lookup (intermediate zone, ward, council, health board, Scotland, and HSCP when the lookup has
it), keeping an area's own counts where the publisher gives them ("direct"); estimates data zones
withheld at source from their intermediate zone's published count, clamped to the catalogue's
bounds; recomputes rates (ratio of sums), Wilson and Byar (exact Poisson below 10) intervals, low
reliability and notes; picks the publisher's shown figure (newest release, main entries before
fallbacks, the catalogue's order) and merges it with the computed one as
``marts.indicator_values`` does.

What it leaves out (the build does these; none changes a row both make): area types built from
polygons (HSC localities by best fit) and localities; denominators from NRS population
estimates, age-standardised rates, rolling periods and intensive ``value`` sides (the real
catalogue uses none: ``unsupported`` stops the pipeline if it ever does); cpop's own disclosure
control is computed but never triggers (every real indicator's publisher applied its own);
the checks, trend, inequality, comparisons, maps and everything else the build makes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.catalogue import load_catalogue
from etl.meta import indicators_frame, mappings_frame
from etl.reference import poisson_exact_frame
from etl.withheld import WITHHELD_REASON

PUBLISHER_SOURCES = ("cpop", "simd_indicators", "scotpho")
MARKERS = ["*", "..", "-", ":", "x", "z", "c"]
Z = 1.959963984540054
KEY = ["indicator_id", "area_type", "area_code", "period_label"]
#: the reason SQL gives a single cell the publisher withheld (computed_values.sql, indicator_values.sql)
AT_SOURCE_REASON = "withheld at source by the publisher"
FEATURE_TYPES = ("datazone", "intermediate_zone", "council", "scotland")
PUBLISHED_TYPES = ("datazone", "intermediate_zone", "council", "health_board", "scotland")
LOOKUP_TYPES = {"intermediate_zone": "IZcode", "ward": "MMWcode", "council": "LAcode", "hscp": "HSCPcode",
                "health_board": "HBcode"}
FINENESS = {"datazone": 1, "intermediate_zone": 2, "council": 3}
SCOTLAND = "S92000003"


def unsupported(indicators: pd.DataFrame, mappings: pd.DataFrame) -> list[str]:
    """Catalogue features this pipeline does not implement (the real catalogue uses none)."""
    problems = []
    if mappings["population_age_from"].notna().any():
        problems.append("denominators from population estimates")
    if (mappings["side"] == "value").any():
        problems.append("intensive 'value' sides")
    if mappings["age_dimension"].notna().any():
        problems.append("age bands")
    extensive = indicators[indicators["aggregation"] == "extensive"]
    if (extensive["measure_type"] == "age_standardised_rate").any():
        problems.append("age-standardised rates")
    if (extensive["rolling_years"] > 1).any():
        problems.append("rolling periods")
    return problems


# --------------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------------
def read_lookup(snapshot: Path) -> pd.DataFrame:
    """The newest SIMD edition's data zone lookup (one row per data zone)."""
    edition = max(p.parent.name for p in (snapshot / "simd").glob("*/*.snapshot.parquet")
                  if "lookup" in p.name.lower() and not p.name.startswith("lookup_dz2001"))
    [path] = [p for p in (snapshot / "simd" / edition).glob("*.snapshot.parquet") if "lookup" in p.name.lower()]
    lookup = pd.read_parquet(path)
    columns = ["DZ", *[c for c in LOOKUP_TYPES.values() if c in lookup.columns]]
    lookup = lookup[columns].apply(lambda s: s.str.strip())
    return lookup.rename(columns={"DZ": "datazone_code"})


def read_observations(snapshot: Path, mappings: pd.DataFrame) -> pd.DataFrame:
    """The publishers' rows the catalogue maps (dataset, measurement, units), typed (value, period, markers)."""
    wanted = mappings[["dataset", "measurement", "units"]].dropna().drop_duplicates()
    frames = []
    for source in PUBLISHER_SOURCES:
        for path in sorted((snapshot / source).glob("*/*.snapshot.parquet")):
            frame = pd.read_parquet(path)
            frame = frame[frame["dataset"].isin(wanted["dataset"])]
            for column in ("Measurement", "Units"):
                frame[column] = frame[column].str.strip()
            frame = frame.merge(wanted, left_on=["dataset", "Measurement", "Units"],
                                right_on=["dataset", "measurement", "units"]).drop(columns=["measurement", "units"])
            if len(frame):
                frames.append(frame.assign(release=path.parent.name, _source_file=str(path)))
    obs = pd.concat(frames, ignore_index=True)
    for column in ("FeatureCode", "DateCode", "Value", "ValueType", "LowerCI", "UpperCI"):
        obs[column] = obs[column].str.strip()
    text = obs["Value"].fillna("")
    obs["value"] = pd.to_numeric(text, errors="coerce").astype("Float64")
    obs["is_withheld"] = text.isin(MARKERS)
    date = obs["DateCode"]
    slash = date.str.slice(4, 5) == "/"
    second = pd.to_numeric(date.str[5:].where(slash), errors="coerce")
    obs["period_label"] = date.where(~slash, date.str[:4] + "/" + (second % 100).astype("Int64").astype(str).str.zfill(2))
    obs["period_year"] = np.where(date.str.slice(4, 5) == "-", pd.to_numeric(date.str[5:9], errors="coerce"),
                                  pd.to_numeric(date.str[:4], errors="coerce")).astype(int)
    obs["value_type"] = obs["ValueType"].replace("", None).fillna("raw")
    obs["ci_lower"] = pd.to_numeric(obs["LowerCI"], errors="coerce").astype("Float64")
    obs["ci_upper"] = pd.to_numeric(obs["UpperCI"], errors="coerce").astype("Float64")
    return obs.rename(columns={"FeatureCode": "feature_code", "Measurement": "measurement", "Units": "units"})


def dimension_columns(obs: pd.DataFrame) -> list[str]:
    fixed = {"feature_code", "DateCode", "measurement", "units", "Value", "ValueType", "LowerCI", "UpperCI",
             "dataset", "release", "value", "is_withheld", "period_label", "period_year", "value_type",
             "ci_lower", "ci_upper"}
    return [c for c in obs.columns if c not in fixed and not c.startswith("_")]


def releases(obs: pd.DataFrame) -> pd.DataFrame:
    """One copy per observation and release, with is_newest and is_revised across releases."""
    dims = dimension_columns(obs)
    obs[dims] = obs[dims].fillna("")  # within a dataset a dimension it has is '' where blank
    key = ["dataset", "feature_code", "period_label", "measurement", "units", *dims]
    obs = obs.drop_duplicates([*key, "release"])  # the first copy (files in name order, rows in file order)
    grouped = obs.groupby(key, sort=False, dropna=False)["value"]
    top, bottom = grouped.transform("max"), grouped.transform("min")
    filled, rows = grouped.transform("count"), grouped.transform("size")
    changed = (top - bottom) > 1e-9 * np.maximum(top.abs(), 1)
    obs["is_revised"] = changed | ~((filled == 0) | (filled == rows))
    obs["is_newest"] = obs["release"] == obs.groupby(key, sort=False, dropna=False)["release"].transform("max")
    return obs


def match(obs: pd.DataFrame, mappings: pd.DataFrame) -> pd.DataFrame:
    """Observations joined to the catalogue's mapping rows (dataset, measurement, units, dimensions)."""
    dims = [tuple(zip(k, v, strict=True)) for k, v in zip(mappings["dimension_keys"], mappings["dimension_values"],
                                                          strict=True)]
    mappings = mappings.assign(dims=pd.Categorical(dims))
    picked = mappings.merge(obs, on=["dataset", "measurement", "units"])
    keep = pd.Series(True, index=picked.index)
    for wanted in mappings["dims"].cat.categories:
        rows = picked["dims"] == wanted
        for name, value in wanted:
            keep &= ~rows | (picked[name] == value) if name in picked else ~rows
    return picked[keep]


# --------------------------------------------------------------------------------------------
# geography
# --------------------------------------------------------------------------------------------
def area_bridge(lookup: pd.DataFrame) -> pd.DataFrame:
    """child_type, child_code -> area_type, area_code (data zones to every type; nesting zones too)."""
    long = [lookup.assign(area_type="datazone", area_code=lookup["datazone_code"])]
    long += [lookup.assign(area_type=t, area_code=lookup[c]) for t, c in LOOKUP_TYPES.items() if c in lookup]
    long.append(lookup.assign(area_type="scotland", area_code=SCOTLAND))
    long = pd.concat(long)[["datazone_code", "area_type", "area_code"]].dropna()
    long = long[long["area_code"] != ""]
    bridge = [long.rename(columns={"datazone_code": "child_code"}).assign(child_type="datazone")]
    zones = long[long["area_type"] == "intermediate_zone"][["datazone_code", "area_code"]]
    pairs = zones.rename(columns={"area_code": "child_code"}).merge(long, on="datazone_code")
    pairs = pairs.groupby(["child_code", "area_type", "area_code"], as_index=False).size()
    pairs = pairs.merge(zones.groupby("area_code").size().rename("zones"), left_on="child_code", right_index=True)
    pairs["whole"] = pairs["size"] == pairs["zones"]
    nesting = pairs.groupby("area_type")["whole"].all()
    pairs = pairs[pairs["area_type"].map(nesting)]
    bridge.append(pairs[["child_code", "area_type", "area_code"]].assign(child_type="intermediate_zone"))
    return pd.concat(bridge, ignore_index=True)


def area_types(lookup: pd.DataFrame, types: tuple[str, ...]) -> pd.Series:
    """area_code -> area type (feature types of the counts, or the types figures are published for)."""
    codes = {"datazone": lookup["datazone_code"], "scotland": pd.Series([SCOTLAND])}
    codes |= {t: lookup[c] for t, c in LOOKUP_TYPES.items() if c in lookup}
    frame = pd.concat([pd.DataFrame({"area_code": codes[t].dropna().unique(), "area_type": t}) for t in types])
    return frame.sort_values("area_type").drop_duplicates("area_code").set_index("area_code")["area_type"]


# --------------------------------------------------------------------------------------------
# counts -> computed values
# --------------------------------------------------------------------------------------------
def features(picked: pd.DataFrame, lookup: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Per indicator x feature x period: numerator, denominator, withheld estimates, build level."""
    newest = picked[picked["is_newest"] & picked["side"].isin(["numerator", "denominator"])]
    sides = newest.groupby(["indicator_id", "side", "feature_code", "period_label"], as_index=False).agg(
        period_year=("period_year", "first"), value=("value", "sum"), filled=("value", "count"),
        rows=("value", "size"), is_withheld=("is_withheld", "any"), is_revised=("is_revised", "any"),
        revised_n=("is_revised", "count"), source_release=("release", "max"))
    sides["value"] = sides["value"].where(sides["filled"] == sides["rows"])
    sides["is_revised"] = bool_or(sides.pop("is_revised"), sides.pop("revised_n"))
    numerators = sides[sides["side"] == "numerator"].drop(columns=["side", "filled", "rows"])
    denominators = sides[sides["side"] == "denominator"][
        ["indicator_id", "feature_code", "period_label", "value", "is_revised", "source_release"]]
    facts = numerators.rename(columns={"value": "numerator"})
    facts["feature_type"] = facts["feature_code"].map(area_types(lookup, FEATURE_TYPES))
    facts = facts.dropna(subset=["feature_type"]).merge(
        denominators, on=["indicator_id", "feature_code", "period_label"], how="left", suffixes=("", "_den"))
    facts = facts.rename(columns={"value": "denominator"})
    facts["is_revised"] = facts["is_revised"] | facts["is_revised_den"].astype("boolean").fillna(False)
    facts["source_release"] = facts[["source_release", "source_release_den"]].max(axis=1)
    facts["fineness"] = facts["feature_type"].map(FINENESS).fillna(4)
    finest = facts.groupby("indicator_id")["fineness"].transform("min")
    facts["is_build_level"] = facts["fineness"] == finest
    # withheld data zones: the rest of their intermediate zone's published count, shared, clamped
    bounds = indicators.dropna(subset=["withheld_upper"]).set_index("indicator_id")[["withheld_lower", "withheld_upper"]]
    zone_of = lookup.set_index("datazone_code")["IZcode"]
    cells = facts[(facts["feature_type"] == "datazone") & facts["indicator_id"].isin(bounds.index)].copy()
    cells["zone"] = cells["feature_code"].map(zone_of)
    zones = facts[facts["numerator"].notna()][["indicator_id", "feature_code", "period_label", "numerator"]]
    zones = zones.rename(columns={"feature_code": "zone", "numerator": "zone_count"})
    per_zone = cells.merge(zones, on=["indicator_id", "zone", "period_label"]).groupby(
        ["indicator_id", "zone", "period_label"], as_index=False).agg(
        zone_count=("zone_count", "first"), visible=("numerator", "sum"), shown=("numerator", "count"),
        withheld=("is_withheld", "sum"))
    per_zone = per_zone[per_zone["withheld"] > 0]
    per_zone["visible"] = per_zone["visible"].where(per_zone["shown"] > 0)  # SQL: the sum of no count is NULL
    per_zone["rest"] = (per_zone["zone_count"] - per_zone["visible"]) / per_zone["withheld"]
    cells = cells[cells["is_withheld"]].merge(per_zone[["indicator_id", "zone", "period_label", "rest"]],
                                              on=["indicator_id", "zone", "period_label"], how="left")
    cells = cells.join(bounds, on="indicator_id")
    middle = (cells["withheld_lower"] + cells["withheld_upper"]) / 2
    cells["estimate"] = cells["rest"].fillna(middle).clip(cells["withheld_lower"], cells["withheld_upper"])
    facts = facts.merge(cells[["indicator_id", "feature_code", "period_label", "estimate", "withheld_lower",
                               "withheld_upper"]], on=["indicator_id", "feature_code", "period_label"], how="left")
    facts["numerator_estimate"] = facts["numerator"].fillna(facts["estimate"])
    facts["numerator_lower"] = facts["numerator"].fillna(facts["withheld_lower"])
    facts["numerator_upper"] = facts["numerator"].fillna(facts["withheld_upper"])
    return facts


def sums(facts: pd.DataFrame, bridge: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Per indicator x area x period: counts summed from the build level, or the area's own ("direct")."""
    geographies = indicators[indicators["aggregation"] == "extensive"][["indicator_id", "geographies"]]
    geographies = geographies.explode("geographies").rename(columns={"geographies": "area_type"})
    members = bridge.groupby(["child_type", "area_type", "area_code"]).size().rename("members_expected")
    built = facts[facts["is_build_level"]].merge(
        bridge, left_on=["feature_type", "feature_code"], right_on=["child_type", "child_code"])
    built = built.merge(geographies, on=["indicator_id", "area_type"])
    built = built.join(members, on=["child_type", "area_type", "area_code"])
    built["withheld_denominator"] = built["denominator"].where(built["is_withheld"])
    out = built.groupby(KEY, as_index=False).agg(
        period_year=("period_year", "first"), members_expected=("members_expected", "first"),
        members_present=("feature_code", "size"),
        numerator=("numerator", "sum"), numerator_n=("numerator", "count"),
        denominator=("denominator", "sum"), denominator_n=("denominator", "count"),
        numerator_estimate=("numerator_estimate", "sum"), numerator_estimate_n=("numerator_estimate", "count"),
        numerator_lower=("numerator_lower", "sum"), numerator_lower_n=("numerator_lower", "count"),
        numerator_upper=("numerator_upper", "sum"), numerator_upper_n=("numerator_upper", "count"),
        withheld_members=("is_withheld", "sum"), withheld_denominator=("withheld_denominator", "sum"),
        is_revised=("is_revised", "any"), revised_n=("is_revised", "count"), source_release=("source_release", "max"))
    out["is_revised"] = bool_or(out.pop("is_revised"), out.pop("revised_n"))
    for column in ("numerator", "denominator", "numerator_estimate", "numerator_lower", "numerator_upper"):
        out[column] = out[column].where(out.pop(f"{column}_n") == out["members_expected"])
    direct = facts[~facts["is_build_level"]].rename(columns={"feature_type": "area_type", "feature_code": "area_code"})
    direct = direct.merge(geographies, on=["indicator_id", "area_type"])
    direct = direct.assign(withheld_members=direct["is_withheld"].astype(int), members_present=1, members_expected=1,
                           withheld_denominator=direct["denominator"].fillna(0).where(direct["is_withheld"], 0))
    out = out.merge(direct[KEY], on=KEY, how="left", indicator=True)
    out = out[out.pop("_merge") == "left_only"]
    return pd.concat([direct[out.columns], out], ignore_index=True)


def bool_or(any_: pd.Series, non_null: pd.Series) -> pd.Series:
    """SQL's bool_or after a pandas groupby ``any``: NULL when every value in the group was NULL."""
    return any_.astype("boolean").where(non_null > 0)


def computed(summed: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Rates from summed counts, intervals, disclosure, estimates: marts/computed_values.sql for crude measures."""
    v = summed.merge(indicators, on="indicator_id")
    for column in ("numerator", "denominator", "numerator_estimate", "numerator_lower", "numerator_upper",
                   "withheld_denominator"):
        v[column] = v[column].astype("Float64")
    v["is_estimated"] = (v["numerator"].isna() & v["numerator_estimate"].notna() & (v["withheld_members"] > 0)
                         & (v["area_type"] != "datazone") & (v["denominator"] > 0)
                         & (v["withheld_denominator"] <= 0.5 * v["denominator"]))
    estimated = v["is_estimated"].fillna(False)
    v["numerator"] = v["numerator_estimate"].where(estimated, v["numerator"])
    positive = (v["denominator"] > 0).fillna(False)
    v["rate"] = v["numerator"].where(v["measure_type"] == "count", (v["numerator"] / v["denominator"]).where(positive))
    v["count_low"] = v["numerator_lower"].where(estimated, v["numerator"])
    v["count_high"] = v["numerator_upper"].where(estimated, v["numerator"])
    exact = poisson_exact_frame().set_index("observed")
    low, high = v["count_low"].astype(float), v["count_high"].astype(float)
    byar_low = np.where(low > 0, low * (1 - 1 / (9 * low) - Z / (3 * np.sqrt(low))) ** 3, 0.0)
    byar_high = (high + 1) * (1 - 1 / (9 * (high + 1)) + Z / (3 * np.sqrt(high + 1))) ** 3
    v["count_lower"] = np.where(low < 10, low.map(exact["lower"]), byar_low)
    v["count_upper"] = np.where(high < 10, high.map(exact["upper"]), byar_high)
    # as in SQL: a missing count's lower limit is byar_lower_count(NULL) = 0 (its CASE falls to ELSE 0)
    v.loc[v["count_high"].isna(), "count_upper"] = np.nan
    multiplied = v["multiplier"].where(v["measure_type"] != "count", 1.0)
    v["value"] = v["rate"] * multiplied
    n = v["denominator"].astype(float)

    def wilson(x: pd.Series, sign: float) -> np.ndarray:
        x = x.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 0, (2 * x + Z * Z + sign * Z * np.sqrt(Z * Z + 4 * x * (1 - x / n))) / (2 * (n + Z * Z)),
                            np.nan) * v["multiplier"]

    def byar(count: pd.Series) -> np.ndarray:
        return np.where(v["measure_type"] == "count", count, np.where(n > 0, count / n * v["multiplier"], np.nan))

    wilson_rows, byar_rows = v["ci_method"] == "wilson", v["ci_method"] == "byar"
    v["ci_lower"] = np.select([wilson_rows, byar_rows], [wilson(v["count_low"], -1), byar(v["count_lower"])], np.nan)
    v["ci_upper"] = np.select([wilson_rows, byar_rows], [wilson(v["count_high"], 1), byar(v["count_upper"])], np.nan)
    num, den, limit = v["numerator"], v["denominator"], v["disclosure_min_count"]
    small = ((num >= 1) & (num < limit)) | (v["disclosure_suppress_zero"] & (num == 0))
    small |= (v["measure_type"] == "percentage") & (den - num >= 1) & (den - num < limit)
    primary = ((v["disclosure_applied_by"] == "cpop") & (v["aggregation"] == "extensive") & num.notna() & small)
    primary = primary.fillna(False).astype(bool)
    at_source = (num.isna() & (v["withheld_members"] > 0)).astype(bool)
    for column in ("numerator", "value", "ci_lower", "ci_upper"):
        v[column] = v[column].where(~primary)
    for column in ("ci_lower", "ci_upper"):  # no interval without a value
        v[column] = v[column].where(v["value"].notna())
    v["is_suppressed"] = primary | at_source
    reason = np.select(
        [primary, at_source & (v["members_expected"] == 1), at_source],
        [WITHHELD_REASON,
         AT_SOURCE_REASON,
         "not estimated: " + v["withheld_members"].astype(str) + " of " + v["members_expected"].astype(str)
         + " data zones withheld at source by the publisher"], None)
    v["suppression_reason"] = reason
    v["value_type"] = "raw"
    v["value_source"] = np.where(estimated, "estimated", "computed")
    low_count = v["measure_type"].isin(["crude_rate", "age_standardised_rate", "count"]) & (num < 20)
    low_base = v["measure_type"].isin(["percentage", "mean"]) & (den < 50)
    v["is_low_reliability"] = ~primary & (v["aggregation"] == "extensive") & (low_count | low_base)
    over = ~primary & (v["measure_type"] == "percentage") & (num > den)
    v["note"] = np.where(
        estimated,
        "Estimated: " + v["withheld_members"].astype(str) + " of " + v["members_expected"].astype(str)
        + " data zones withheld at source by the publisher; the interval covers every value they could take.",
        np.where(over.fillna(False), "The count (" + _number_text(num) + ") is above the population it is divided by ("
                 + _number_text(den) + "): small-area population estimates do not always match the counts.", None))
    return v.rename(columns={"members_expected": "members"})


def _number_text(values: pd.Series) -> pd.Series:
    """A number as DuckDB prints round(x, 2), without a trailing '.0'."""
    return values.astype(float).round(2).map(repr).str.replace(r"\.0$", "", regex=True)


# --------------------------------------------------------------------------------------------
# published figures and the merge
# --------------------------------------------------------------------------------------------
def shown(picked: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """The publisher's figure shown per indicator x area x period (core.fct_published_value.is_shown)."""
    pub = picked[picked["side"] == "published"].copy()
    pub["area_type"] = pub["feature_code"].map(area_types(lookup, PUBLISHED_TYPES))
    pub = pub.dropna(subset=["area_type"]).rename(columns={"feature_code": "area_code"})
    pub = pub.sort_values("side_index").drop_duplicates([*KEY, "release", "dataset"])
    newest = pub.groupby(["indicator_id", "area_type", "area_code", "dataset"])["release"].transform("max")
    main = (~pub["is_fallback"]).groupby([pub["indicator_id"], pub["area_type"], pub["area_code"]]).transform("any")
    pub["is_candidate"] = (pub["release"] == newest) & (~pub["is_fallback"] | ~main)
    pub = pub.sort_values(["is_candidate", "side_index", "release"], ascending=[False, True, False])
    pub = pub.drop_duplicates(KEY)
    return pub[pub["is_candidate"]]


class UnsupportedCatalogue(ValueError):
    """The catalogue uses a feature the plain-pandas comparison does not reproduce, so timing it
    would compare unequal work: the benchmark refuses rather than print a misleading figure."""


def indicator_values(snapshot: Path, catalogue_dir: Path) -> pd.DataFrame:
    """marts.indicator_values for the area types above, in pandas."""
    catalogue = load_catalogue(catalogue_dir)
    indicators, mappings = indicators_frame(catalogue), mappings_frame(catalogue)
    problems = unsupported(indicators, mappings)
    if problems:
        raise UnsupportedCatalogue(f"the pandas comparison pipeline does not cover {', '.join(problems)}; "
                                   "compare on a catalogue without them")
    indicators["geographies"] = indicators["geographies"].map(list)
    lookup = read_lookup(snapshot)
    obs = releases(read_observations(snapshot, mappings))
    picked = match(obs, mappings)
    facts = features(picked, lookup, indicators)
    values = computed(sums(facts, area_bridge(lookup), indicators), indicators)
    published = shown(picked, lookup)
    published = published.merge(indicators[["indicator_id", "geographies"]], on="indicator_id")
    published = published[[t in g for t, g in zip(published["area_type"], published["geographies"], strict=True)]]
    published = published[[*KEY, "period_year", "value", "is_withheld", "value_type", "ci_lower", "ci_upper", "release",
                           "is_revised"]]
    values = values[[*KEY, "period_year", "numerator", "denominator", "value", "ci_lower", "ci_upper", "is_suppressed",
                     "suppression_reason", "is_revised", "value_type", "value_source", "is_estimated", "withheld_members",
                     "members", "source_release", "is_low_reliability", "note"]]
    return merge_published(published, values)


def merge_published(published: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The publisher's shown figure merged with the computed one, rule for rule as
    ``etl/sql/marts/indicator_values.sql``: the published value wins; counts go with it only when
    they reproduce it to 4 significant figures; a published figure left blank where the count is
    withheld is withheld too."""
    both = published.merge(values, on=KEY, how="outer", suffixes=("_p", ""), indicator=True)
    is_pub = both["_merge"] != "right_only"
    # as in SQL: counts agree to 4 significant figures (within half a unit of the published figure's 4th)
    published_value, computed_value = both["value_p"].astype(float), both["value"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        half_unit = 0.5 * np.power(10.0, np.floor(np.log10(published_value.abs())) - 3)
    close = np.where(published_value == 0, computed_value == 0, (computed_value - published_value).abs() <= half_unit)
    agree = (both["value"].notna() & both["value_p"].notna() & ~both["is_estimated"].astype("boolean")
             & pd.Series(close, index=both.index))
    counts = (~is_pub | agree.fillna(False)).astype(bool)
    out = both[KEY].copy()
    out["period_year"] = both["period_year_p"].where(is_pub, both["period_year"])
    out["numerator"] = both["numerator"].where(counts)
    out["denominator"] = both["denominator"].where(counts)
    out["value"] = both["value_p"].where(is_pub, both["value"])
    for side in ("ci_lower", "ci_upper"):
        out[side] = both[side].where(~is_pub, both[f"{side}_p"].where(both[f"{side}_p"].notna(),
                                                                       both[side].where(counts)))
    # as in SQL: a published figure the publisher left blank where its own count is withheld is withheld too
    withheld = both["is_withheld"].fillna(False).astype(bool)
    blank_withheld = both["value_p"].isna() & both["is_suppressed"].fillna(False).astype(bool)
    out["is_suppressed"] = (withheld | blank_withheld).where(is_pub, both["is_suppressed"])
    out["suppression_reason"] = both["suppression_reason"].where(
        ~is_pub, np.where(withheld, AT_SOURCE_REASON,
                          both["suppression_reason"].where(blank_withheld)))
    out["is_revised"] = both["is_revised_p"].fillna(False).where(is_pub, both["is_revised"])
    out["value_type"] = both["value_type_p"].where(is_pub, both["value_type"])
    out["value_source"] = np.where(is_pub, "published", both["value_source"])
    out["is_estimated"] = both["is_estimated"].astype("boolean").where(~is_pub, False)
    out["withheld_members"] = both["withheld_members"].where(~is_pub, 0)
    out["members"] = both["members"]
    out["source_release"] = both["release"].where(is_pub, both["source_release"])
    reliability = both["is_low_reliability"].astype("boolean")
    out["is_low_reliability"] = reliability.where(~is_pub, agree & reliability).fillna(False)
    out["note"] = both["note"].where(counts)
    return out.sort_values(KEY, ignore_index=True)


# --------------------------------------------------------------------------------------------
# the check: both pipelines give the same rows
# --------------------------------------------------------------------------------------------
def compare(mine: pd.DataFrame, mart: pd.DataFrame, rel: float = 1e-9, absolute: float = 1e-12) -> dict[str, object]:
    """Rows both make, rows only one makes, and the columns that differ on rows both make.

    Numbers agree within ``rel`` (relative: sums in another order differ in the last bits) or
    ``absolute`` (a Wilson limit of 0 comes out as -3e-17 in SQL); NULL equals NULL; everything
    else must be equal.
    """
    both = mine.merge(mart, on=KEY, how="outer", suffixes=("", "_mart"), indicator=True)
    shared = both[both["_merge"] == "both"]
    differing: dict[str, int] = {}
    for column in [c for c in mine.columns if c not in KEY]:
        ours, theirs = shared[column], shared[f"{column}_mart"]
        if pd.api.types.is_numeric_dtype(theirs) and not pd.api.types.is_bool_dtype(theirs):
            a, b = ours.astype(float).to_numpy(), theirs.astype(float).to_numpy()
            with np.errstate(invalid="ignore"):
                same = (np.isnan(a) & np.isnan(b)) | (a == b) | (
                    np.abs(a - b) <= rel * np.maximum(np.abs(a), np.abs(b)) + absolute)
        else:
            a, b = ours.astype(object), theirs.astype(object)
            same = (a.isna() & b.isna()) | (a.astype(str) == b.astype(str))
        if (~np.asarray(same, dtype=bool)).any():
            differing[column] = int((~np.asarray(same, dtype=bool)).sum())
    only_mart = both[both["_merge"] == "right_only"]
    return {"both": len(shared), "only_pandas": int((both["_merge"] == "left_only").sum()),
            "only_warehouse": len(only_mart),
            "only_warehouse_types": only_mart["area_type"].value_counts().to_dict(), "differing": differing}
