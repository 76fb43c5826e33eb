"""``marts.inequality_groups``, ``marts.inequality`` and ``marts.inequality_trend``.

Why: the board's second question is whether gaps between communities are narrowing. Rates
by SIMD quintile (national and local) and decile are computed with the very SQL that makes
published values (same intervals, same disclosure rule: a withheld group is missing, never
zero), then the gap measures: absolute and relative gap, SII with its 95 % CI, RII, PAR,
best and worst intermediate zone, and their trend over the last five periods.
Sign convention (every indicator, whatever its polarity): a positive SII means outcomes are
worse in the more deprived areas; "narrowing" means the SII moves towards zero.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from etl.build import SQL_DIR
from etl.frames import create_table
from etl.settings import Settings
from etl.stats import duncan_index, sii_grouped
from etl.stats.trend_fast import trend_vectorised

ORDER = 30
KEY = ["indicator_id", "area_type", "area_code", "period_label", "basis"]


def _group_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Group values via marts/indicator_values.sql run on the group sums."""
    con.execute("CREATE OR REPLACE TABLE marts.inequality_group_sums AS "
                + (SQL_DIR / "marts" / "inequality_group_sums.sql").read_text(encoding="utf-8"))
    values_sql = (SQL_DIR / "marts" / "indicator_values.sql").read_text(encoding="utf-8").replace(
        "marts.indicator_sums", "marts.inequality_group_sums")
    frame = con.execute(f"""
        WITH v AS ({values_sql})
        SELECT v.*, i.polarity, i.measure_type FROM v JOIN meta.indicators AS i USING (indicator_id)
    """).df()
    con.execute("DROP TABLE marts.inequality_group_sums")
    parts = frame["area_code"].str.split("|", expand=True)
    frame["area_code"], frame["basis"], frame["group_number"] = parts[0], parts[1], parts[2].astype(int)
    return frame


def groups_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``marts.inequality_groups`` (group 0, the whole parent, is kept apart)."""
    groups = frame[frame.group_number > 0].copy()
    total = groups.groupby(KEY)["denominator"].transform("sum")
    groups["population_share"] = groups["denominator"] / total
    return groups[[*KEY, "period_year", "group_number", "numerator", "denominator", "value", "ci_lower", "ci_upper",
                   "population_share", "is_suppressed"]]


def inequality_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``marts.inequality`` from the group values (pure: unit-tested)."""
    groups = frame[frame.group_number > 0]
    overall = frame[frame.group_number == 0][[*KEY, "period_year", "value", "polarity"]].rename(
        columns={"value": "overall_value"})
    s = sii_grouped(groups, KEY, rank="group_number", rate="value", population="denominator", polarity="polarity")
    out = overall.merge(s[[*KEY, "sii", "sii_lower", "sii_upper"]], on=KEY, how="left")
    last = groups.groupby(KEY)["group_number"].transform("max")
    se = (groups.ci_upper - groups.ci_lower) / 3.919927969080108
    groups = groups.assign(se=se)
    most = groups[groups.group_number == 1][[*KEY, "value", "se"]].rename(
        columns={"value": "most_deprived_value", "se": "most_se"})
    least = groups[groups.group_number == last][[*KEY, "value", "se"]].rename(
        columns={"value": "least_deprived_value", "se": "least_se"})
    out = out.merge(most, on=KEY, how="left").merge(least, on=KEY, how="left")
    complete = groups.groupby(KEY)["value"].apply(lambda v: v.notna().all()).rename("complete").reset_index()
    out = out.merge(complete, on=KEY, how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["absolute_gap"] = out.most_deprived_value - out.least_deprived_value
        # the gap's 95 % CI from the two groups' intervals (independent groups)
        gap_se = np.sqrt(out.most_se**2 + out.least_se**2)
        out["absolute_gap_lower"] = out.absolute_gap - 1.959963984540054 * gap_se
        out["absolute_gap_upper"] = out.absolute_gap + 1.959963984540054 * gap_se
        out["relative_gap"] = np.where(out.least_deprived_value > 0, out.most_deprived_value / out.least_deprived_value,
                                       np.nan)
        for col in ("sii", "sii_lower", "sii_upper"):
            out[col] = np.where(out.complete, out[col], np.nan)
        out["rii"] = out.sii / out.overall_value
        out["rii_lower"] = out.sii_lower / out.overall_value
        out["rii_upper"] = out.sii_upper / out.overall_value
        # PAR: Σ pᵢ(rᵢ/r_least − 1) / (1 + Σ pᵢ(rᵢ/r_least − 1)), pᵢ population shares
        g = groups.merge(least.drop(columns="least_se"), on=KEY)
        share = g.denominator / g.groupby(KEY)["denominator"].transform("sum")
        g = g.assign(term=share * (g.value / g.least_deprived_value - 1))
        s_term = g.groupby(KEY)["term"].sum(min_count=1).rename("par_sum").reset_index()
    out = out.merge(s_term, on=KEY, how="left")
    out["par_pct"] = np.where(out.complete, out.par_sum / (1 + out.par_sum) * 100, np.nan)
    return out[[*KEY, "period_year", "overall_value", "most_deprived_value", "least_deprived_value", "absolute_gap",
                "absolute_gap_lower", "absolute_gap_upper", "relative_gap", "sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper", "par_pct"]]


def iz_extremes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Best and worst intermediate zone of each council per indicator and period (by polarity)."""
    return con.execute("""
        WITH v AS (
            SELECT v.indicator_id, v.period_label, a.council_code, v.area_code, v.value, i.polarity
            FROM marts.indicator_values AS v
            JOIN marts.areas AS a USING (area_type, area_code)
            JOIN meta.indicators AS i USING (indicator_id)
            WHERE v.area_type = 'intermediate_zone' AND v.value IS NOT NULL
        )
        SELECT indicator_id, 'council' AS area_type, council_code AS area_code, period_label,
            CASE WHEN any_value(polarity) = 'high_is_good' THEN arg_max(area_code, value) ELSE arg_min(area_code, value) END AS best_iz_code,
            CASE WHEN any_value(polarity) = 'high_is_good' THEN max(value) ELSE min(value) END AS best_iz_value,
            CASE WHEN any_value(polarity) = 'high_is_good' THEN arg_min(area_code, value) ELSE arg_max(area_code, value) END AS worst_iz_code,
            CASE WHEN any_value(polarity) = 'high_is_good' THEN min(value) ELSE max(value) END AS worst_iz_value
        FROM v GROUP BY ALL
    """).df().assign(iz_gap=lambda d: (d.worst_iz_value - d.best_iz_value).abs())


def duncan_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Duncan index across each council's intermediate zones, per indicator and period.

    Income-deprived and non-income-deprived people per intermediate zone come from the
    income deprivation indicator (people income deprived; population minus them) in the
    year nearest the period. Positive = deprived people fare worse (etl.stats.duncan_index).
    """
    rows = con.execute("""
        WITH income AS (
            SELECT area_code, period_year, numerator AS deprived, denominator - numerator AS not_deprived
            FROM core.agg_indicator_area
            WHERE indicator_id = 'econ_income_deprived' AND area_type = 'intermediate_zone' AND age_band IS NULL
        ),
        outcome AS (
            SELECT v.indicator_id, v.period_label, v.period_year, v.area_code, v.value, a.council_code, i.polarity
            FROM marts.indicator_values AS v
            JOIN marts.areas AS a USING (area_type, area_code)
            JOIN meta.indicators AS i USING (indicator_id)
            WHERE v.area_type = 'intermediate_zone' AND i.aggregation = 'extensive' AND v.value IS NOT NULL
              AND v.indicator_id <> 'econ_income_deprived'
        ),
        nearest AS (
            SELECT o.*, arg_min(i.period_year, abs(i.period_year - o.period_year) * 10000 - i.period_year) AS income_year
            FROM outcome AS o JOIN (SELECT DISTINCT period_year FROM income) AS i ON true
            GROUP BY ALL
        )
        SELECT n.indicator_id, n.period_label, n.council_code, n.polarity, n.value, i.deprived, i.not_deprived
        FROM nearest AS n JOIN income AS i ON i.area_code = n.area_code AND i.period_year = n.income_year
        WHERE i.deprived IS NOT NULL AND i.not_deprived IS NOT NULL
    """).df()
    out = []
    for (indicator, period, council), g in rows.groupby(["indicator_id", "period_label", "council_code"]):
        if len(g) < 2:
            continue
        index = duncan_index(g.value.to_numpy(), g.deprived.to_numpy(), g.not_deprived.to_numpy(), g.polarity.iloc[0])
        out.append((indicator, "council", council, period, "national_quintile", index))
    return pd.DataFrame(out, columns=[*KEY, "duncan_index"])


def inequality_trend_frame(ineq: pd.DataFrame) -> pd.DataFrame:
    """Narrowing / widening of the SII and the absolute gap over the last five periods.

    The measure is tested like any series with an interval (WLS); "narrowing" means it moves
    towards zero, so the direction is judged against the sign of its latest value.
    """
    key = ["indicator_id", "area_type", "area_code", "basis"]
    rows = []
    for measure, lower, upper in (("sii", "sii_lower", "sii_upper"),
                                  ("absolute_gap", "absolute_gap_lower", "absolute_gap_upper")):
        d = ineq[[*key, "period_year", measure, lower, upper]].rename(columns={measure: "value"})
        d = d.rename(columns={lower: "ci_lower", upper: "ci_upper"})
        latest = d.dropna(subset=["value"]).sort_values("period_year").groupby(key).tail(1)[[*key, "value"]]
        latest = latest.rename(columns={"value": "latest"})
        d = d.merge(latest, on=key, how="left")
        # towards zero is "good": a positive measure should fall, a negative one rise
        d["polarity"] = np.where(d.latest > 0, "low_is_good", "high_is_good")
        d["measure_type"] = "sii"
        d["numerator"] = np.nan
        d["denominator"] = np.nan
        t = trend_vectorised(d, key)
        periods = d.dropna(subset=["value"]).sort_values("period_year").groupby(key)["period_year"].agg(["min", "max"])
        t = t.merge(periods.reset_index(), on=key, how="left")
        t["verdict"] = t["verdict"].replace({"improving": "narrowing", "worsening": "widening"})
        t["measure"] = measure
        rows.append(t)
    out = pd.concat(rows, ignore_index=True)
    return out.rename(columns={"min": "first_period_year", "max": "last_period_year"})[
        [*key, "measure", "verdict", "p_value", "n_points", "first_period_year", "last_period_year"]]


def build(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Create the three inequality marts."""
    frame = _group_values(con)
    create_table(con, "marts.inequality_groups", groups_frame(frame))
    ineq = inequality_frame(frame)
    extremes = iz_extremes(con)
    ineq = ineq.merge(extremes, on=["indicator_id", "area_type", "area_code", "period_label"], how="left")
    ineq = ineq.merge(duncan_frame(con), on=KEY, how="left")
    create_table(con, "marts.inequality", ineq)
    create_table(con, "marts.inequality_trend", inequality_trend_frame(ineq))
