"""Invented, Scottish-sounding place names for the demo country.

Why: the demo must look believable on a map and in tables, yet never be mistaken for real
data, so every name is built from made-up syllable pairs and checked against a list of real
council and town names.
"""

from __future__ import annotations

import numpy as np

# A few hand-picked names used for the larger areas first (the brief's examples included).
FEATURED: tuple[str, ...] = (
    "Glen Tannoch",
    "Auchenfudge",
    "Brigadoon",
    "Strathmorven",
    "Kilbrannick",
    "Drumquharrie",
    "Balfrey Muir",
    "Invergloam",
    "Craigspurrach Haugh",
    "Lochan Dreggie",
    "Pitmurdle",
    "Tullywessock",
)

_PREFIXES: tuple[str, ...] = (
    "Auchen", "Bal", "Balla", "Ben", "Blair", "Brack", "Carn", "Clach", "Craig", "Cul",
    "Drum", "Dal", "Fearn", "Garr", "Glas", "Inch", "Inver", "Kil", "Kin", "Knock",
    "Lag", "Lin", "Mor", "Pit", "Rath", "Scar", "Tarr", "Tully", "Tor", "Whin",
)  # fmt: skip

_ROOTS: tuple[str, ...] = (
    "fudge", "tannoch", "brannick", "dreggie", "lorrie", "mungle", "quharrie", "wessock",
    "skellan", "murdle", "vennach", "frey", "gloam", "peffrie", "spurrach", "thrunie",
    "lumphin", "drossie", "whirran", "corbie", "mallach", "snoddie", "pirrick", "gowlan",
    "haskie", "nettoch", "ruddoch", "bowrie", "clunkie", "scowrie", "fandie", "yarrach",
    "kelpie", "blinnie", "dorran", "sproule", "wattie", "glunder", "tassock", "flinder",
    "brochlie", "cuddoch", "dowrie", "faskie", "gurnoch", "hirple", "jinkie", "lurran",
    "mirkie", "pawkie", "quinnoch", "smirrie", "trevlie", "wheeple", "yettie", "zanderie",
)  # fmt: skip

_TWO_WORD_HEADS: tuple[str, ...] = ("Glen", "Strath", "Loch", "Port", "Mains of", "Brae of")

#: Suffixes for parts of a town (intermediate zones, wards, localities).
QUALIFIERS: tuple[str, ...] = (
    "North", "South", "East", "West", "Central", "Upper", "Nether", "Mains", "Park",
    "Brae", "Hill", "Muir", "Cross", "Bridge", "Green", "Haugh", "Toll", "Bank",
)  # fmt: skip

#: Real council areas and large towns that must never be produced.
REAL_NAMES: frozenset[str] = frozenset(
    s.casefold()
    for s in (
        "Aberdeen", "Aberdeenshire", "Angus", "Argyll", "Ayr", "Clackmannanshire", "Dumfries",
        "Dundee", "East Ayrshire", "East Dunbartonshire", "East Lothian", "East Renfrewshire",
        "Edinburgh", "Falkirk", "Fife", "Glasgow", "Highland", "Inverclyde", "Midlothian",
        "Moray", "North Ayrshire", "North Lanarkshire", "Orkney", "Perth", "Renfrewshire",
        "Scottish Borders", "Shetland", "South Ayrshire", "South Lanarkshire", "Stirling",
        "West Dunbartonshire", "West Lothian", "Eilean Siar", "Inverness", "Kilmarnock",
        "Kirkcaldy", "Dunfermline", "Livingston", "Hamilton", "Cumbernauld", "Paisley",
        "East Kilbride", "Greenock", "Motherwell", "Coatbridge", "Airdrie", "Glenrothes",
        "Irvine", "Dumbarton", "Kilwinning", "Arbroath", "Elgin", "Balloch", "Kinross",
        "Kilsyth", "Inverurie", "Dunbar", "Kintore", "Kinghorn", "Inverkeithing", "Balfron",
        "Blairgowrie", "Craigend", "Pitlochry", "Dalkeith", "Drumchapel", "Kilbirnie",
    )
)  # fmt: skip


def _base_pool() -> list[str]:
    """All single- and two-word invented names in a fixed order."""
    pool = [p + r for p in _PREFIXES for r in _ROOTS]
    pool += [f"{h} {r.capitalize()}" for h in _TWO_WORD_HEADS for r in _ROOTS]
    return [n for n in pool if n.casefold() not in REAL_NAMES and n not in FEATURED]


class NameBank:
    """Hands out unique invented names in a seeded order.

    Why: every area in the country needs a distinct name and the same seed must give the
    same names, so the bank is a shuffled pool drawn without replacement.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        pool = _base_pool()
        order = rng.permutation(len(pool))
        self._featured = list(FEATURED)
        self._pool = [pool[i] for i in order]
        self._used: set[str] = set()

    def featured(self) -> str:
        """The next hand-picked name, or an ordinary one when they run out."""
        while self._featured:
            name = self._featured.pop(0)
            if name not in self._used:
                self._used.add(name)
                return name
        return self.take()

    def take(self) -> str:
        """The next unused invented place name."""
        while self._pool:
            name = self._pool.pop()
            if name not in self._used:
                self._used.add(name)
                return name
        raise RuntimeError("name bank exhausted")

    def used(self, name: str) -> bool:
        """Whether ``name`` has already been handed out."""
        return name in self._used

    def claim(self, name: str) -> str:
        """Record a composed name (``"<town> North"``) as used; suffix it if taken."""
        candidate, k = name, 2
        while candidate in self._used:
            candidate = f"{name} {k}"
            k += 1
        self._used.add(candidate)
        return candidate
