"""The sections of an Area Profile: each chart with its verdict caption and "how to read this".

Why: the page's callbacks stay thin; this module turns the warehouse's answers for one area,
theme and indicator into cards (and says "not available in this warehouse" for a missing
statistics mart instead of failing). It takes a Queries, so it is tested without a browser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids
from dashboard.components.chart_alternative import chart_with_alternative
from dashboard.components.fit_caveat import fit_caveat
from dashboard.components.glossary_text import glossary_text
from dashboard.components.html_table import html_table
from dashboard.components.lazy_graph import lazy_graph
from dashboard.components.local_badge import local_badge
from dashboard.components.provenance import cpop_badge, why_they_differ
from dashboard.data.queries import MartUnavailable, split_series
from dashboard.figures.area import boundary_collection, deprivation_figure, map_figure, rank_figure
from dashboard.figures.config import GRAPH_CONFIG
from dashboard.figures.deprived_over_time import extremes_figure, extremes_over_time
from dashboard.figures.profile import (
    best_worst_figure,
    duncan_figure,
    sii_figure,
    spine_figure,
    spine_positions,
)
from dashboard.figures.trend import trend_figure
from dashboard.labels import PRIORITY_LABELS, plural_labels
from dashboard.logic import comparators
from dashboard.logic.area_profile import communities_rows, parent_area, rank_scope
from dashboard.logic.availability import missing_reason, missing_sentence
from dashboard.logic.captions import (
    best_worst_caption,
    communities_caption,
    duncan_caption,
    extremes_caption,
    inequality_caption,
    rank_caption,
    sii_caption,
    spine_caption,
    target_caption,
    trend_caption,
)
from dashboard.logic.explorer import as_list
from dashboard.logic.gap_verdict import HEADLINE_BASIS
from dashboard.logic.provenance import published_for
from dashboard.logic.records import row_tuples
from dashboard.tables.latest_values import LatestRow, latest_row

BASES = [("national_quintile", "National quintiles"), ("local_quintile", "Local quintiles (within the council)"),
         ("national_decile", "National deciles")]
HOW_TO_READ = {
    "trend": "The solid line is the area; the shaded band is its 95% confidence interval (a figure the publisher "
             "gives without one has no band); the dashed and dotted lines are its council and Scotland, and any "
             "further comparator areas you add have their own colours, dashes and markers (hover for their "
             "values and intervals). Where a target is set, a green star marks it and a green dash-dot line is "
             "the straight trajectory from the baseline to it. Filled dots "
             "are observed values; open circles on a dotted line are values the publisher imputed before its "
             "series began, open diamonds on a dashed line (on a grey background) the publisher's projections. "
             "A gap in the line is a suppressed or missing value.",
    "rank": "Bars are the areas of the same type (in the same council for areas below council level), best at the "
            "top; the highlighted bar is this area. Overlapping confidence intervals mean neighbouring ranks may "
            "not really differ.",
    "map": "Darker shading is worse (by the indicator's direction, not simply higher); the outlined area is this "
           "area. Hover for values. No map tiles are used, so the map works offline.",
    "spine": "Each row is one indicator of the theme. The grey bar spans every area of the same type, worst on the "
             "left and best on the right; the darker part is the middle half of areas; the black line is Scotland. "
             "The marker is this area: a blue circle is significantly better than Scotland, a yellow diamond "
             "similar, an orange cross worse (95% confidence interval).",
    "inequality": "Bars are rates for fifths (or tenths) of the population from most to least deprived by SIMD; "
                  "lines on the bars are 95% confidence intervals. National quintiles compare with all of "
                  "Scotland; local quintiles split this council's own population into fifths.",
    "extremes": "The two lines are the rates of the most deprived and the least deprived fifths (or tenths) of "
                "the population by SIMD in each period; whiskers are 95% confidence intervals. Lines drawing "
                "apart mean a widening gap, lines drawing together a narrowing one; the caption's verdict is "
                "tested on the change over the last five periods. A gap in a line is a suppressed value.",
    "sii": "The slope index of inequality (SII) is the modelled difference between the most and least deprived "
           "ends of the population, in the indicator's units; positive always means worse in more deprived "
           "areas, whatever the indicator's direction. The relative index (RII, dashed, in the lower panel) "
           "is the SII divided by the overall rate. Whiskers are 95% confidence intervals.",
    "duncan": "The Duncan index compares how income-deprived and other people are spread across the council's "
              "communities ranked by the outcome: 0 means no difference, above 0 means income-deprived people "
              "live in the communities with worse outcomes.",
    "bestworst": "The best and the worst community (intermediate zone) of the council in each period; the "
                 "communities may change from one period to the next.",
    "communities": "Every community of the council, combining its outcomes: each outcome's level and its change "
                   "since the baseline are turned into z-scores (positive = better) and summed. Rank 1 is the "
                   "most vulnerable community; the five most vulnerable are flagged.",
}


def _section(title: str, caption: str, content: Any, key: str) -> html.Div:
    return html.Div(_card(title, caption, content, key), **{"data-section": key})


def _card(title: str, caption: str, content: Any, key: str) -> dbc.Card:
    # statistical terms in the header and the caption open their glossary definition
    return dbc.Card([
        dbc.CardHeader(html.H2(glossary_text(title, f"{key}-title"), className="h6 mb-0")),
        dbc.CardBody([html.P(glossary_text(caption, f"{key}-caption"), className="fw-semibold cpop-caption"),
                      content,
                      html.Details([html.Summary("How to read this"), html.P(HOW_TO_READ[key], className="small")])]),
    ], className="mb-3")


def _graph(figure: Any, caption: str, lazy: str | None = None) -> html.Div:
    """The chart named by its caption for screen readers (the caption is shown above it), its data
    as a table after it; drawn when scrolled to when given a ``lazy`` key (unique on the page): every
    chart below the trend, which is the only one on the first screen (``components/lazy_graph``)."""
    graph = lazy_graph(figure, GRAPH_CONFIG, lazy) if lazy else dcc.Graph(figure=figure, config=GRAPH_CONFIG)
    return chart_with_alternative(graph, figure, caption)


def _unavailable(title: str, key: str, exc: MartUnavailable) -> html.Div:
    return _section(title, f"Not available in this warehouse: {', '.join(exc.tables)} has not been built yet.",
                    dbc.Alert("This part of the profile appears once the statistics mart is built.",
                              color="light"), key)


def profile_main(queries: Any, area_type: str, area_code: str, indicator_id: str,
                 compare: str | list[str] | None = None) -> list[Any]:
    """The best-fit caveat, why data is missing, and the trend (with where the figure comes from and,
    for a council, CPOP's own rating; the comparator areas of ``compare``, see
    ``dashboard.logic.comparators.from_url``; the target and trajectory where one is set), rank and
    map sections. No chart is drawn without data: a missing value is said in words instead."""
    area = queries.area(area_type, area_code)
    meta = queries.indicator(indicator_id)
    if area is None or meta is None:
        return [dbc.Alert("That area or indicator is not in the warehouse.", color="warning")]
    name = str(area["area_name"])
    sections: list[Any] = [caveat] if (caveat := fit_caveat(area)) else []
    chosen = comparators.from_url(queries, compare, area)
    availability = queries.availability(indicator_id, area_type, area_code)
    reason = missing_reason(availability)
    series = split_series(queries.series(indicator_id, area_type, area_code))
    if reason:
        published = published_for(_built_types(queries, indicator_id), plural_labels(queries.area_type_labels()))
        sections.append(dbc.Alert(missing_sentence(meta.short_title, name, reason, published), color="warning",
                                  id=ids.PROFILE_MISSING))
    if "area" not in series:
        return sections
    trend = queries.area_trend(indicator_id, area_type, area_code)
    latest = latest_row_of(queries, area_type, area_code, indicator_id)
    caption = trend_caption(name, meta.title, trend, latest.trend_reason if latest else "", meta.unit_label)
    lines, missing = comparator_lines(queries, indicator_id, chosen, series)
    target = queries.target(indicator_id, area_type, area_code)
    trend_parts: list[Any] = [
        *([local_badge(meta.local_label)] if meta.local_label else []),
        *([html.Div(dbc.Alert(" ".join(chosen.problems + missing), color="warning", className="small py-2"),
                    **{"data-comparator-notice": "true"})] if chosen.problems or missing else []),
        _graph(trend_figure(series.get("area"), meta, lines.get("council"), lines.get("scotland"),
                            lines.get("others", []), target), caption)]
    if target is not None:
        trend_parts.append(html.P(glossary_text(target_caption(target, meta.unit_label), "target"),
                                  className="small mb-1", **{"data-target-status": str(target.get("status"))}))
    if meta.definition:
        trend_parts.append(html.P([html.Strong("Definition: "), meta.definition], className="small mb-1",
                                  **{"data-definition": "true"}))
    if latest is not None:
        trend_parts.append(provenance_block(latest, with_cpop=area_type == "council"))
    sections.append(_section("Trend", caption, html.Div(trend_parts), "trend"))
    # the area's own latest period, even when its value there is withheld: the rank and the map
    # never fall back silently to an older period (the caption says why the area is not ranked)
    period = latest.period if latest else (trend.get("latest_period_label") or series["area"].period_label.iloc[-1])
    council = rank_scope(area_type, area)
    if period and area_type != "scotland":
        ranks = queries.area_rank(indicator_id, area_type, period, council)
        caption = rank_caption(ranks, area_code, name, meta.polarity)
        scope = "areas of this type in the council" if council else "areas of this type"
        sections.append(_section(f"Rank among {scope}, {period}", caption,
                                 _graph(rank_figure(ranks, area_code, meta.unit_label, meta.polarity), caption,
                                        "rank"),
                                 "rank"))
        boundaries = queries.parsed(("boundaries", area_type, council),
                                    lambda: boundary_collection(queries.area_boundaries(area_type, council)))
        caption = f"Map of {meta.short_title.lower()} in {period}: {name} is outlined; darker shading is worse."
        sections.append(_section(f"Map, {period}", caption, _graph(
            map_figure(ranks, boundaries, area_code, meta.unit_label, meta.polarity), caption, "map"), "map"))
    return sections


def comparator_lines(queries: Any, indicator_id: str, chosen: comparators.Checked,
                     series: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The chosen comparators' series: the first council and Scotland in their usual styles
    ('council', 'scotland'), the rest as 'others' in the order chosen; and a sentence for each
    comparator without values for the indicator. The area's own council and Scotland come from
    ``series`` (``Queries.series``, already read); only the other areas are queried."""
    by_key = {comparators.key(str(f.area_type.iloc[0]), str(f.area_code.iloc[0])): f
              for role, f in series.items() if role in ("council", "scotland")}
    extra = tuple(a for a in chosen.areas if comparators.key(*a) not in by_key)
    frame = queries.comparator_series(indicator_id, extra) if extra else None
    out: dict[str, Any] = {"others": []}
    missing = []
    for area_type, area_code in chosen.areas:
        rows = by_key.get(comparators.key(area_type, area_code))
        if rows is None and frame is not None:
            rows = frame[(frame.area_type == area_type) & (frame.area_code == area_code)]
        if rows is None or rows.empty:
            missing.append(f"{chosen.names[comparators.key(area_type, area_code)]} has no values for this "
                           "indicator, so it is not drawn.")
            continue
        role = area_type if area_type in ("council", "scotland") and area_type not in out else "others"
        if role == "others":
            out["others"].append(rows.reset_index(drop=True))
        else:
            out[role] = rows.reset_index(drop=True)
    return out, missing


def _built_types(queries: Any, indicator_id: str) -> list[str]:
    """The area types the indicator has values for in this build (else its catalogue geographies)."""
    catalogue = queries.explorer_indicators()
    hit = catalogue[catalogue.indicator_id == indicator_id]
    if hit.empty:
        return []
    having = [str(t) for t in as_list(hit.area_types.iloc[0])]
    return having or [str(t) for t in as_list(hit.geographies.iloc[0])]


def latest_row_of(queries: Any, area_type: str, area_code: str, indicator_id: str) -> LatestRow | None:
    """The indicator's latest value for the area as the Quick profile shows it (one source for both)."""
    frame = queries.latest_values(area_type, area_code)
    hit = frame[frame.indicator_id == indicator_id]
    return None if hit.empty else latest_row(hit.iloc[0].to_dict())


def provenance_block(row: LatestRow, *, with_cpop: bool) -> html.Div:
    """Under the trend chart: the latest value with its labels and source, the publisher's projection,
    the note on an estimate and, for a council, CPOP's rating beside cpop's verdict with why they differ."""
    labels = f" ({', '.join(row.labels)})" if row.labels else ""
    lines: list[Any] = [html.P([html.Strong("Latest value: "), f"{row.value} in {row.period}{labels}. ",
                                html.Strong("Source: "), f"{row.source or 'not recorded'}."
                                + (f" {row.projection[:1].upper()}{row.projection[1:]}." if row.projection else "")],
                               className="small mb-1", **{"data-provenance": "true"})]
    if row.note:
        lines.append(html.P(row.note, className="small text-muted mb-1"))
    if with_cpop and row.cpop is not None:
        lines.append(html.Div([
            html.Span("Improvement Service's CPOP rating: ", className="small fw-semibold"),
            cpop_badge(row.cpop),
            html.Span(f" {row.cpop.words}" + (f"; improvement rate {row.cpop.rate_text()}."
                                               if row.cpop.has_rating else "."), className="small"),
            html.Span(f" cpop's own trend verdict: {row.trend}.", className="small"),
            html.Details([html.Summary("Why they can differ", className="small"),
                          html.P(why_they_differ(), className="small mb-0")]),
        ], className="mt-1", **{"data-cpop-rating": row.cpop.rating}))
    return html.Div(lines, className="mt-2")


def profile_spine(queries: Any, area_type: str, area_code: str, theme: str) -> list[Any]:
    """The spine chart of every indicator of the theme for the area."""
    area = queries.area(area_type, area_code)
    if area is None:
        return []
    name = str(area["area_name"])
    spine = queries.spine(area_type, area_code, theme)
    caption = spine_caption(spine_positions(spine), name)
    content = _graph(spine_figure(spine, name), caption, "spine")
    marks = _local_marks(queries.local_labels(), spine)
    return [_section(f"Spine chart: {PRIORITY_LABELS.get(theme, theme)}", caption,
                     html.Div([content, marks]) if marks else content, "spine")]


def _local_marks(labels: Mapping[str, str], frame: Any) -> html.Ul | None:
    """Under a chart whose rows are indicators: each local dataset's title with its badge (None when all
    are national)."""
    if not labels or frame is None or frame.empty:
        return None
    rows = frame.drop_duplicates("indicator_id")
    local = [(str(r.short_title), labels[str(r.indicator_id)]) for r in row_tuples(rows)
             if str(r.indicator_id) in labels]
    return html.Ul([html.Li([title, local_badge(label)]) for title, label in local],
                   className="list-unstyled small mb-1", **{"data-local-data": "true"}) if local else None


def profile_inequality(queries: Any, area_type: str, area_code: str, indicator_id: str, basis: str) -> list[Any]:
    """The deprivation-gap sections (the gap now, the most and least deprived over time), the
    further measures folded away (drawn on demand: :func:`more_inequality`) and, for a council,
    its communities in the round."""
    return _for_area(queries, area_type, area_code, indicator_id, basis, _inequality_sections)


def more_inequality(queries: Any, area_type: str, area_code: str, indicator_id: str, basis: str) -> list[Any]:
    """The slope and relative index of inequality over time and, in a council, the Duncan index
    and the best and worst community: drawn when the reader opens them.

    Why on demand: they answer an analyst's questions, not the board's (is the gap between the
    most and least deprived narrowing is the section above them), and three more charts drawn on
    every visit made the Area profile the slowest page to appear (issue 13)."""
    return _for_area(queries, area_type, area_code, indicator_id, basis, _more_inequality_sections)


def _for_area(queries: Any, area_type: str, area_code: str, indicator_id: str, basis: str,
              sections: Callable[[Any, dict[str, Any], str, Any, str], list[Any]]) -> list[Any]:
    """``sections(queries, area, indicator_id, meta, basis)``; none for an unknown area or indicator."""
    area = queries.area(area_type, area_code)
    meta = queries.indicator(indicator_id)
    if area is None or meta is None:
        return []
    return sections(queries, area, indicator_id, meta, basis)


def _parent(queries: Any, area: dict[str, Any], basis: str) -> tuple[str, str, str, str]:
    """The area whose deprivation gap applies (type, code, name) and the basis in words."""
    parent_type, parent_code = parent_area(area)
    parent_name = (queries.area(parent_type, parent_code) or {}).get("area_name", "Scotland")
    return parent_type, parent_code, parent_name, dict(BASES).get(basis, basis).lower()


def profile_body(queries: Any, area_type: str, area_code: str, theme: str, indicator_id: str,
                 basis: str) -> list[Any]:
    """Every section of the profile, in page order (the page fills the parts separately, and the
    further inequality measures only when they are opened)."""
    return [*profile_main(queries, area_type, area_code, indicator_id),
            *profile_spine(queries, area_type, area_code, theme),
            *profile_inequality(queries, area_type, area_code, indicator_id, basis),
            *more_inequality(queries, area_type, area_code, indicator_id, basis)]


NO_CHART = "No chart: there are no values to draw for this indicator here."


def _graph_if(has_data: bool, figure: Any, caption: str, lazy: str | None = None) -> Any:
    """The chart (see ``_graph``), or a sentence when it would be empty (a chart is never drawn blank)."""
    return _graph(figure, caption, lazy) if has_data else html.P(NO_CHART, className="small text-muted mb-0")


def _inequality_sections(queries: Any, area: dict[str, Any], indicator_id: str, meta: Any, basis: str) -> list[Any]:
    parent_type, parent_code, parent_name, basis_label = _parent(queries, area, basis)
    out: list[Any] = []
    try:
        every_period = queries.inequality_groups(indicator_id, parent_type, parent_code)
        every_period = every_period[every_period.basis == basis]
        groups = every_period[every_period.period_year == every_period.period_year.max()] if len(every_period) \
            else every_period
        caption = inequality_caption(groups, parent_name, national=basis == HEADLINE_BASIS, unit=meta.unit_label)
        out.append(_section(f"Deprivation gap in {parent_name} ({basis_label})", caption,
                            _graph_if(not groups.empty, deprivation_figure(groups, meta.unit_label), caption,
                                      "inequality"),
                            "inequality"))
        out.append(_extremes_section(every_period, parent_name, meta.unit_label, basis))
    except MartUnavailable as exc:
        out.append(_unavailable(f"Deprivation gap in {parent_name}", "inequality", exc))
    out.append(_more_measures(parent_type == "council"))
    if parent_type == "council":
        out.append(_communities_section(queries, parent_code, parent_name))
    return out


def _more_measures(in_council: bool) -> html.Details:
    """The folded further measures: their summary is the control that asks for them (its clicks)."""
    what = ("the slope and relative index of inequality, the Duncan index and the best and worst community"
            if in_council else "the slope and relative index of inequality")
    return html.Details([
        html.Summary(f"More measures of inequality: {what}", id=ids.PROFILE_MORE_INEQUALITY, n_clicks=0,
                     className="fw-semibold"),
        html.Div(id=ids.PROFILE_MORE_INEQUALITY_BODY, className="mt-2"),
    ], className="mb-3 cpop-more-measures", **{"data-on-demand": "true"})


def _more_inequality_sections(queries: Any, area: dict[str, Any], indicator_id: str, meta: Any,
                              basis: str) -> list[Any]:
    parent_type, parent_code, parent_name, basis_label = _parent(queries, area, basis)
    try:
        series = queries.inequality_series(indicator_id, parent_type, parent_code)
    except MartUnavailable as exc:
        return [_unavailable("Inequality over time", "sii", exc)]
    in_basis = series[series.basis == basis]
    caption = sii_caption(in_basis, parent_name, meta.unit_label)
    out = [_section(f"Slope and relative index of inequality over time ({basis_label})", caption,
                    _graph_if(in_basis.sii.notna().any(), sii_figure(in_basis, meta.unit_label), caption), "sii")]
    national = series[series.basis == "national_quintile"]
    if parent_type == "council":
        caption = duncan_caption(national, parent_name)
        out.append(_section("Duncan index over time", caption,
                            _graph_if(national.duncan_index.notna().any(), duncan_figure(national), caption),
                            "duncan"))
        caption = best_worst_caption(national, parent_name, meta.unit_label)
        has_best_worst = bool((national.best_iz_value.notna() & national.worst_iz_value.notna()).any())
        out.append(_section("Best and worst community", caption,
                            _graph_if(has_best_worst, best_worst_figure(national, meta.unit_label), caption),
                            "bestworst"))
    return out


def _extremes_section(groups: Any, parent_name: str, unit: str, basis: str) -> html.Div:
    """Most vs least deprived over time, captioned with the one headline gap verdict."""
    extremes = extremes_over_time(groups)
    verdicts = groups.gap_verdict.dropna() if "gap_verdict" in groups else []
    caption = extremes_caption(extremes, str(verdicts.iloc[0]) if len(verdicts) else None, parent_name, unit,
                               national=basis == HEADLINE_BASIS)
    fifths = not basis.endswith("decile")
    word = "fifths" if fifths else "tenths"
    return _section(f"Most and least deprived {word} over time", caption,
                    _graph_if(extremes.value.notna().any(), extremes_figure(extremes, unit, fifths), caption,
                              "extremes"),
                    "extremes")


#: What the communities table's scores are, in words (its glossary term opens the z-score).
COMBINED_SCORE_KEY = ("Each combined score adds up the community's z-scores over its outcomes: above 0 is better than "
                      "the comparison, below 0 worse. Outcomes now: how the community compares today; change: how "
                      "its outcomes have moved.")


def _communities_section(queries: Any, council: str, council_name: str) -> Any:
    try:
        frame = queries.communities(council)
    except MartUnavailable as exc:
        return _unavailable(f"Communities in the round: {council_name}", "communities", exc)
    rows = communities_rows(frame)
    caption = communities_caption(frame, council_name)
    if not rows:
        return _section(f"Communities in the round: {council_name}", caption, html.Div(), "communities")
    columns = list(rows[0])
    table = html.Div(html_table(columns, [(str(r[columns[0]]), [str(r[k]) for k in columns[1:]]) for r in rows],
                                caption=caption, class_name="table table-sm table-striped mb-0"),
                     className="table-responsive cpop-scroll", tabIndex="0", role="region",
                     **{"aria-label": f"Communities in the round, {council_name}"})
    key = html.P(glossary_text(COMBINED_SCORE_KEY, "communities-key"), className="small text-muted mb-1")
    return _section(f"Communities in the round: {council_name}", caption, html.Div([key, table]), "communities")


