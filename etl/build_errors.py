"""What a failed build tells the officer: one true sentence about the live warehouse, then why.

Why: a build fails for bad input (``InputError``), for want of memory, or for a fault in the
code. Each is reported without a traceback, and each says, truthfully, that the live warehouse
was not changed (the build only ever writes its own side file; see ``etl.build``).
"""

from __future__ import annotations

import duckdb

from etl.errors import InputError

UNCHANGED = "Build stopped (the live warehouse was not changed)"


class BuildFailed(Exception):
    """A build that stopped, as the CLI prints it."""


class SwapLost(Exception):
    """This build's file was swapped in, but another process replaced the live file at once.

    The one failure after which "the live warehouse was not changed" would be untrue; it cannot
    happen under the build lock unless something other than ``cpop build`` writes the warehouse.
    """

    def __init__(self, live: object) -> None:
        super().__init__(f"this build swapped its file in as {live}, but another process replaced it at once, so "
                         "the live warehouse is not this build's. What to do: find what else writes that file "
                         "(only `cpop build` should), stop it, and run `cpop build` again")


def is_out_of_memory(exc: BaseException) -> bool:
    """True for DuckDB's out-of-memory error or Python's MemoryError, also when wrapped."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, MemoryError | duckdb.OutOfMemoryException):
            return True
        seen = seen.__cause__
    return False


def out_of_memory_error(memory_limit: str) -> InputError:
    """The message for a build that ran out of memory: the limit, and the ways out."""
    return InputError(None, f"the build ran out of memory (its DuckDB memory limit is {memory_limit})",
                      hint="look for an unexpectedly large raw file (the build refuses files over its size "
                           "limits, see docs/security.md); on a machine with more memory raise the limit with "
                           "CPOP_BUILD_MEMORY_LIMIT=4GB")


def build_failure(exc: BaseException, memory_limit: str | None = None) -> BuildFailed:
    """The one message a failed build prints (``exc`` is what stopped it)."""
    if isinstance(exc, SwapLost):
        return BuildFailed(f"Build not live: {exc}")
    if is_out_of_memory(exc):
        from etl.settings import get_settings

        reason = str(out_of_memory_error(memory_limit or get_settings().build_memory_limit))
    elif isinstance(exc, InputError):
        reason = str(exc)
    else:
        first = (str(exc).splitlines() or [""])[0]
        reason = (f"the build failed unexpectedly ({type(exc).__name__}: {first}). What to do: run the same "
                  "command with --debug for the full traceback and report it with the raw files it used")
    return BuildFailed(f"{UNCHANGED}: {reason}")
