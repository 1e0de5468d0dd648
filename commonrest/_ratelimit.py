"""Client-side rate limiting, shared by every thread and task that uses a client.

Backed by pyrate-limiter (sync and async acquisition over one bucket; in-memory by default,
or any of its shared backends such as Redis, SQLite or a multiprocessing bucket when
several processes must share one budget). On top of the bucket, the limiter learns from the
server: a 429 with ``Retry-After`` pauses every caller of the client until that time.
"""

from __future__ import annotations

import math
import os
import threading
import time
from typing import TYPE_CHECKING, Any

from ._errors import ConfigurationError, RateLimitTimeoutError
from ._lazy import publish

if TYPE_CHECKING:
    from pyrate_limiter import AbstractBucket, Limiter, Rate

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
        self.requests = requests
        self.per = float(per)
        self.max_wait = float(max_wait)
        self._name = name
        self._bucket = bucket
        self._paused_until = 0.0
        self._lock = threading.Lock()  # guards the pause and building the state
        self._pid = os.getpid()
        self._limiter: Limiter | None = None

    def _local(self) -> Limiter:
        """The pyrate-limiter state, built on first use (a limiter never used starts no
        background thread) and again in a forked child, where a lock another thread held
        at the moment of the fork would never be released."""
        limiter = self._limiter
        if limiter is not None and self._pid == os.getpid():
            return limiter
        if self._pid != os.getpid():
            self._lock = threading.Lock()
            self._pid = os.getpid()
            self._limiter = None
        with self._lock:
            if self._limiter is None:
                from pyrate_limiter import InMemoryBucket, Limiter

                bucket = self._bucket
                if bucket is None:
                    # Fresh in each process: each process gets a budget of its own.
                    bucket = InMemoryBucket(self._rates())
                self._limiter = Limiter(bucket)
            return self._limiter

    def _rates(self) -> list[Rate]:
        """The rates of the in-memory bucket."""
        from pyrate_limiter import Rate

        return [Rate(self.requests, int(self.per * 1000))]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(requests={self.requests}, per={self.per:g})"

    def pause(self, seconds: float) -> None:
        """Hold every caller for ``seconds`` (the server told us to back off)."""
        until = time.monotonic() + max(0.0, seconds)
        if self._pid != os.getpid():
            self._local()  # a fresh lock in a forked child
        with self._lock:
            self._paused_until = max(self._paused_until, until)

    def _pause_left(self) -> float:
        return self._paused_until - time.monotonic()

    async def _pause_left_async(self) -> float:
        return self._pause_left()

    def _take(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a permit from the bucket."""
        ok: Any = self._local().try_acquire(self._name, blocking=True, timeout=timeout)
        return ok is True

    async def _take_async(self, timeout: float) -> bool:
        import anyio

        ok: Any = False
        # Bounded by cancellation rather than pyrate-limiter's own timeout, whose internal
        # task can be left to fail unobserved when it races the outer wait.
        with anyio.move_on_after(timeout):
            ok = await self._local().try_acquire_async(self._name, blocking=True)
        return ok is True

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
        deadline = time.monotonic() + wait
        while True:
            left = self._pause_left()
            if left > deadline - time.monotonic():
                raise self._timeout(wait)  # the server's pause outlasts the budget: fail now
            if left > 0:
                time.sleep(left)
            if not self._take(max(0.0, deadline - time.monotonic())):
                raise self._timeout(wait)
            # A pause that began while this call waited for its permit holds it too; the
            # permit is given up and a fresh one taken afterwards, so the window after the
            # pause cannot overfill with permits granted before it.
            if self._pause_left() <= 0:
                return

    async def acquire_async(self, max_wait: float | None = None) -> None:
        """Like :meth:`acquire`, without blocking the event loop."""
        import anyio

        wait = self._budget(max_wait)
        deadline = time.monotonic() + wait
        while True:
            left = await self._pause_left_async()
            if left > deadline - time.monotonic():
                raise self._timeout(wait)
            if left > 0:
                await anyio.sleep(left)
            if not await self._take_async(max(0.0, deadline - time.monotonic())):
                raise self._timeout(wait)
            if await self._pause_left_async() <= 0:
                return

    def close(self) -> None:
        """Stop the limiter's background work."""
        if self._limiter is not None:
            self._limiter.close()


publish(__name__, globals())
