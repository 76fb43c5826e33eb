"""The bench's load rounds (issue 13's "20 users" figure) run the server in a process of its own,
started afresh per round, and report every request, so the figure measures what ``cpop serve``
does rather than a server sharing its interpreter with the simulated users or an earlier round."""

from __future__ import annotations

import json
from pathlib import Path

from bench.dashboard_bench import load_rounds

ABOUT_LAYOUT = json.dumps({
    "output": ".._pages_content.children..._pages_store.data..",
    "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/about"},
               {"id": "_pages_location", "property": "search", "value": ""}],
    "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
})


def test_each_load_round_is_served_by_a_fresh_server_of_its_own(demo_warehouse: Path, tmp_path: Path) -> None:
    urls = {"home": "/", "about": "/about"}
    rounds = load_rounds(demo_warehouse, tmp_path / "user", urls, recorded={"about": [ABOUT_LAYOUT]}, rounds=2)
    assert len(rounds) == 2
    callback = "about → _pages_content.children"
    for latencies, errors, by_kind, (hits, misses, waits) in rounds:
        assert errors == 0
        assert len(latencies) == 20 * 20  # every user's every request is counted
        assert set(by_kind) == {"page /", "page /about", "/_dash-layout", "/_dash-dependencies", callback}
        # the counts are the round's own server's: it looked every replayed callback up once in its
        # response cache (a request that waited for an identical one counts a miss, then a wait), and
        # the cache started empty (a server kept from an earlier round would count both rounds)
        assert hits + misses == len(by_kind[callback])
        assert misses >= 1 and waits <= misses
