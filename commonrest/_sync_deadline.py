"""The deadline of the sync call running in this context, for the sockets it uses.

Set around each sync attempt (:func:`bound_sockets`) and read by the network backend of
our sync pools (:mod:`._deadline_sockets`), which clips every connect, read and write to
it. Kept apart from both so that neither imports the other.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

__all__ = ["DEADLINE", "bound_sockets"]

#: The ``time.monotonic()`` by which the sync call running in this context must end.
DEADLINE: ContextVar[float | None] = ContextVar("commonrest_deadline", default=None)


@contextlib.contextmanager
def bound_sockets(remaining: float | None) -> Iterator[None]:
    """Bound every socket operation of our sync pools in this block to ``remaining``
    seconds from now (``None``: no bound)."""
    token = DEADLINE.set(None if remaining is None else time.monotonic() + remaining)
    try:
        yield
    finally:
        DEADLINE.reset(token)
