"""The replayed publishers for the fetch tests (``tests/fixtures/fetch_publishers.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures.fetch_publishers import publish
from tests.fixtures.replay_server import Replay, replay_server


@pytest.fixture
def publishers() -> Iterator[Replay]:
    with replay_server() as replay:
        publish(replay)
        yield replay
