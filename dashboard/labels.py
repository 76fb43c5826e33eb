"""Display labels shared by several pages (kept out of pages: nothing imports a page)."""

from __future__ import annotations

from typing import Any

PRIORITY_LABELS = {
    "economy": "Economic recovery and growth", "employment": "Employment", "early_years": "Early years",
    "safer_communities": "Safer and stronger communities", "health": "Health inequalities and physical activity",
    "older_people": "Outcomes for older people",
}


def singular_labels(area_types: Any) -> dict[str, str]:
    """area_type -> label ('Intermediate zone') from a frame with ``area_type`` and ``label`` columns
    (``Queries.area_types()``, ``Queries.area_type_labels()`` or meta.area_types)."""
    return dict(zip(area_types["area_type"], area_types["label"], strict=True))


def plural_labels(area_types: Any) -> dict[str, str]:
    """area_type -> plural label ('Community council areas') from ``Queries.area_type_labels()``.

    Falls back to the singular label, then to the key, for warehouses built before
    ``meta.area_types.plural_label`` existed.
    """
    out: dict[str, str] = {}
    for row in area_types.to_dict("records"):
        found = [row.get(k) for k in ("plural_label", "label")]
        label = next((v for v in found if isinstance(v, str) and v), str(row["area_type"]).replace("_", " "))
        out[str(row["area_type"])] = label
    return out

#: Raw source folders (meta.sources.source) as people call them.
SOURCE_LABELS = {
    "statistics_gov_scot": "statistics.gov.scot", "nrs_sape": "NRS small area population estimates",
    "simd": "Scottish Index of Multiple Deprivation (SIMD) and data zone lookup",
    "boundaries": "Data zone boundaries (2011)", "dz_centroids": "Data zone population-weighted centroids",
    "localities": "Council localities", "community_councils": "Community council boundaries",
    "ward_boundaries": "Multi-member ward boundaries", "postcodes": "Scottish Postcode Directory",
    "family_groups": "LGBF family groups", "targets": "Targets",
    "cpop": "Improvement Service Community Planning Outcomes Profile (CPOP)",
    "scotpho": "Public Health Scotland ScotPHO profiles", "simd_indicators": "SIMD indicator data",
    "hsc_localities": "HSCP locality boundaries",
}
#: What a source that feeds no indicator directly is used for.
SOURCE_ROLES = {
    "statistics_gov_scot": "Indicator numerators, denominators or published values.",
    "nrs_sape": "Population denominators of rates per head (and the age bands of age-standardised rates).",
    "simd": "The areas every figure is aggregated to (data zone lookup) and the deprivation groups of the "
            "inequality measures.",
    "boundaries": "The maps, and the best fit of areas not built from whole data zones.",
    "dz_centroids": "Which community council each data zone is given to (best fit).",
    "localities": "The localities area type (groups of data zones or intermediate zones).",
    "community_councils": "The community council area type (best fit by data zone centroid).",
    "ward_boundaries": "How well the lookup's wards fit the real ward boundaries (ward fit quality).",
    "postcodes": "Postcodes pasted into My areas.",
    "family_groups": "The family group comparator of councils.",
    "targets": "Progress to targets (the Dashboard's exception report).",
    "cpop": "The Improvement Service's own published figures (councils, intermediate zones, data zones) and the "
            "counts behind wards and other areas.",
    "scotpho": "Public Health Scotland's published figures for councils and health boards, with intervals.",
    "simd_indicators": "Data zone counts of income and employment deprivation and SIMD crimes.",
    "hsc_localities": "The HSCP locality area type (best fit of data zones).",
}
