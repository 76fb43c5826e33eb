"""Markdown documents shown inside a page: their headings moved under the page's own h1.

Why: a page has exactly one h1 (its title; screen-reader users jump by heading level), but
documents such as ``docs/methods.md`` start with their own ``#`` title. Demoting every ATX
heading by one level keeps the document's outline and the page's single h1.
"""

from __future__ import annotations

import re

HEADING = re.compile(r"^(#{1,5})(?=\s)")
FENCE = re.compile(r"^\s*(```|~~~)")


def demote_headings(text: str, levels: int = 1) -> str:
    """``text`` with each ``#`` heading ``levels`` deeper (at most h6); code blocks untouched."""
    out: list[str] = []
    in_code = False
    for line in text.splitlines(keepends=True):
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code and (match := HEADING.match(line)):
            depth = min(len(match.group(1)) + levels, 6)
            line = "#" * depth + line[match.end():]
        out.append(line)
    return "".join(out)
