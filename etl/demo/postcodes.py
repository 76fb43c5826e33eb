"""Demo postcode directory in the layout of the NRS Scottish Postcode Directory small-user file.

Why: officers build areas by pasting postcodes, so the demo ships a postcode → data zone
lookup. Every postcode is in the non-existent "ZZ" postcode area (``ZZ1 1AA``), so none can be
mistaken for a real address; each data zone gets 3 to 8 postcodes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from etl.demo.geography import Geography
from etl.demo.writers import write_plain_csv

POSTCODES_RELEASE = "2025-2"
#: Letters used in the inward unit of real postcodes (C, I, K, M, O, V never appear).
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
COLUMNS = ["Postcode", "PostcodeDistrict", "PostcodeSector", "DateOfIntroduction", "DateOfDeletion",
           "GridReferenceEasting", "GridReferenceNorthing", "DataZone2011Code", "IntermediateZone2011Code"]


def demo_postcode(i: int) -> str:
    """The ``i``-th fictional postcode: ``ZZ1 0AA``, ``ZZ1 0AB`` … (district 1-99, sector 0-9)."""
    per_sector = len(UNIT_LETTERS) ** 2
    district, rest = divmod(i, per_sector * 10)
    sector, unit = divmod(rest, per_sector)
    if district >= 99:
        raise ValueError("more demo postcodes than the ZZ area holds")
    return f"ZZ{district + 1} {sector}{UNIT_LETTERS[unit // len(UNIT_LETTERS)]}{UNIT_LETTERS[unit % len(UNIT_LETTERS)]}"


def write_postcodes(raw_dir: Path, geo: Geography, seed: int) -> Path:
    """Write ``postcodes/<release>/SmallUser.csv``: 3-8 live postcodes per data zone."""
    rng = np.random.default_rng([seed, 7073])
    counts = rng.integers(3, 9, size=len(geo.dz_code))
    rows: list[list[str]] = []
    i = 0
    for d, n in enumerate(counts):
        x, y = geo.dz_xy[d]
        for _ in range(int(n)):
            postcode = demo_postcode(i)
            i += 1
            rows.append([postcode, postcode.split()[0], postcode[:-2], "198001", "", f"{x:.0f}", f"{y:.0f}",
                         str(geo.dz_code[d]), str(geo.iz_code[geo.dz_iz[d]])])
    path = raw_dir / "postcodes" / POSTCODES_RELEASE / "SmallUser.csv"
    write_plain_csv(path, COLUMNS, rows)
    return path
