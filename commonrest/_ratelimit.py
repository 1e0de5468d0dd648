"""Client-side rate limiting, shared by every thread and task that uses a client.

Backed by pyrate-limiter (sync and async acquisition over one bucket; in-memory by default,
or any of its shared backends such as Redis, SQLite or a multiprocessing bucket when
several processes must share one budget). On top of the bucket, the limiter learns from the
server: a 429 with ``Retry-After`` pauses every caller of the client until that time.
"""

from __future__ import annotations

import math
import threading
import time
from typing import TYPE_CHECKING, Any

from ._errors import ConfigurationError, RateLimitTimeoutError
from ._lazy import publish

if TYPE_CHECKING:
    from pyrate_limiter import AbstractBucket, Limiter

__all__ = ["RateLimiter"]


class RateLimiter:
    """Allow at most ``requests`` calls per ``per`` seconds across all users of a client.

    ``RateLimiter(15)`` is 15 requests per second. ``bucket`` takes any pyrate-limiter
    bucket (for a budget shared between processes); ``max_wait`` bounds how long a call may
    queue for a permit before it fails with
    :class:`~commonrest.RateLimitTimeoutError`.
    """

    def __init__(
        self,
        requests: int = 15,
        per: float = 1.0,
        *,
        bucket: AbstractBucket | None = None,
        max_wait: float = 60.0,
        name: str = "commonrest",
    ) -> None:
        if isinstance(requests, bool) or not isinstance(requests, int) or requests < 1:
            raise ConfigurationError(
                f"rate limit requests must be an integer >= 1, got {requests!r}"
            )
        if not isinstance(per, (int, float)) or not math.isfinite(per) or per <= 0:
            raise ConfigurationError(
                f"rate limit period must be a positive number of seconds, got {per!r}"
            )
        if not isinstance(max_wait, (int, float)) or max_wait < 0:
            raise ConfigurationError(f"max_wait must be a number of seconds >= 0, got {max_wait!r}")
        from pyrate_limiter import InMemoryBucket, Limiter, Rate

        self.requests = requests
        self.per = float(per)
        self.max_wait = float(max_wait)
        self._name = name
        self._limiter: Limiter = Limiter(
            bucket if bucket is not None else InMemoryBucket([Rate(requests, int(per * 1000))])
        )
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RateLimiter(requests={self.requests}, per={self.per:g})"

    def pause(self, seconds: float) -> None:
        """Hold every caller for ``seconds`` (the server told us to back off)."""
        until = time.monotonic() + max(0.0, seconds)
        with self._lock:
            self._paused_until = max(self._paused_until, until)

    def _pause_left(self) -> float:
        return self._paused_until - time.monotonic()

    def _budget(self, max_wait: float | None) -> float:
        return self.max_wait if max_wait is None else min(self.max_wait, max(0.0, max_wait))

    def _timeout(self, wait: float) -> RateLimitTimeoutError:
        return RateLimitTimeoutError(
            f"no rate-limit permit within {wait:g}s (max_wait={self.max_wait:g}s)",
            max_wait=wait,
        )

    def acquire(self, max_wait: float | None = None) -> None:
        """Block until a request may go out, at most ``max_wait`` seconds (never more than
        the limiter's own ``max_wait``); raise :class:`RateLimitTimeoutError` after that."""
        wait = self._budget(max_wait)
        started = time.monotonic()
        left = self._pause_left()
        if left > wait:
            raise self._timeout(wait)  # the server's pause outlasts the budget: fail now
        if left > 0:
            time.sleep(left)
        rest = max(0.0, wait - (time.monotonic() - started))
        ok: Any = self._limiter.try_acquire(self._name, blocking=True, timeout=rest)
        if ok is not True:
            raise self._timeout(wait)

    async def acquire_async(self, max_wait: float | None = None) -> None:
        """Like :meth:`acquire`, without blocking the event loop."""
        import anyio

        wait = self._budget(max_wait)
        started = time.monotonic()
        left = self._pause_left()
        if left > wait:
            raise self._timeout(wait)
        if left > 0:
            await anyio.sleep(left)
        rest = max(0.0, wait - (time.monotonic() - started))
        ok: Any = False
        # Bounded by cancellation rather than pyrate-limiter's own timeout, whose internal
        # task can be left to fail unobserved when it races the outer wait.
        with anyio.move_on_after(rest):
            ok = await self._limiter.try_acquire_async(self._name, blocking=True)
        if ok is not True:
            raise self._timeout(wait)

    def close(self) -> None:
        """Stop the limiter's background work."""
        self._limiter.close()


publish(__name__, globals())
