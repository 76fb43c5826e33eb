"""One error type for a source that cannot be refreshed.

Why: a network or publisher failure must become one clear sentence per source (which source,
which file or URL, what happened, what to do), while the other sources still refresh.
"""

from __future__ import annotations


class FetchError(Exception):
    """A source could not be refreshed; nothing of it was replaced."""

    def __init__(self, source: str, reason: str, *, url: str | None = None, hint: str | None = None) -> None:
        self.source = source
        self.reason = reason
        self.url = url
        self.hint = hint
        text = f"{source}: {reason}"
        if url:
            text += f" ({url})"
        if hint:
            text += f". What to do: {hint}"
        super().__init__(text)
