"""The published local datasets as the build reads them: tidy CSVs and catalogue entries.

Why: a published local dataset must become part of the next build exactly like a national series,
so it is written in the formats the build already reads: a statistics.gov.scot tidy CSV per
version (``statistics_gov_scot/local-<id>-v001/local-<id>.csv``: one release folder per version,
so older vintages stay and changed values are flagged ``is_revised``) and the published version's
``Indicator`` YAML. The tree is rewritten from every dataset's ``state.json`` after each publish
or roll back; the build adds it as one more input root and catalogue
(``etl.build``: ``local_roots`` and ``local_indicators``). Demo and real datasets are kept apart:
codes checked against one country mean nothing in the other.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import yaml

from etl.catalogue.models import Indicator, load_indicator
from etl.local.metadata import DENOMINATOR_UNITS, MEASUREMENT, NUMERATOR_UNITS, LocalMetadata
from etl.local.store import LocalStore
from etl.settings import Settings
from etl.sources.statistics_gov_scot import CORE_COLUMNS

PUBLISHED = "published"


def published_root(user_dir: Path, demo: bool) -> Path:
    """``<user_dir>/local/published/<demo|real>``: an input root with its own catalogue folder."""
    return Path(user_dir) / "local" / PUBLISHED / ("demo" if demo else "real")


def local_roots(settings: Settings, demo: bool) -> list[Path]:
    """The input root of the published local datasets, when there is one."""
    root = published_root(settings.user_dir, demo)
    return [root] if (root / "statistics_gov_scot").is_dir() else []


def local_indicators(settings: Settings, demo: bool) -> list[Indicator]:
    """The catalogue entries of the published local datasets (validated by the national model)."""
    folder = published_root(settings.user_dir, demo) / "catalogue" / "indicators"
    return [load_indicator(path) for path in sorted(folder.glob("*/*.yaml"))]


def tidy_csv(tidy: pd.DataFrame, meta: LocalMetadata) -> pd.DataFrame:
    """statistics.gov.scot's tidy layout: a numerator row and, from a column, a denominator row."""
    parts = [tidy.assign(Measurement=MEASUREMENT, Units=NUMERATOR_UNITS, Value=tidy["numerator"])]
    if meta.denominator.kind == "column":
        parts.append(tidy.assign(Measurement=MEASUREMENT, Units=DENOMINATOR_UNITS, Value=tidy["denominator"]))
    out = pd.concat(parts, ignore_index=True)
    out["Value"] = out["Value"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}")
    return out[CORE_COLUMNS]


def write_published(user_dir: Path) -> list[str]:
    """Rewrite both published trees from the datasets' states; the ids of the published indicators."""
    store = LocalStore(user_dir)
    published: list[str] = []
    for demo in (True, False):
        root = published_root(user_dir, demo)
        work = root.with_name(f".{root.name}.incoming")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        for state in store.states():
            if state.published_version is None or (state.country == "demo") != demo:
                continue
            for version in range(1, state.published_version + 1):
                folder = store.version_dir(state.id, version)
                meta = LocalMetadata.model_validate(yaml.safe_load((folder / "metadata.yaml").read_text("utf-8")))
                release = work / "statistics_gov_scot" / f"{meta.dataset}-v{version:03d}"
                release.mkdir(parents=True)
                tidy_csv(store.tidy(state.id, version), meta).to_csv(release / f"{meta.dataset}.csv", index=False)
            folder = store.version_dir(state.id, state.published_version)
            indicator = load_indicator_text(folder / "indicator.yaml")
            target = work / "catalogue" / "indicators" / indicator.soa_priority.value / f"{indicator.id}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / "indicator.yaml", target)
            published.append(indicator.id)
        old = root.with_name(f".{root.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if root.exists():
            os.replace(root, old)
        os.replace(work, root)
        shutil.rmtree(old, ignore_errors=True)
    return published


def load_indicator_text(path: Path) -> Indicator:
    """An ``indicator.yaml`` kept in a version folder (named by version, so not ``load_indicator``)."""
    return Indicator.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
