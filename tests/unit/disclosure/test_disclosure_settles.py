"""Complementary suppression ends however long its chain of consequences (etl.disclosure).

Why: on the Scotland-scale demo each rule-5 pass exposed new differences once rules 1 and 2 had
settled, and the passes ran past a fixed cap of 100 (``RuntimeError: complementary suppression did
not settle``), failing the build. Passes only ever hide cells, so they end on their own; this
world needs one pass per link of a ring, far more than 100.
"""

from __future__ import annotations

from etl.disclosure import apply_complementary_suppression
from tests.sql.test_disclosure_sql import _cells, _world


def _ring(links: int) -> tuple[dict[str, float], dict[str, dict[str, list[str]]]]:
    """Data zones z0 … z(2n−1) in a ring: intermediate zone k holds z2k and z2k+1, ward k holds
    z2k+1 and z2k+2 (the last ward closes the ring with z0). z0 is 1 (withheld), the rest 10."""
    zones = [f"Z{i:04d}" for i in range(2 * links)]
    counts = {z: (1.0 if i == 0 else 10.0) for i, z in enumerate(zones)}
    izs = {f"I{k:03d}": [zones[2 * k], zones[2 * k + 1]] for k in range(links)}
    wards = {f"W{k:03d}": [zones[2 * k + 1], zones[(2 * k + 2) % len(zones)]] for k in range(links)}
    return counts, {"council": {"C": zones}, "intermediate_zone": izs, "ward": wards}


def test_a_chain_longer_than_any_fixed_number_of_passes_settles() -> None:
    # hiding z0 leaves intermediate zone 0 and the last ward with one hidden data zone each; their
    # complements do the same to the next ward and intermediate zone, around the ring both ways,
    # one link per pass: 120 links take about 120 passes
    counts, areas = _ring(120)
    con = _world(counts, areas, native_geography="datazone", min_count=5)
    hidden = apply_complementary_suppression(con)
    cells = _cells(con)
    assert hidden == len(counts) - 1  # every data zone but the primary one, worked out by hand above
    assert all(cells[z][0] is None for z in counts)
    # every intermediate zone, ward and the council stay published: each holds two hidden data zones
    assert all(cells[a][0] == sum(counts[z] for z in zs) for kind in ("intermediate_zone", "ward")
               for a, zs in areas[kind].items())
    assert cells["C"][0] == sum(counts.values())
