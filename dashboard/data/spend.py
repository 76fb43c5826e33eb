"""The warehouse's side of a spend view: population, need measures and their values, and the
areas a spend upload is checked against; and the one function that puts a whole view together.

Why: the "Spend and need" page, its Excel download and the board report show the same figures,
so they all call ``spend_view`` (one source per figure). The spend rows themselves are the
officer's (``etl.spend.store``, outside the warehouse); everything else comes from the build.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.data.queries import Queries
from dashboard.data.sqlfiles import load_sql
from dashboard.logic.area_upload import decode_upload
from etl.errors import InputError
from etl.spend.areas import AREAS_SQL
from etl.spend.need import SpendNeed, spend_need
from etl.spend.store import SpendMetadata, SpendStore
from etl.spend.validate import ALL_SERVICES, Checked


class SpendViewError(ValueError):
    """The view asked for cannot be shown (unknown dataset, service, year or measure); the message says why."""


@dataclass(frozen=True)
class SpendView:
    """Everything a spend-and-need view shows, computed once."""

    meta: SpendMetadata
    council_code: str
    council_name: str
    service: str
    year: int
    indicator_id: str
    indicator_title: str
    unit_label: str
    need_period: str
    population_year: int | None
    result: SpendNeed


def _query(queries: Queries, name: str, params: dict) -> pd.DataFrame:
    key = (name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())))
    return queries.parsed(("spend", key), lambda: queries.reader.query(load_sql(name), params)).copy()


def spend_areas(queries: Queries) -> pd.DataFrame:
    """The areas a spend file can be by (as the CLI checks them, etl/spend/areas.sql)."""
    return queries.parsed(("spend", "areas"), lambda: queries.reader.query(AREAS_SQL.read_text(encoding="utf-8")))


def need_measures(queries: Queries, area_type: str, council: str) -> pd.DataFrame:
    """Indicators with values for the council's areas of ``area_type`` (spend_need_measures.sql)."""
    return _query(queries, "spend_need_measures", {"area_type": area_type, "council": council})


def population(queries: Queries, area_type: str, codes: list[str], year: int) -> pd.DataFrame:
    """Population of the areas in the estimate year nearest ``year`` (spend_population.sql)."""
    return _query(queries, "spend_population", {"area_type": area_type, "codes": sorted(codes), "year": int(year)})


def need_values(queries: Queries, area_type: str, council: str, indicator: str, year: int) -> pd.DataFrame:
    """The measure's value for each area and the council in the period nearest ``year``."""
    return _query(queries, "spend_need_values", {"area_type": area_type, "council": council,
                                                 "indicator": indicator, "year": int(year)})


def default_measure(indicator_ids: list[str]) -> str:
    """The need measure a view opens on: income deprivation (SIMD's own domain) when offered, else
    the first in the catalogue's order."""
    return next((i for i in indicator_ids if "income_deprived" in i), indicator_ids[0])


def service_options(meta: SpendMetadata) -> list[str]:
    """``All services`` (their sum) first when the file has several, then each service."""
    return meta.services if len(meta.services) == 1 else [ALL_SERVICES, *meta.services]


def spend_view(queries: Queries, store: SpendStore, dataset_id: str, *, council: str | None = None,
               service: str | None = None, year: int | None = None, indicator: str | None = None) -> SpendView:
    """The whole view for a dataset; unset choices take their defaults (the dataset's first council,
    all services, its latest year, the first need measure). Raises SpendViewError for a choice the
    dataset or warehouse does not have."""
    try:
        meta = store.get(dataset_id)
    except KeyError as exc:
        raise SpendViewError(f"there is no spend dataset '{dataset_id}'") from exc
    council = council or (meta.councils[0] if meta.councils else None)
    if council not in meta.councils:
        raise SpendViewError(f"the dataset '{meta.title}' has no spend in council '{council}'")
    services = service_options(meta)
    service = service or services[0]
    if service not in services:
        raise SpendViewError(f"the dataset '{meta.title}' has no service '{service}'")
    year = int(year) if year is not None else max(meta.years)
    if year not in meta.years:
        raise SpendViewError(f"the dataset '{meta.title}' has no spend for {year}")
    measures = need_measures(queries, meta.area_type, council)
    if measures.empty:
        raise SpendViewError("no need measure in this warehouse has values for these areas")
    indicator = indicator or default_measure(list(measures.indicator_id))
    chosen = measures[measures.indicator_id == indicator]
    if chosen.empty:
        raise SpendViewError(f"'{indicator}' is not a need measure with values for these areas")
    measure = chosen.iloc[0]
    rows = store.rows(dataset_id)
    rows = rows[(rows.council_code == council) & (rows.year == year)]
    if service != ALL_SERVICES:
        rows = rows[rows.service == service]
    pop = population(queries, meta.area_type, sorted(set(rows.area_code)), year)
    need = need_values(queries, meta.area_type, council, indicator, year)
    council_row = need[need.is_council]
    council_need = council_row.need_value.iloc[0] if len(council_row) else None
    result = spend_need(rows[["area_code", "area_name", "amount"]], pop, need[~need.is_council],
                        None if council_need is None or pd.isna(council_need) else float(council_need),
                        str(measure.polarity))
    council_name = spend_areas(queries).query("council_code == @council").council_name
    return SpendView(meta, council, str(council_name.iloc[0]) if len(council_name) else council, service, year,
                     indicator, str(measure.short_title), str(measure.unit_label or ""),
                     str(need.need_period.iloc[0]) if len(need) else "",
                     int(pop.population_year.iloc[0]) if len(pop) else None, result)


def add_upload(store: SpendStore, queries: Queries, contents: str, filename: str, max_bytes: int, *,
               title: str, organisation: str, measure_kind: str, units: str | None, licence: str,
               added_by: str) -> tuple[SpendMetadata, Checked]:
    """Keep a file uploaded on the page (a ``dcc.Upload`` payload) as a spend dataset.

    The file is written to a private temporary folder under its own name's suffix; an InputError
    names the file as the officer knows it, not the temporary path. Raises UploadError (too large,
    damaged), InputError (cannot be read, no usable row) or pydantic's ValidationError (details).
    """
    raw = decode_upload(contents, filename, max_bytes)
    suffix = Path(filename).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="cpop-spend-") as folder:
        path = Path(folder) / f"upload{suffix if suffix in ('.csv', '.xlsx') else '.bin'}"
        path.write_bytes(raw)
        try:
            return store.add(path, spend_areas(queries), title=title, organisation=organisation,
                             measure_kind=measure_kind, units=units or None, licence=licence, added_by=added_by,
                             original_name=filename)
        except InputError as exc:
            raise InputError(filename, exc.reason, row=exc.row, column=exc.column, hint=exc.hint) from None


def council_spend_views(queries: Queries, store: SpendStore, council: str) -> list[SpendView]:
    """Each spend dataset with spend in ``council`` as its default view (all services, latest year,
    income deprivation or the first need measure): what the board report and the council's Quick
    profile export add. A dataset that cannot be shown (no need measure for its areas) is left out."""
    views = []
    for meta in store.list():
        if council not in meta.councils:
            continue
        try:
            views.append(spend_view(queries, store, meta.dataset_id, council=council))
        except SpendViewError:
            continue
    return views
