"""SIMD 2012 bridged from 2001 to 2011 data zones, on a hand-made example."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.errors import InputError
from etl.sources.files import RawFile
from etl.sources.simd2012 import DOMAINS, POPULATION, RANK, SIMD_CODE, bridge


def _write(folder: Path, with_lookup: bool = True) -> list[RawFile]:
    folder.mkdir(parents=True)
    rows = [("S01000001", 1, 900), ("S01000002", 3, 600), ("S01000003", 2, 800)]
    data = pd.DataFrame({SIMD_CODE: [r[0] for r in rows], RANK: [r[1] for r in rows], POPULATION: [r[2] for r in rows]})
    for column in DOMAINS.values():
        data[column] = data[RANK]
    data.to_csv(folder / "simd2012.csv", index=False)
    files = [RawFile("simd", "2012", folder / "simd2012.csv")]
    if with_lookup:
        # 2001 zone 1 split into 2011 zones A and B; 2 -> C; 3 and 2 both touch D
        pd.DataFrame({"dz01_code": ["S01000001", "S01000001", "S01000002", "S01000003", "S01000002"],
                      "dz11_code": ["S01900001", "S01900002", "S01900003", "S01900004", "S01900004"]}).to_csv(
            folder / "lookup.csv", index=False)
        files.append(RawFile("simd", "2012", folder / "lookup.csv"))
    return files


def test_bridge_hand_worked(tmp_path: Path) -> None:
    files = _write(tmp_path / "2012")
    out = bridge(files[0], files).set_index("DZ")
    # mean 2001 ranks: A 1, B 1, C 3, D (2 + 3) / 2 = 2.5 → re-ranked A 1, B 2, D 3, C 4
    assert out.simd_rank.to_dict() == {"S01900001": 1, "S01900002": 2, "S01900003": 4, "S01900004": 3}
    # populations: zone 1 (900) shared by A and B; zone 2 (600) by C and D; zone 3 (800) all to D
    assert out.population.to_dict() == {"S01900001": 450, "S01900002": 450, "S01900003": 300, "S01900004": 1100}
    assert out.simd_quintile.tolist() == [2, 3, 5, 4]  # ceil(rank × 5 / 4)


def test_missing_lookup_is_a_clear_error(tmp_path: Path) -> None:
    files = _write(tmp_path / "2012", with_lookup=False)
    with pytest.raises(InputError, match="2001 → 2011 data zone lookup"):
        bridge(files[0], files)
