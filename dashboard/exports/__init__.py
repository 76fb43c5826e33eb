"""Exports: the area profile as PDF, XLSX and CSV, and trend charts as PNG and SVG.

Why: officers need a board-ready profile in one click and analysts need the numbers behind
every chart. ``profile_data`` reads the warehouse once (marts + meta); the renderers are
pure functions of that data. The dashboard's Quick Profile buttons call ``profile_file``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from dashboard.exports.charts import chart_png, chart_svg, trend_chart
from dashboard.exports.profile import (
    USER_AREA_TYPE,
    IndicatorProfile,
    ProfileData,
    ProfileError,
    profile_data,
)

Format = Literal["pdf", "xlsx", "csv"]
FORMATS: tuple[str, ...] = ("pdf", "xlsx", "csv")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def slug(text: str, limit: int = 60) -> str:
    """``'Brae of Mirkie & Tordorran'`` -> ``'brae-of-mirkie-tordorran'`` (safe in file names)."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out[:limit].rstrip("-") or "area"


def profile_filename(data: ProfileData, fmt: str) -> str:
    """``cpop-profile-ward-s13009009-drumgloam-and-benquharrie.pdf``."""
    code = "" if data.area_type == USER_AREA_TYPE else f"-{data.area_code.lower()}"
    return f"cpop-profile-{data.area_type}{code}-{slug(data.area_name)}.{fmt}"


def render(data: ProfileData, fmt: str, spend: Sequence[object] = ()) -> bytes:
    """Render gathered profile data as ``fmt`` ('pdf', 'xlsx' or 'csv'); ``spend`` the council's
    spend-and-need views, added to the PDF and the workbook (not to the CSV: one table)."""
    if fmt == "pdf":
        from dashboard.exports.pdf import profile_pdf

        return profile_pdf(data, spend)
    if fmt == "xlsx":
        from dashboard.exports.spend_need import with_spend_sheets
        from dashboard.exports.tables import profile_xlsx

        return with_spend_sheets(profile_xlsx(data), list(spend), data.demo_line)
    if fmt == "csv":
        from dashboard.exports.tables import profile_csv

        return profile_csv(data)
    raise ValueError(f"argument 'fmt' must be one of {', '.join(FORMATS)}, got {fmt!r}")


def profile_file(queries: object, area_type: str, area_code: str | Sequence[str], fmt: Format,
                 *, area_name: str | None = None, saved_areas: Sequence[Sequence[str]] = (),
                 spend_store: object | None = None) -> tuple[str, bytes]:
    """(file name, content) of an area's profile: what the Quick Profile export buttons send.

    ``queries`` is the dashboard's ``Queries`` (or a ``WarehouseReader``). For a user-made
    area pass ``area_type="user"``, its data zone codes as ``area_code``, ``area_name``, and the
    other saved areas as ``saved_areas`` (the file must withhold what the page withholds).
    With ``spend_store`` (an ``etl.spend.store.SpendStore``), a council's Excel profile gets a
    "Spend and need" sheet for each spend dataset of that council, and its PDF a "Spend alongside
    need" section (chart, the two lists and the ranked table, as in the board report). Raises ProfileError for an unknown area and ValueError for an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"argument 'fmt' must be one of {', '.join(FORMATS)}, got {fmt!r}")
    data = profile_data(queries, area_type, area_code, area_name=area_name,  # type: ignore[arg-type]
                        saved_areas=saved_areas)
    views = _council_spend_views(queries, spend_store, str(area_code)) \
        if spend_store is not None and fmt in ("xlsx", "pdf") and area_type == "council" else []
    return profile_filename(data, fmt), render(data, fmt, views)


def _council_spend_views(queries: object, spend_store: object, council: str) -> list:
    """The council's spend-and-need views (``dashboard.data.spend.council_spend_views``)."""
    from dashboard.data.queries import Queries
    from dashboard.data.spend import council_spend_views

    return council_spend_views(queries if isinstance(queries, Queries) else Queries(queries),  # type: ignore[arg-type]
                               spend_store, council)  # type: ignore[arg-type]


def chart_file(indicator: IndicatorProfile, fmt: Literal["png", "svg"], *, area_name: str = "") -> tuple[str, bytes]:
    """(file name, content) of one indicator's trend chart as a 300 dpi PNG or an SVG."""
    name = f"cpop-chart-{slug(area_name or 'area')}-{indicator.indicator_id}.{fmt}"
    if fmt == "png":
        return name, chart_png(indicator)
    if fmt == "svg":
        return name, chart_svg(indicator)
    raise ValueError(f"argument 'fmt' must be 'png' or 'svg', got {fmt!r}")


__all__ = [
    "FORMATS", "MEDIA_TYPES", "IndicatorProfile", "ProfileData", "ProfileError", "chart_file", "chart_png",
    "chart_svg", "profile_data", "profile_file", "profile_filename", "render", "slug", "trend_chart",
]
