"""Same seed and scale give byte-identical files; another seed gives another country."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from etl.demo import DemoSummary, write_demo


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes(demo: tuple[Path, DemoSummary], seed: int, tmp_path: Path) -> None:
    raw, summary = demo
    again = write_demo(tmp_path / "again", scale="demo", seed=seed)
    first, second = _hashes(raw), _hashes(tmp_path / "again")
    assert first == second
    assert len(first) == summary.files_written == len(again.files)


def test_other_seed_differs(demo: tuple[Path, DemoSummary], seed: int, tmp_path: Path) -> None:
    raw, _ = demo
    write_demo(tmp_path / "other", scale="demo", seed=seed + 1)
    a, b = _hashes(raw), _hashes(tmp_path / "other")
    name = "simd/2020v2/SIMD2020v2_DZ_lookup_data.csv"
    assert a[name] != b[name]


def test_unknown_scale_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        write_demo(tmp_path, scale="atlantis")  # type: ignore[arg-type]
