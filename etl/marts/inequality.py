"""``marts.inequality_groups``, ``marts.inequality`` and ``marts.inequality_trend``.

Why: the board's second question is whether gaps between communities are narrowing. Rates
by SIMD quintile (national and local) and decile are computed with the very SQL that makes
published values (same intervals, same primary disclosure rule), then protected against
recovery by subtraction (differencing and complementary suppression, below); a withheld
group is missing, never zero, and every measure that needs it is blank. Then the gap
measures: absolute and relative gap, SII with its 95 % CI, RII, PAR, the Duncan index and the
best and worst intermediate zone, and their trend over the last five periods.

Sign convention (every indicator, whatever its polarity): a positive SII, RII or Duncan index
means outcomes are worse in the more deprived areas; the gaps are on the rate scale
(most − least deprived; most / least). "Narrowing" means the measure moves towards 0 (the
relative gap towards 1).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from etl.build import SQL_DIR
from etl.disclosure_fallback import withhold_whole_groups
from etl.frames import create_table
from etl.settings import Settings
from etl.stats import duncan_index, rii, sii_grouped
from etl.stats.levels import Z95
from etl.stats.trend import TREND_POINTS
from etl.stats.trend_fast import trend_vectorised
from etl.withheld import WITHHELD_REASON

ORDER = 30
KEY = ["indicator_id", "area_type", "area_code", "period_label", "basis"]
PARENT = ["indicator_id", "area_type", "area_code", "period_label"]
TREND_KEY = ["indicator_id", "area_type", "area_code", "basis"]
NATIONAL_BASES = ("national_quintile", "national_decile")
INCOME_INDICATOR = "econ_income_deprived"
NARROWING, WIDENING = "narrowing", "widening"
# The one gap verdict every page and export shows (issue: the web used the fifths' gap and the
# PDF the SII, so one gap got two verdicts): the absolute gap between the most and least deprived
# fifths of Scotland's data zones. Plain to say to a board, in the indicator's own units.
HEADLINE_BASIS, HEADLINE_MEASURE = "national_quintile", "absolute_gap"

# every group withheld here, for whatever rule, gives the one reason of etl/withheld.py: a reason
# that named the rule would tell a reader which withheld groups (or rests of a parent) are small
REASON_DIFFERENCING_PARENT = REASON_COMPLEMENTARY = WITHHELD_REASON


# --------------------------------------------------------------------------------------------
# group values
# --------------------------------------------------------------------------------------------
def _group_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Group values (and group 0 = the parent) via marts/computed_values.sql on the group sums."""
    sums_sql = (SQL_DIR / "marts" / "inequality_group_sums.sql").read_text(encoding="utf-8")
    con.execute(f"CREATE OR REPLACE TEMP TABLE inequality_group_sums AS {sums_sql}")
    values_sql = (SQL_DIR / "marts" / "computed_values.sql").read_text(encoding="utf-8").replace(
        "marts.indicator_sums", "inequality_group_sums")
    try:
        frame = con.execute(f"""
            WITH v AS ({values_sql}),
            extra AS (
                SELECT indicator_id, area_type, area_code, period_label,
                       CASE WHEN count(numerator) = count(*) THEN sum(numerator) END AS true_numerator,
                       max(hidden_members) AS hidden_members, any_value(simd_edition) AS simd_edition
                FROM inequality_group_sums GROUP BY ALL
            )
            SELECT v.indicator_id, v.area_type, v.area_code, v.period_label, v.period_year, v.numerator,
                   v.denominator, v.value, v.ci_lower, v.ci_upper, v.is_suppressed, v.suppression_reason,
                   e.true_numerator, e.hidden_members, e.simd_edition,
                   i.polarity, i.measure_type, i.disclosure_min_count, i.disclosure_applied_by
            FROM v JOIN extra AS e USING (indicator_id, area_type, area_code, period_label)
            JOIN meta.indicators AS i USING (indicator_id)
        """).df()
        published = con.execute("""
            SELECT indicator_id, area_type, split_part(area_code, '|', 1) AS area_code, period_label
            FROM inequality_group_sums WHERE area_code LIKE '%|total|0' GROUP BY ALL
        """).df().merge(con.execute("""
            SELECT indicator_id, area_type, area_code, period_label,
                   is_suppressed OR numerator IS NULL AS parent_hidden
            FROM marts.indicator_values WHERE area_type IN ('council', 'scotland')
        """).df(), on=PARENT, how="left")
    finally:
        con.execute("DROP TABLE IF EXISTS inequality_group_sums")
    # (an empty frame, e.g. a build whose series are all intermediate-zone ones, has no parts)
    parts = frame["area_code"].astype("object").str.split("|", expand=True).reindex(columns=[0, 1, 2])
    frame["area_code"], frame["basis"] = parts[0].astype("object"), parts[1].astype("object")
    frame["group_number"] = parts[2].astype("int64")
    # a parent not published at all (not in marts.indicator_values) counts as hidden
    published["parent_hidden"] = published["parent_hidden"].fillna(True).astype(bool)
    return frame.merge(published, on=PARENT, how="left")


def protect_groups(frame: pd.DataFrame, nests: pd.DataFrame | None = None) -> pd.DataFrame:
    """Disclosure control of the groups beyond the primary rule (pure: unit-tested).

    Why: a group is a union of data zones inside a published parent, so subtraction could
    reveal a withheld count. On top of the primary rule (already applied by the values SQL):

    1. differencing against the parent: parent − group (the rest of the parent; for
       percentages also its complement) must not be a count from 1 to min_count − 1;
    2. complementary suppression, repeated until stable, in two kinds of family: a parent with
       the groups of one basis (the parent itself counts when its published value is
       withheld), and Scotland's national group g with the councils' groups g. A family with
       exactly one withheld cell has its visible group with the smallest count withheld too
       (ties: the smaller area code, then the lower group number — never the row order, which
       DuckDB does not fix, so the same data always gives the same pattern);
    3. the same, in the family "national quintile q = national deciles 2q − 1 and 2q" of one
       parent (the quintile counts as a member like the deciles): otherwise quintile 4 minus a
       visible decile 7 gives a withheld decile 8;
    4. groups nested by their data zones (``nests``, from ``group_nests``: a council's local
       quintile and the national groups inside it or around it, which depends on the data).
       outer − inner is the total of the outer group's other data zones (the rest). When the
       rest's data zones are all withheld, no data zone is left whose withholding could widen
       that difference (complementary suppression's rule 5 widens every other one), so, unless
       the rest is large enough to narrow nothing (``_rest_is_small``), the one of the two
       visible groups with the smallest count is withheld (ties as above, then the basis); when
       the two are the same data zones (no rest), one withheld group makes the other withheld too.

    A group with exactly one withheld member data zone, or a withheld group whose data zones
    are all visible, cannot occur: the build's complementary suppression treats every published
    deprivation group as the equation group = Σ its data zones
    (``etl/sql/disclosure/group_members.sql``; ``withheld_groups`` tells it which groups this
    function withholds) and hides a second data zone, or one of a withheld group's, first. (Rule 4
    reads which data zones are withheld; a group it withholds only because of data zones hidden
    after complementary suppression last asked is left to the build's audit, which widens.)

    ``frame`` has group rows (``group_number`` ≥ 1) and parent rows (``group_number`` 0,
    basis ``total``) with ``true_numerator`` (pre-suppression), ``denominator``,
    ``parent_hidden``, ``measure_type``, ``disclosure_min_count``.
    Cells missing at source count as withheld. Rows of indicators whose publisher applied its own
    disclosure control (``disclosure_applied_by`` = 'publisher') pass through unchanged: their
    counts are public, and an area estimated around cells withheld at source reveals nothing
    the publisher has not published. Returns the frame with ``numerator``,
    ``value``, ``ci_lower``, ``ci_upper`` blanked and ``is_suppressed``/``suppression_reason``
    set for the newly withheld groups.
    """
    frame = frame.assign(is_suppressed=frame.is_suppressed.fillna(False).astype(bool))
    if "disclosure_applied_by" in frame:
        # a publisher that withheld cells itself: every count cpop holds is public, nothing to add
        by_publisher = frame.disclosure_applied_by.eq("publisher").to_numpy()
        if by_publisher.any():
            own = protect_groups(frame[~by_publisher].drop(columns="disclosure_applied_by"), nests)
            return pd.concat([own, frame[by_publisher].drop(columns="disclosure_applied_by")]).loc[frame.index]
        frame = frame.drop(columns="disclosure_applied_by")
    out = frame.copy()
    groups = out.group_number > 0
    total = out[~groups][[*PARENT, "true_numerator", "denominator"]].rename(
        columns={"true_numerator": "parent_numerator", "denominator": "parent_denominator"})
    g = out[groups].reset_index().merge(total, on=PARENT, how="left").set_index("index")
    m = g.disclosure_min_count
    diff = g.parent_numerator - g.true_numerator
    comp = (g.parent_denominator - g.parent_numerator) - (g.denominator - g.true_numerator)
    small = lambda d: (d >= 1) & (d < m)  # noqa: E731
    by_parent = (small(diff) | ((g.measure_type == "percentage") & small(comp))).fillna(False)
    hidden = (g.is_suppressed | g.true_numerator.isna()).to_numpy(copy=True)
    reason = g.suppression_reason.astype(object).to_numpy(copy=True)
    new = ~hidden & by_parent.to_numpy()
    reason[new] = REASON_DIFFERENCING_PARENT
    hidden |= new

    parent_family = pd.Series(pd.factorize(pd.MultiIndex.from_frame(g[KEY]))[0], index=g.index)
    parent_extra = g.parent_hidden.fillna(True).astype(int).to_numpy()
    national = g.basis.isin(NATIONAL_BASES).to_numpy()
    nat_key = g[["indicator_id", "period_label", "basis", "group_number"]]
    nat_family = pd.Series(pd.factorize(pd.MultiIndex.from_frame(nat_key))[0], index=g.index)
    count = g.true_numerator.fillna(np.inf).to_numpy()
    code = g.area_code.to_numpy()
    group = g.group_number.to_numpy()
    # national quintile q and national deciles 2q - 1, 2q of one parent (structural: rule 3)
    quintile = np.where(g.basis.eq("national_decile"), (g.group_number + 1) // 2, g.group_number)
    quintile_family = pd.factorize(pd.MultiIndex.from_frame(g[PARENT].assign(q=quintile)))[0]
    # (only where the quintile itself is published: two deciles alone are no family)
    has_quintile = pd.Series(g.basis.eq("national_quintile").to_numpy()).groupby(quintile_family).transform(
        "any").to_numpy()
    families = [(parent_family.to_numpy(), parent_extra, np.ones(len(g), dtype=bool)),
                (nat_family.to_numpy(), np.zeros(len(g), dtype=int), national),
                (quintile_family, np.zeros(len(g), dtype=int), national & has_quintile)]
    outer, inner, rest_hidden, twins = _nested_pairs(g, nests)
    rest_hidden = rest_hidden & _rest_is_small(g, outer, inner)
    basis = g.basis.to_numpy()
    for _ in range(100):
        changed = False
        if len(outer):  # rule 4, pair by pair
            h_out, h_in = hidden[outer], hidden[inner]
            exposed_pair = np.flatnonzero((rest_hidden & ~h_out & ~h_in) | (twins & (h_out ^ h_in)))
            if len(exposed_pair):
                rows = np.concatenate([outer[exposed_pair], inner[exposed_pair]])
                cand = pd.DataFrame({"fam": np.concatenate([exposed_pair, exposed_pair]), "count": count[rows],
                                     "code": code[rows], "group": group[rows], "basis": basis[rows], "row": rows})
                cand = cand[~hidden[rows]].sort_values(["fam", "count", "code", "group", "basis"], kind="stable")
                pick = cand.drop_duplicates("fam")["row"].to_numpy()
                hidden[pick] = True
                reason[pick] = REASON_COMPLEMENTARY
                changed = True
        for fam, extra, member in families:
            h = pd.Series(np.where(member, hidden, False)).groupby(fam).transform("sum").to_numpy()
            # the parent's own flag is per row; count it once per family
            ext = pd.Series(np.where(member, extra, 0)).groupby(fam).transform("max").to_numpy()
            exposed = member & (h + ext == 1) & ~hidden
            if not exposed.any():
                continue
            # (count, code, group) is unique within a family, so the choice never depends on row order
            cand = pd.DataFrame({"fam": fam[exposed], "count": count[exposed], "code": code[exposed],
                                 "group": group[exposed], "row": np.flatnonzero(exposed)}).sort_values(
                ["fam", "count", "code", "group"], kind="stable")
            pick = cand.drop_duplicates("fam")["row"].to_numpy()
            hidden[pick] = True
            reason[pick] = REASON_COMPLEMENTARY
            changed = True
        if not changed:
            break
    else:  # pragma: no cover - a finite set of cells always settles
        raise RuntimeError("group suppression did not settle")
    newly = hidden & ~g.is_suppressed.to_numpy() & g.true_numerator.notna().to_numpy()
    idx = g.index[newly]
    out.loc[idx, ["numerator", "value", "ci_lower", "ci_upper"]] = np.nan
    out.loc[idx, "is_suppressed"] = True
    out.loc[g.index, "suppression_reason"] = reason
    # the parent's overall value is only used when it is published
    out.loc[~groups & out.parent_hidden.fillna(True).astype(bool), "value"] = np.nan
    return out


def _nested_pairs(g: pd.DataFrame, nests: pd.DataFrame | None) -> tuple[np.ndarray, ...]:
    """Rows of ``g`` (positions) of each nested pair of ``nests`` that are both in ``g``: outer,
    inner, whether the rest's data zones are all withheld, whether there is no rest (twins)."""
    if nests is None or nests.empty or g.empty:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    on = ["indicator_id", "period_label", "area_code", "basis", "group_number"]
    rows = g[on].assign(row=np.arange(len(g)), group_number=g.group_number.astype("int64"))
    pairs = nests.astype({"outer_group": "int64", "inner_group": "int64"})
    for side in ("outer", "inner"):
        pairs = pairs.merge(rows.rename(columns={"basis": f"{side}_basis", "group_number": f"{side}_group",
                                                 "row": side}),
                            on=[*on[:3], f"{side}_basis", f"{side}_group"])
    pairs = pairs.sort_values(["outer", "inner"], kind="stable")
    return (pairs.outer.to_numpy(), pairs.inner.to_numpy(), pairs.rest_hidden.fillna(False).to_numpy(dtype=bool),
            (pairs.rest_members == 0).to_numpy(dtype=bool))


def _rest_is_small(g: pd.DataFrame, outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """Per nested pair: can outer − inner (the rest, its data zones all withheld) narrow one of them?

    Why not always: the rest's total S alone bounds each of its data zones x by
    max(0, S − the others' caps) <= x <= min(cap, S). With S >= 2m − 1 (m = min_count) a range
    narrower than min(m, cap) lies wholly at m or above, a count the rule publishes; for a
    percentage the same holds for the complements (denominator − count) when their total is
    2m − 1 or more. Withholding a group for such a rest would protect nothing (the build's audit
    still checks every difference). Unknown counts count as small.
    """
    num, den = g.true_numerator.to_numpy(dtype=float), g.denominator.to_numpy(dtype=float)
    limit = 2 * g.disclosure_min_count.to_numpy(dtype=float)[outer] - 1
    rest = num[outer] - num[inner]
    complement = (den[outer] - num[outer]) - (den[inner] - num[inner])
    percentage = (g.measure_type == "percentage").to_numpy()[outer]
    with np.errstate(invalid="ignore"):
        wide = (rest >= limit) & (~percentage | (complement >= limit))
    return ~wide


def group_nests(con: duckdb.DuckDBPyConnection, values: pd.DataFrame) -> pd.DataFrame:
    """Councils' deprivation groups nested in one another by their data zones, per indicator and
    period, with whether the rest's data zones are withheld now (``inequality_group_nests.sql``);
    ``values`` (``_group_values``) says which SIMD edition each period's groups use."""
    editions = values[["indicator_id", "period_label", "simd_edition"]].drop_duplicates()
    con.register("group_nest_editions", editions)
    try:
        return con.execute((SQL_DIR / "marts" / "inequality_group_nests.sql").read_text(encoding="utf-8")).df()
    finally:
        con.unregister("group_nest_editions")


def _protected(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Group values with every rule of ``protect_groups`` applied."""
    values = _group_values(con)
    return protect_groups(values, group_nests(con, values))


def withheld_groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The groups ``marts.inequality_groups`` would withhold, given ``marts.indicator_values`` now.

    Why: complementary suppression of the data zones (``etl.disclosure``) must know which group
    totals will be withheld, so that no withheld group is left equal to the sum of its visible
    data zones. Columns: indicator_id, period_label, area_code (council or Scotland), basis,
    group_number.
    """
    frame = _protected(con)
    withheld = frame[(frame.group_number > 0) & (frame.is_suppressed | frame.numerator.isna())]
    return withheld[["indicator_id", "period_label", "area_code", "basis", "group_number"]].reset_index(drop=True)


def groups_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``marts.inequality_groups`` (group 0, the whole parent, is kept apart)."""
    groups = frame[frame.group_number > 0].copy()
    total = groups.groupby(KEY)["denominator"].transform("sum")
    groups["population_share"] = groups["denominator"] / total
    return groups[[*KEY, "period_year", "simd_edition", "group_number", "numerator", "denominator", "value",
                   "ci_lower", "ci_upper", "population_share", "is_suppressed", "suppression_reason"]].sort_values(
        [*KEY, "group_number"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# inequality measures
# --------------------------------------------------------------------------------------------
def inequality_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``marts.inequality`` from the group values (pure: unit-tested).

    Gaps use group 1 and the last group of the basis (5, or 10 for deciles), signed like the SII
    (positive, or a relative gap above 1, = worse in the more deprived group: Q1 − Q_last and
    Q1 / Q_last for low-is-good indicators, Q_last − Q1 and Q_last / Q1 for high-is-good ones),
    and are blank when either is missing (withheld, or a council with no data zone in that group). The SII uses
    every group present and is blank when any present group is withheld. The absolute gap's
    95 % CI treats the two groups as independent, SE = √(SE₁² + SE_last²) with SE = CI width
    / 3.92; the relative gap's CI is on the log scale, SE = √((SE₁/r₁)² + (SE_last/r_last)²).
    RII = SII / the parent's published overall value. PAR uses the least deprived group's
    rate (etl.stats.par, vectorised).
    """
    groups = frame[frame.group_number > 0].copy()
    overall = frame[frame.group_number == 0][PARENT + ["value"]].rename(columns={"value": "overall_value"})
    base = groups.drop_duplicates(KEY)[[*KEY, "period_year", "polarity"]]
    if "simd_edition" in groups:
        base = base.merge(groups.drop_duplicates(KEY)[[*KEY, "simd_edition"]], on=KEY)
    s = sii_grouped(groups, KEY, rank="group_number", rate="value", population="denominator", polarity="polarity")
    out = base.merge(overall, on=PARENT, how="left").merge(
        s[[*KEY, "sii", "sii_lower", "sii_upper", "se_slope"]], on=KEY, how="left")
    last = np.where(groups.basis == "national_decile", 10, 5)
    groups["se"] = (groups.ci_upper - groups.ci_lower) / (2 * Z95)
    most = groups[groups.group_number == 1][[*KEY, "value", "se"]].rename(
        columns={"value": "most_deprived_value", "se": "most_se"})
    least = groups[groups.group_number == last][[*KEY, "value", "se"]].rename(
        columns={"value": "least_deprived_value", "se": "least_se"})
    out = out.merge(most, on=KEY, how="left").merge(least, on=KEY, how="left")
    # one sign for every inequality measure: positive (a relative gap above 1) = worse in the
    # more deprived areas, as the SII (docs/methods.md "Inequality across deprivation groups")
    worse_if_higher = np.where(out.polarity == "high_is_good", -1.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        q1, q5 = out.most_deprived_value, out.least_deprived_value
        out["absolute_gap"] = worse_if_higher * (q1 - q5)
        gap_se = np.sqrt(out.most_se**2 + out.least_se**2)
        out["absolute_gap_lower"] = out.absolute_gap - Z95 * gap_se
        out["absolute_gap_upper"] = out.absolute_gap + Z95 * gap_se
        positive = (q1 > 0) & (q5 > 0)
        out["relative_gap"] = np.where(positive, (q1 / q5) ** worse_if_higher, np.nan)
        log_se = np.sqrt((out.most_se / q1) ** 2 + (out.least_se / q5) ** 2)
        out["relative_gap_lower"] = np.where(positive, out.relative_gap * np.exp(-Z95 * log_se), np.nan)
        out["relative_gap_upper"] = np.where(positive, out.relative_gap * np.exp(Z95 * log_se), np.nan)
        out["rii"] = rii(out.sii.to_numpy(), out.overall_value.to_numpy())
        out["rii_lower"] = np.where(out.overall_value > 0, out.sii_lower / out.overall_value, np.nan)
        out["rii_upper"] = np.where(out.overall_value > 0, out.sii_upper / out.overall_value, np.nan)
        out.loc[~(out.overall_value > 0), "rii"] = np.nan
        # PAR = Σpᵢ(rᵢ/r_least − 1) / (1 + Σpᵢ(rᵢ/r_least − 1)), pᵢ population shares
        g = groups.merge(least[[*KEY, "least_deprived_value"]], on=KEY)
        share = g.denominator / g.groupby(KEY)["denominator"].transform("sum")
        g["term"] = share * (g.value / g.least_deprived_value - 1)
        g["bad"] = g.value.isna() | g.denominator.isna() | ~(g.least_deprived_value > 0)
        par_sum = g.groupby(KEY).agg(par_sum=("term", "sum"), par_bad=("bad", "any")).reset_index()
    out = out.merge(par_sum, on=KEY, how="left")
    out["par_pct"] = np.where(out.par_bad.fillna(True).astype(bool), np.nan, out.par_sum / (1 + out.par_sum) * 100)
    return out.drop(columns=["most_se", "least_se", "par_sum", "par_bad", "polarity"])


def _nearest(years: pd.Series, available: np.ndarray) -> pd.Series:
    """The available year nearest each year (ties: the later one)."""
    avail = np.sort(np.asarray(available, dtype=float))
    y = years.to_numpy(float)[:, None]
    key = np.abs(avail[None, :] - y) * 10000 - avail[None, :]
    return pd.Series(avail[np.argmin(key, axis=1)], index=years.index)


def iz_values(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Published intermediate-zone values (withheld ones as NULL) and income-deprivation counts.

    The income counts per IZ and year are the income deprivation indicator's numerator
    (people income deprived) and denominator − numerator, summed from the data zone facts
    (SIMD publishes only the income domain rank, not the counts, for every edition).
    """
    values = con.execute("""
        SELECT v.indicator_id, v.period_label, v.period_year, a.council_code, v.area_code AS iz_code, v.value,
               i.polarity
        FROM marts.indicator_values AS v
        JOIN marts.areas AS a USING (area_type, area_code)
        JOIN meta.indicators AS i USING (indicator_id)
        WHERE v.area_type = 'intermediate_zone' AND v.value_type = 'raw'
          AND list_contains(i.geographies, 'intermediate_zone') AND v.indicator_id <> ?
    """, [INCOME_INDICATOR]).df()
    income = con.execute("""
        SELECT b.area_code AS iz_code, f.period_year AS income_year,
               CASE WHEN count(f.numerator) = count(*) THEN sum(f.numerator) END AS income_deprived,
               CASE WHEN count(f.numerator) = count(*) AND count(f.denominator) = count(*)
                    THEN sum(f.denominator) - sum(f.numerator) END AS not_income_deprived
        FROM core.fct_indicator_feature AS f
        JOIN core.bridge_area_area AS b ON b.child_type = f.feature_type AND b.child_code = f.feature_code
        WHERE f.indicator_id = ? AND f.feature_type = 'datazone' AND b.area_type = 'intermediate_zone'
        GROUP BY ALL
    """, [INCOME_INDICATOR]).df()
    return values, income


def iz_frame(values: pd.DataFrame, income: pd.DataFrame, iz_per_council: pd.Series) -> pd.DataFrame:
    """Per council × indicator × period: Duncan index and best / worst IZ (pure: unit-tested).

    Duncan: IZs sorted worst outcome first (by polarity), cumulative shares of income-deprived
    and non-income-deprived people (income counts of the year nearest the period, ties: later);
    blank unless every IZ of the council has a published value and income counts.
    Best / worst IZ: blank unless every IZ of the council has a published value (ties go to the
    smaller code). Why: a withheld IZ holds a small count that may beat the best published one,
    so "best among the published" zigzags with suppression (a demo council's best dwelling-fire
    rate jumped between 0 and ~100 from year to year as zero-count IZs came and went; issue 13).
    """
    cols = ["indicator_id", "period_label", "council_code", "period_year", "duncan_index", "duncan_iz_count",
            "best_iz_code", "best_iz_value", "worst_iz_code", "worst_iz_value", "iz_gap"]
    key = ["indicator_id", "period_label", "council_code"]
    # an intermediate zone the lookup gives no council (a damaged SIMD file) is in no council's
    # ranking; left in, its missing key made a group number NaN and the build fail with a traceback
    v = values[values[key].notna().all(axis=1)].copy()
    if v.empty:
        return pd.DataFrame(columns=cols)
    if len(income):
        v["income_year"] = _nearest(v.period_year, income.income_year.unique())
        v = v.merge(income, on=["iz_code", "income_year"], how="left")
    else:
        v["income_deprived"] = v["not_income_deprived"] = np.nan
    good = np.where(v.polarity == "high_is_good", v.value, -v.value)
    v["good"] = good
    known = v.dropna(subset=["value"]).sort_values([*key, "good", "iz_code"], ascending=[True, True, True, False, True])
    best = known.drop_duplicates(key)[[*key, "iz_code", "value"]].rename(
        columns={"iz_code": "best_iz_code", "value": "best_iz_value"})
    known = known.sort_values([*key, "good", "iz_code"], ascending=[True, True, True, True, True])
    worst = known.drop_duplicates(key)[[*key, "iz_code", "value"]].rename(
        columns={"iz_code": "worst_iz_code", "value": "worst_iz_value"})
    # one slice per council x indicator x period, in order of first appearance, rows in their
    # original order (a stable sort by group), so each Duncan index sees exactly its IZs
    group = v.groupby(key, sort=False).ngroup().to_numpy()
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    firsts = v.iloc[order[starts]]
    known = v[["value", "income_deprived", "not_income_deprived"]].notna().all(axis=1).to_numpy()
    every_iz = sizes == firsts.council_code.map(iz_per_council).fillna(-1).to_numpy()
    published = np.bincount(group, weights=v.value.notna().to_numpy()) == sizes
    complete = every_iz & (np.bincount(group, weights=known) == sizes) & (sizes >= 2)
    value, deprived, not_deprived = (v[c].to_numpy(dtype=float)[order]
                                     for c in ("value", "income_deprived", "not_income_deprived"))
    polarity = firsts.polarity.to_numpy()
    index = np.full(len(sizes), np.nan)
    for g in np.flatnonzero(complete):
        rows = slice(starts[g], starts[g] + sizes[g])
        index[g] = duncan_index(value[rows], deprived[rows], not_deprived[rows], polarity[g])
    out = pd.DataFrame({c: firsts[c].to_numpy() for c in [*key, "period_year"]})
    out["duncan_index"] = index
    out["duncan_iz_count"] = sizes
    out["every_published"] = every_iz & published
    out = out.merge(best, on=key, how="left").merge(worst, on=key, how="left")
    extremes = ["best_iz_code", "best_iz_value", "worst_iz_code", "worst_iz_value"]
    out[extremes] = out[extremes].where(out.every_published)
    out["iz_gap"] = (out.worst_iz_value - out.best_iz_value).abs()
    return out[cols]


# --------------------------------------------------------------------------------------------
# narrowing or widening
# --------------------------------------------------------------------------------------------
def _towards_zero(d: pd.DataFrame) -> pd.Series:
    """Polarity that makes "improving" mean "moving towards 0", judged from the latest value."""
    latest = d.dropna(subset=["value"]).sort_values("period_year").groupby(TREND_KEY).tail(1)[[*TREND_KEY, "value"]]
    latest = d[TREND_KEY].merge(latest.rename(columns={"value": "latest"}), on=TREND_KEY, how="left")["latest"]
    return pd.Series(np.where(latest.to_numpy() > 0, "low_is_good", "high_is_good"), index=d.index)


def inequality_trend_frame(ineq: pd.DataFrame) -> pd.DataFrame:
    """Narrowing / widening of the SII, the gaps and the Duncan index (pure: unit-tested).

    SII: WLS on the SII with SE = the regression's SE of the slope. Absolute gap: WLS with
    SE = √(SE₁² + SE_last²). Relative gap: WLS on the log of the (signed) ratio with its log-scale SE, so
    "towards 1" becomes "towards 0". Duncan index (no SE): OLS slope t-test. All over the
    last five periods with the sign-flip guard (docs/methods.md, trend rule; a ``rolling_years``
    column, when present, lets the test allow for overlapping periods). Narrowing =
    moving towards 0, judged against the sign of the latest value in the window.
    """
    ineq = ineq.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ineq["log_relative_gap"] = np.log(ineq.relative_gap)
        ineq["log_relative_se"] = (np.log(ineq.relative_gap_upper) - np.log(ineq.relative_gap_lower)) / (2 * Z95)
    ineq["gap_se"] = (ineq.absolute_gap_upper - ineq.absolute_gap_lower) / (2 * Z95)
    specs = (("sii", "sii", "se_slope"), ("absolute_gap", "absolute_gap", "gap_se"),
             ("relative_gap", "log_relative_gap", "log_relative_se"))
    # A period enters a measure's window only when the measure's inputs exist for it: a council's
    # row may carry only community (IZ) measures for a year with no data-zone counts, and that year
    # must not make the gap "cannot be calculated" (a withheld group still does: it has a row).
    groups = ineq[ineq["has_groups"]] if "has_groups" in ineq else ineq
    parts, windows = [], []
    # an n-year rolling indicator's gaps overlap like its values: the trend test allows for it
    roll = ["rolling_years"] if "rolling_years" in ineq else []
    for measure, col, se_col in specs:
        windows.append(_window(groups).assign(measure=measure))
        d = groups[[*TREND_KEY, "period_year", col, se_col, *roll]].rename(columns={col: "value", se_col: "se"})
        d = d.assign(ci_lower=d.value - Z95 * d.se, ci_upper=d.value + Z95 * d.se, numerator=np.nan,
                     denominator=np.nan, measure_type="inequality")
        d["polarity"] = _towards_zero(d)
        t = trend_vectorised(d, TREND_KEY, ci_z=Z95)
        t["verdict"] = t["verdict"].replace({"improving": NARROWING, "worsening": WIDENING})
        t["method"] = "wls"
        parts.append(t.assign(measure=measure))
    communities = ineq[ineq["has_communities"]] if "has_communities" in ineq else ineq
    communities = communities[(communities.area_type == "council") & (communities.basis == "national_quintile")]
    duncan = communities[[*TREND_KEY, "period_year", "duncan_index", *roll]].rename(
        columns={"duncan_index": "value"})
    if len(duncan):
        windows.append(_window(communities).assign(measure="duncan_index"))
        duncan["polarity"] = _towards_zero(duncan)
        # no SE: the trend rule's OLS branch (t test on k − 2 df), as for measures without intervals
        duncan = duncan.assign(numerator=np.nan, denominator=np.nan, ci_lower=np.nan, ci_upper=np.nan,
                               measure_type="inequality", ci_method="none")
        t = trend_vectorised(duncan, TREND_KEY)
        t["verdict"] = t["verdict"].replace({"improving": NARROWING, "worsening": WIDENING})
        parts.append(t.assign(measure="duncan_index"))
    out = pd.concat(parts, ignore_index=True)
    out = out.merge(pd.concat(windows, ignore_index=True), on=[*TREND_KEY, "measure"], how="left")
    return out[[*TREND_KEY, "measure", "verdict", "method", "p_value", "n_points", "first_period_label",
                "last_period_label", "first_period_year", "last_period_year"]].sort_values(
        [*TREND_KEY, "measure"]).reset_index(drop=True)


def _window(rows: pd.DataFrame) -> pd.DataFrame:
    """First and last period of the window tested: the last five periods with a row."""
    labels = rows[[*TREND_KEY, "period_year", "period_label"]].sort_values("period_year")
    window = labels.groupby(TREND_KEY).tail(TREND_POINTS)
    first = window.groupby(TREND_KEY).head(1).rename(
        columns={"period_label": "first_period_label", "period_year": "first_period_year"})
    last = window.groupby(TREND_KEY).tail(1).rename(
        columns={"period_label": "last_period_label", "period_year": "last_period_year"})
    return first.merge(last, on=TREND_KEY, how="outer")


# --------------------------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------------------------
INEQUALITY_COLUMNS = [*KEY, "period_year", "simd_edition", "overall_value", "most_deprived_value",
                      "least_deprived_value", "absolute_gap", "absolute_gap_lower", "absolute_gap_upper",
                      "relative_gap", "relative_gap_lower", "relative_gap_upper", "sii", "sii_lower", "sii_upper",
                      "rii", "rii_lower", "rii_upper", "par_pct", "duncan_index", "duncan_iz_count", "best_iz_code",
                      "best_iz_value", "worst_iz_code", "worst_iz_value", "iz_gap"]


def combine(ineq: pd.DataFrame, iz: pd.DataFrame) -> pd.DataFrame:
    """Attach the IZ measures to councils' national_quintile rows (IZ-only indicators get rows too)."""
    iz = iz.rename(columns={"council_code": "area_code"}).assign(area_type="council", basis="national_quintile")
    out = ineq.assign(has_groups=True).merge(iz.drop(columns="period_year").assign(has_communities=True),
                                             on=KEY, how="outer")
    out["has_groups"] = out.has_groups.fillna(False).astype(bool)
    out["has_communities"] = out.has_communities.fillna(False).astype(bool)
    years = iz.set_index(KEY)["period_year"]
    missing = out.period_year.isna()
    out.loc[missing, "period_year"] = years.reindex(pd.MultiIndex.from_frame(out.loc[missing, KEY])).to_numpy()
    out["period_year"] = out.period_year.astype(int)
    for c in INEQUALITY_COLUMNS:
        if c not in out:
            out[c] = np.nan
    return out[INEQUALITY_COLUMNS + ["se_slope", "has_groups", "has_communities"]].sort_values([*KEY[:3], "basis", "period_year"]).reset_index(
        drop=True)


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create the three inequality marts."""
    frame = withhold_whole_groups(con, _protected(con))  # etl.disclosure_fallback
    create_table(con, "marts.inequality_groups", groups_frame(frame))
    values, income = iz_values(con)
    iz_counts = con.execute("SELECT council_code, count(*) FROM marts.areas WHERE area_type = 'intermediate_zone' "
                            "GROUP BY ALL").df().set_index("council_code").iloc[:, 0]
    ineq = combine(inequality_frame(frame), iz_frame(values, income, iz_counts))
    create_table(con, "marts.inequality", ineq.drop(columns=["se_slope", "has_groups", "has_communities"]))
    rolling = con.execute("SELECT indicator_id, rolling_years FROM meta.indicators").df()
    trend = inequality_trend_frame(ineq.merge(rolling, on="indicator_id", how="left"))
    create_table(con, "marts.inequality_trend", mark_headline(trend))


def mark_headline(trend: pd.DataFrame) -> pd.DataFrame:
    """Flag the headline gap verdict's rows (``is_headline``): readers filter on it, never on
    a basis and measure of their own choosing."""
    return trend.assign(is_headline=(trend.basis == HEADLINE_BASIS) & (trend.measure == HEADLINE_MEASURE))
