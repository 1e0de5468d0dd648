"""Bounded memo tables: what the hot path works out once per distinct input (a URL, a
header, a content type) and then reuses.

Inputs repeat (an application calls a few dozen URLs with the same few headers), but some
never do (ids in paths, per-call values), so every table has a bound: once full it is
emptied and refilled, which keeps what is in use and lets the rest go.
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["keep"]

K = TypeVar("K")
V = TypeVar("V")


def keep(table: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store ``value`` under ``key`` in ``table`` (emptied first when it holds ``limit``
    entries) and return it."""
    if len(table) >= limit:
        table.clear()
    table[key] = value
    return value
