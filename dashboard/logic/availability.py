"""Say why an indicator has no value for an area (pickers must explain what they leave out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NOT_AT_LEVEL = "not published at this level"
SUPPRESSED = "suppressed"
NO_DATA = "no data"


def missing_reason(availability: Mapping[str, Any]) -> str | None:
    """None when the area has a published value; else one of three plain reasons.

    ``availability`` is ``Queries.availability``: published_at_level, periods,
    published_periods, suppression_reason. Order matters: an indicator not published for the
    area type says so even if stray rows exist; rows that are all withheld are 'suppressed'
    (with the rule), never 'no data'.
    """
    if not availability:
        return NO_DATA
    if not availability.get("published_at_level"):
        return NOT_AT_LEVEL
    if int(availability.get("published_periods") or 0) > 0:
        return None
    if int(availability.get("periods") or 0) > 0:
        reason = availability.get("suppression_reason")
        return f"{SUPPRESSED} ({reason})" if isinstance(reason, str) and reason else SUPPRESSED
    return NO_DATA


def missing_sentence(indicator_title: str, area_name: str, reason: str, published: str | None = None) -> str:
    """'Child poverty has no value for Fife: suppressed (disclosure control: a small count, …).'

    ``published`` says where the indicator is published ('published for council areas (CPPs) and
    Scotland only', ``dashboard.logic.provenance.published_for``): given, it explains an area type
    the indicator is not published for.
    """
    if reason == NOT_AT_LEVEL and published:
        return f"{indicator_title} has no value for {area_name}: it is {published}."
    explain = {
        NOT_AT_LEVEL: "the source does not publish it for this type of area",
        NO_DATA: "there is no data for this area in this warehouse",
    }.get(reason, f"every value is {reason}: withheld to protect confidentiality"
          if reason.startswith(SUPPRESSED) else reason)
    return f"{indicator_title} has no value for {area_name}: {explain}."
