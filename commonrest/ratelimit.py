"""Client-side rate limiting, shared by every thread and task that uses a client.

Backed by pyrate-limiter (sync and async acquisition over one bucket; in-memory by default,
or any of its shared backends such as Redis, SQLite or a multiprocessing bucket when
several processes must share one budget). On top of the bucket, the limiter learns from the
server: a 429 with ``Retry-After`` pauses every caller of the client until that time.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyrate_limiter import AbstractBucket, Limiter

__all__ = ["RateLimiter"]


class RateLimiter:
    """Allow at most ``requests`` calls per ``per`` seconds across all users of a client.

    ``RateLimiter(15)`` is 15 requests per second. ``bucket`` takes any pyrate-limiter
    bucket (for a budget shared between processes); ``max_wait`` bounds how long a call may
    queue for a permit before it fails with :class:`TimeoutError`.
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
            raise ValueError(f"rate limit requests must be an integer >= 1, got {requests!r}")
        if not isinstance(per, (int, float)) or not math.isfinite(per) or per <= 0:
            raise ValueError(f"rate limit period must be a positive number of seconds, got {per!r}")
        if not isinstance(max_wait, (int, float)) or max_wait < 0:
            raise ValueError(f"max_wait must be a number of seconds >= 0, got {max_wait!r}")
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

    def acquire(self) -> None:
        """Block until a request may go out."""
        left = self._pause_left()
        if left > 0:
            time.sleep(left)
        ok: Any = self._limiter.try_acquire(self._name, blocking=True, timeout=self.max_wait)
        if ok is not True:
            raise TimeoutError(f"no rate-limit permit within {self.max_wait:g}s")

    async def acquire_async(self) -> None:
        """Wait (without blocking the event loop) until a request may go out."""
        left = self._pause_left()
        if left > 0:
            await asyncio.sleep(left)
        ok = await self._limiter.try_acquire_async(self._name, blocking=True, timeout=self.max_wait)
        if ok is not True:
            raise TimeoutError(f"no rate-limit permit within {self.max_wait:g}s")

    def close(self) -> None:
        """Stop the limiter's background work."""
        self._limiter.close()
