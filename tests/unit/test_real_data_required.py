"""A missing real-data folder skips a test on a developer's machine and fails it on CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.real_data import REQUIRE_ENV, real_data_missing


def test_skips_without_the_ci_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not found"):
        real_data_missing(Path("/nowhere/real"))


@pytest.mark.parametrize("variable", [REQUIRE_ENV, "CI"])
def test_fails_on_ci(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv(variable, "1")
    with pytest.raises(pytest.fail.Exception, match="must run here"):
        real_data_missing(Path("/nowhere/real"))


def test_ci_script_requires_real_data() -> None:
    run = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert f"export {REQUIRE_ENV}=1" in run
