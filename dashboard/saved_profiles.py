"""The on-demand profile of a user-made area, shared by My areas and Home.

Why: the values of a user-made area depend on the build, its data zones and every *other*
saved area (the differencing control compares it with them), so both pages must ask with the
same arguments; asked that way, a board opening the same saved area is served from the
per-build memo instead of recomputing it.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.data.queries import Queries
from dashboard.data.user_store import UserAreaStore
from dashboard.exports import ProfileData, profile_data


def other_saved_areas(store: UserAreaStore, current_id: str | None) -> list[tuple[str, ...]]:
    """The data zones of every saved area except ``current_id``: the areas a user-made area must
    not be differenced against."""
    return [a.datazones for a in store.list() if a.area_id != current_id]


def user_area_profile_data(queries: Queries, store: UserAreaStore, datazones: Sequence[str],
                           current_id: str | None) -> ProfileData:
    """The profile of the area made of ``datazones`` (saved as ``current_id``, if it is), memoized
    per build, data zones and other saved areas (raises ProfileError for an unusable area)."""
    others = other_saved_areas(store, current_id)
    key = ("user_area_profile", tuple(sorted(datazones)), tuple(sorted(tuple(sorted(o)) for o in others)))
    return queries.parsed(key, lambda: profile_data(queries, "user", list(datazones), saved_areas=others))
