"""The e2e case derived from the contract fixture matches hand-read fixture values."""

from __future__ import annotations

from pathlib import Path

from contract_warehouse import build_contract_warehouse
from e2e_case import derive_case


def test_case_from_contract_fixture(tmp_path: Path) -> None:
    case = derive_case(build_contract_warehouse(tmp_path / "cpop.duckdb"))
    assert case.area_type == "ward"
    assert case.area_label == "Glenrothes West and Kinglassie (S13002888), Fife"
    assert case.search_text == "glen"
    assert (case.indicator_id, case.value_text, case.ci_text) == (
        "ey_child_poverty", "19.4%", "17.9 – 20.9")
    assert case.other_indicator_id == "hi_early_mortality"
    assert case.suppressed == ("datazone", "S01009783", "ey_child_poverty")
