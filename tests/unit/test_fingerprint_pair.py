"""``cpop build --if-changed`` skips a build only when the whole pair it published is there."""

from __future__ import annotations

from pathlib import Path

from etl.fingerprint import fingerprint_path, inputs_fingerprint, is_up_to_date
from etl.settings import DEMO_CATALOGUE, get_settings


def test_a_missing_internal_file_means_rebuild(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "simd" / "2020v2"
    raw.mkdir(parents=True)
    (raw / "lookup.csv").write_text("DZ\nS01000001\n")
    settings = get_settings(raw_dir=tmp_path / "raw", warehouse_path=tmp_path / "wh" / "cpop.duckdb",
                            use_snapshot=False)
    settings.warehouse_path.parent.mkdir()
    settings.warehouse_path.write_bytes(b"public")
    settings.internal_path.write_bytes(b"internal")
    fingerprint_path(settings).write_text(inputs_fingerprint(settings, DEMO_CATALOGUE) + "\n")
    assert settings.internal_path == tmp_path / "wh" / "cpop.internal.duckdb"
    assert is_up_to_date(settings, DEMO_CATALOGUE)
    settings.internal_path.unlink()
    assert not is_up_to_date(settings, DEMO_CATALOGUE)
