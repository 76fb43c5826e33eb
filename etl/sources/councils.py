"""Scotland's 32 council areas (CPPs): current GSS codes, names, and the codes they replaced.

Why: publishers name councils in their own ways ("Edinburgh, City of", "Edinburgh City",
"Eilean Siar") and some files still carry the codes retired in 2018/19 (Fife S12000015,
Perth and Kinross S12000024) and 2019/20 (Glasgow S12000046, North Lanarkshire S12000044).
Readers of publishers' files turn any of these into the current code with ``council_code``,
without needing a warehouse, so every file lands on the codes of the data zone lookup.
"""

from __future__ import annotations

from etl.errors import InputError
from etl.sources.family_groups import council_key

SCOTLAND_CODE = "S92000003"

#: Current code → name as the SIMD 2020v2 data zone lookup spells it.
COUNCILS: dict[str, str] = {
    "S12000005": "Clackmannanshire", "S12000006": "Dumfries and Galloway", "S12000008": "East Ayrshire",
    "S12000010": "East Lothian", "S12000011": "East Renfrewshire", "S12000013": "Na h-Eileanan Siar",
    "S12000014": "Falkirk", "S12000017": "Highland", "S12000018": "Inverclyde", "S12000019": "Midlothian",
    "S12000020": "Moray", "S12000021": "North Ayrshire", "S12000023": "Orkney Islands",
    "S12000026": "Scottish Borders", "S12000027": "Shetland Islands", "S12000028": "South Ayrshire",
    "S12000029": "South Lanarkshire", "S12000030": "Stirling", "S12000033": "Aberdeen City",
    "S12000034": "Aberdeenshire", "S12000035": "Argyll and Bute", "S12000036": "City of Edinburgh",
    "S12000038": "Renfrewshire", "S12000039": "West Dunbartonshire", "S12000040": "West Lothian",
    "S12000041": "Angus", "S12000042": "Dundee City", "S12000045": "East Dunbartonshire", "S12000047": "Fife",
    "S12000048": "Perth and Kinross", "S12000049": "Glasgow City", "S12000050": "North Lanarkshire",
}
#: Codes retired when boundaries were adjusted, and their successors.
FORMER_CODES: dict[str, str] = {
    "S12000015": "S12000047", "S12000024": "S12000048", "S12000046": "S12000049", "S12000044": "S12000050",
}
#: The 31 health and social care partnerships (2019 codes): each council's, except that
#: Clackmannanshire and Stirling share one (ScotPHO's geography lookup; the SIMD look-up has no
#: HSCP columns, so the build takes them from here when a look-up gives none).
HSCPS: dict[str, tuple[str, str]] = {
    "S12000033": ("S37000001", "Aberdeen City"), "S12000034": ("S37000002", "Aberdeenshire"),
    "S12000041": ("S37000003", "Angus"), "S12000035": ("S37000004", "Argyll and Bute"),
    "S12000005": ("S37000005", "Clackmannanshire and Stirling"), "S12000030": ("S37000005", "Clackmannanshire and Stirling"),
    "S12000006": ("S37000006", "Dumfries and Galloway"), "S12000042": ("S37000007", "Dundee City"),
    "S12000008": ("S37000008", "East Ayrshire"), "S12000045": ("S37000009", "East Dunbartonshire"),
    "S12000010": ("S37000010", "East Lothian"), "S12000011": ("S37000011", "East Renfrewshire"),
    "S12000036": ("S37000012", "Edinburgh"), "S12000014": ("S37000013", "Falkirk"),
    "S12000017": ("S37000016", "Highland"), "S12000018": ("S37000017", "Inverclyde"),
    "S12000019": ("S37000018", "Midlothian"), "S12000020": ("S37000019", "Moray"),
    "S12000021": ("S37000020", "North Ayrshire"), "S12000023": ("S37000022", "Orkney Islands"),
    "S12000038": ("S37000024", "Renfrewshire"), "S12000026": ("S37000025", "Scottish Borders"),
    "S12000027": ("S37000026", "Shetland Islands"), "S12000028": ("S37000027", "South Ayrshire"),
    "S12000029": ("S37000028", "South Lanarkshire"), "S12000039": ("S37000029", "West Dunbartonshire"),
    "S12000040": ("S37000030", "West Lothian"), "S12000013": ("S37000031", "Western Isles"),
    "S12000047": ("S37000032", "Fife"), "S12000048": ("S37000033", "Perth and Kinross"),
    "S12000049": ("S37000034", "Glasgow City"), "S12000050": ("S37000035", "North Lanarkshire"),
}
_BY_KEY: dict[str, str] = {council_key(name): code for code, name in COUNCILS.items()}
_BY_KEY.update({"orkney": "S12000023", "shetland": "S12000027", "borders": "S12000026"})


def council_code(name_or_code: object, *, allow_scotland: bool = True) -> str | None:
    """The current code of a council given by any publisher's name or by an old or new code.

    ``"Scotland"`` gives ``S92000003`` (when ``allow_scotland``). Unknown names give ``None``
    (callers raise an ``InputError`` naming the file and cell).
    """
    text = str(name_or_code).strip()
    if text in COUNCILS:
        return text
    if text in FORMER_CODES:
        return FORMER_CODES[text]
    if allow_scotland and text.lower() in ("scotland", SCOTLAND_CODE.lower()):
        return SCOTLAND_CODE
    return _BY_KEY.get(council_key(text))


def require_council_code(name_or_code: object, *, file: object, row: int | None = None,
                         column: str | None = None) -> str:
    """``council_code`` or an ``InputError`` naming the cell that holds an unknown council."""
    code = council_code(name_or_code)
    if code is None:
        raise InputError(file, f"'{name_or_code}' is not a Scottish council area", row=row, column=column,
                         hint="use the council's name as the data zone lookup spells it, or its S12 code")
    return code
