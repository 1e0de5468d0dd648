"""A rate-limit budget shared through Redis by every process that names the same key.

Built on pyrate-limiter's Redis bucket (an atomic check-and-insert Lua script over a sorted
set), which the core already uses in memory, so the algorithm and its blocking waits are the
same whether the budget is local or shared. Two things are added on top:

- **One clock.** pyrate-limiter's script stamps permits with the caller's wall clock and
  counts only permits stamped up to it, so hosts whose clocks disagree, or a thread held up
  between reading its clock and reaching Redis, see different windows and let more through
  (measured: 18 requests/s through a 15/s budget with 4 processes). Our variant of the script
  counts and stamps on the Redis server's ``TIME`` inside the atomic check. Each process also
  reads ``TIME`` once when it connects and carries it forward with its monotonic clock, so
  the waits pyrate-limiter computes are on the same time line.
- **A shared pause.** A 429 with ``Retry-After`` seen by any process is stored as a Redis key
  that expires after that wait (``SET ... PX``, never shortened by a later, smaller pause).
  Expiry is counted by the Redis server itself, so no process's clock is involved; every
  process reads the key's remaining time (``PTTL``) before taking a permit.

When Redis cannot be reached the limiter either fails closed (``on_unavailable="fail"``, the
default: :class:`~commonrest.RateLimiterUnavailableError`, nothing is sent) or falls
back to a per-process in-memory limit of the same rate (``"local"``), trying Redis again
after ``retry_redis_after`` seconds.

The ``redis`` package (the ``redis`` extra) is imported when such a limiter is built, never
by ``import commonrest``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import math
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pyrate_limiter import Limiter, Rate, RedisBucket, SingleBucketFactory

from ._errors import ConfigurationError, RateLimiterUnavailableError
from ._lazy import publish
from ._ratelimit import RateLimiter

if TYPE_CHECKING:
    from redis import Redis
    from redis.asyncio import Redis as AsyncRedis

__all__ = ["RedisRateLimiter"]

_log = logging.getLogger("commonrest.ratelimit")

# Raise the pause key's remaining time to ARGV[1] ms unless it is already longer.
_PAUSE_SCRIPT = """
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then
    redis.call('SET', KEYS[1], '1', 'PX', ms)
end
return 1
"""

# pyrate-limiter's check-and-insert, with the same arguments and reply, but counted and
# stamped on the Redis server's clock: ARGV[1] (the caller's estimate of that clock) only
# shifts the windows the caller computed. A caller delayed between reading its clock and
# reaching Redis, or running on a host whose clock is off, then still sees every permit
# granted before its own, and its permit is stamped when it was really granted.
_PUT_SCRIPT = """
local bucket = KEYS[1]
local weight = tonumber(ARGV[2])
local rates = tonumber(ARGV[4])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local shift = now - tonumber(ARGV[1])
for i = 1, rates do
    local at = 5 + (i - 1) * 3
    local window_start = tonumber(ARGV[at]) + shift
    local rank = tonumber(ARGV[at + 2])
    if tonumber(ARGV[at + 1]) - redis.call('ZCOUNT', bucket, window_start, '+inf') < weight then
        local blocking = -1
        if rank >= 0 then
            local entry = redis.call('ZRANGE', bucket, -1 - rank, -1 - rank, 'WITHSCORES')
            if entry[2] then
                blocking = tonumber(entry[2]) - shift
            end
        end
        return {i - 1, blocking}
    end
end
for i = 1, weight do
    redis.call('ZADD', bucket, now, ARGV[3] .. i)
end
return {-1, -1}
"""

Unavailable = Literal["fail", "local"]


class _ServerClockBucket(RedisBucket):
    """pyrate-limiter's Redis bucket, stamping permits on the Redis server's time line."""

    offset_ms: int = 0

    def now(self) -> int:
        return int(time.monotonic() * 1000) + self.offset_ms


def _offset_ms(reply: Any, before: float, after: float) -> int:
    """Redis ``TIME`` minus the local monotonic clock, taken halfway through the round trip."""
    server_ms = int(reply[0]) * 1000 + int(reply[1]) // 1000
    return server_ms - int((before + after) / 2 * 1000)


@dataclass
class _Shared:
    """One connection's view of the shared budget (one per process, and one per event loop
    for async use)."""

    client: Any
    bucket: _ServerClockBucket
    limiter: Limiter
    pid: int
    loop: asyncio.AbstractEventLoop | None = None
    next_leak: float = 0.0


class RedisRateLimiter(RateLimiter):
    """At most ``requests`` calls per ``per`` seconds across every process using ``key``.

    ``redis`` is a URL (``"redis://host:6379/0"``, ``"rediss://..."``: serves sync and async
    clients), a ``redis.Redis`` (sync clients only) or a ``redis.asyncio.Redis`` (async
    clients only). Give the same ``key``, ``requests`` and ``per`` in every process that
    shares the budget; several clients in one process may share one limiter object or each
    have their own. ``on_unavailable`` decides what happens while Redis cannot be reached:
    ``"fail"`` (default) raises :class:`~commonrest.RateLimiterUnavailableError` and
    sends nothing; ``"local"`` falls back to an in-memory limit of the same rates in each
    process. ``timeout`` bounds each Redis command when the limiter builds the connection
    itself (from a URL). Needs ``pip install 'commonrest[redis]'``.

    What the server counts is when requests arrive, which is a little after their permits,
    by a delay that varies with load. So that this jitter cannot put more than ``requests``
    into one of the server's windows, permits are granted ``requests`` per ``per + margin``
    seconds, and with ``smooth`` (the default) spread over the window in five groups rather
    than in one burst (simultaneous permits are where the jitter is largest).
    ``smooth=False`` allows whole-window bursts; ``margin=0`` uses the window exactly.
    """

    def __init__(
        self,
        redis: str | Redis | AsyncRedis,
        *,
        key: str,
        requests: int = 15,
        per: float = 1.0,
        on_unavailable: Unavailable = "fail",
        max_wait: float = 60.0,
        timeout: float = 1.0,
        retry_redis_after: float = 5.0,
        margin: float = 0.05,
        smooth: bool = True,
    ) -> None:
        super().__init__(requests, per, max_wait=max_wait, name=key)
        try:
            import redis as redis_py
            import redis.asyncio as redis_asyncio
        except ImportError:
            raise ConfigurationError(
                "RedisRateLimiter needs the redis package: pip install 'commonrest[redis]'"
            ) from None
        if not isinstance(key, str) or not key:
            raise ConfigurationError(f"key must be a non-empty string, got {key!r}")
        if on_unavailable not in ("fail", "local"):
            raise ConfigurationError(
                f"on_unavailable must be 'fail' or 'local', got {on_unavailable!r}"
            )
        if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not margin >= 0:
            raise ConfigurationError(f"margin must be a number of seconds >= 0, got {margin!r}")
        for setting, value in (("timeout", timeout), ("retry_redis_after", retry_redis_after)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ConfigurationError(
                    f"{setting} must be a positive number of seconds, got {value!r}"
                )
        self._url: str | None = None
        self._sync_client: Any = None
        self._async_client: Any = None
        if isinstance(redis, str):
            self._url = redis
        elif isinstance(redis, redis_asyncio.Redis):
            self._async_client = redis
        elif isinstance(redis, redis_py.Redis):
            self._sync_client = redis
        else:
            raise ConfigurationError(
                "redis must be a URL, a redis.Redis or a redis.asyncio.Redis, "
                f"got {type(redis).__name__}"
            )
        self.key = key
        self.on_unavailable: Unavailable = on_unavailable
        self.timeout = float(timeout)
        self.margin = float(margin)
        self.smooth = bool(smooth)
        self.retry_redis_after = float(retry_redis_after)
        self._pause_key = f"{key}:paused"
        self._rates()  # refused here, not at the first call, if pyrate-limiter refuses them
        self._down_until = 0.0
        self._sync: _Shared | None = None
        self._async: _Shared | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def __repr__(self) -> str:
        # Never the URL: it may carry a password.
        return (
            f"RedisRateLimiter(key={self.key!r}, requests={self.requests}, per={self.per:g}, "
            f"on_unavailable={self.on_unavailable!r})"
        )

    # ------------------------------------------------------------ connections

    def _connect_options(self) -> dict[str, Any]:
        # Fail fast: the limiter decides what an outage means, not the driver's retries.
        return {"socket_timeout": self.timeout, "socket_connect_timeout": self.timeout}

    def _make_bucket(
        self, client: Any, script: Any, reply: Any, before: float
    ) -> _ServerClockBucket:
        bucket = _ServerClockBucket(self._rates(), client, self.key, script)
        bucket.offset_ms = _offset_ms(reply, before, time.monotonic())
        return bucket

    def _rates(self) -> list[Rate]:
        # The local fallback's too: the server counts arrivals the same way during an outage.
        window = math.ceil((self.per + self.margin) * 1000)
        rates = [Rate(self.requests, window)]
        group = math.ceil(self.requests / 5)
        if self.smooth and group < self.requests:
            # Small groups: a permit each 1/requests of the window would have every caller
            # pay a wake-up's delay per permit, whole-window bursts the most jitter.
            rates.insert(0, Rate(group, window * group // self.requests))
        return rates

    def _limiter_for(self, bucket: _ServerClockBucket) -> Limiter:
        # Leaked inline (see _leak_due) rather than by pyrate-limiter's background thread or
        # task, which neither survives a fork nor belongs to the caller's event loop.
        return Limiter(SingleBucketFactory(bucket, schedule_leak=False), buffer_ms=2)

    def _shared_sync(self) -> _Shared:
        state = self._sync
        if state is not None and state.pid == os.getpid():
            return state
        client = self._sync_client
        if client is None:
            if self._url is None:
                raise ConfigurationError(
                    "this RedisRateLimiter was given a redis.asyncio.Redis, which serves async "
                    "clients only; pass a URL or a redis.Redis for a sync client"
                )
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            client = self._sync_client = redis.Redis.from_url(
                self._url, retry=Retry(NoBackoff(), 0), **self._connect_options()
            )
        script = client.script_load(_PUT_SCRIPT)
        before = time.monotonic()
        bucket = self._make_bucket(client, script, client.time(), before)
        state = self._sync = _Shared(client, bucket, self._limiter_for(bucket), os.getpid())
        return state

    async def _shared_async(self) -> _Shared:
        loop = asyncio.get_running_loop()
        state = self._async
        if state is not None and state.loop is loop and state.pid == os.getpid():
            return state
        client = self._async_client
        if client is None or self._url is not None:
            if self._url is None:
                raise ConfigurationError(
                    "this RedisRateLimiter was given a redis.Redis, which serves sync clients "
                    "only; pass a URL or a redis.asyncio.Redis for an async client"
                )
            import redis.asyncio
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff

            # An asyncio connection belongs to the loop that opened it: one per loop.
            client = self._async_client = redis.asyncio.Redis.from_url(
                self._url, retry=Retry(NoBackoff(), 0), **self._connect_options()
            )
        script = await client.script_load(_PUT_SCRIPT)
        before = time.monotonic()
        bucket = self._make_bucket(client, script, await client.time(), before)
        state = _Shared(client, bucket, self._limiter_for(bucket), os.getpid(), loop)
        self._async = state
        return state

    def _idle_ms(self) -> int:
        """How long the budget's key outlives its last use: nothing in it counts by then."""
        return math.ceil((self.per + self.margin) * 1000) * 2

    def _leak_due(self, state: _Shared) -> bool:
        now = time.monotonic()
        if now < state.next_leak:
            return False
        state.next_leak = now + max(self.per, 1.0)
        return True

    # ------------------------------------------------------------ outages

    def _is_down(self) -> bool:
        return self.on_unavailable == "local" and time.monotonic() < self._down_until

    def _unreachable(self, error: Exception) -> None:
        """Redis failed: raise (fail closed) or switch this process to its local limit."""
        self._sync = self._async = None  # reconnect, and load the script again, next time
        if self.on_unavailable == "fail":
            raise RateLimiterUnavailableError(
                f"the shared rate limiter for key {self.key!r} cannot reach Redis "
                f"({type(error).__name__}: {error}); on_unavailable='fail' sends nothing "
                "without a shared permit (on_unavailable='local' falls back to a "
                "per-process limit)",
                key=self.key,
            ) from None
        self._down_until = time.monotonic() + self.retry_redis_after
        _log.warning(
            "shared rate limiter %r cannot reach Redis (%s); using a local limit of %d per "
            "%gs in this process for %gs",
            self.key,
            type(error).__name__,
            self.requests,
            self.per,
            self.retry_redis_after,
        )

    # ------------------------------------------------------------ the hooks RateLimiter calls

    def _pause_left(self) -> float:
        from redis.exceptions import RedisError

        local = super()._pause_left()
        if self._is_down():
            return local
        try:
            shared: int = self._shared_sync().client.pttl(self._pause_key)
        except RedisError as error:
            self._unreachable(error)
            return local
        return max(local, shared / 1000.0)

    async def _pause_left_async(self) -> float:
        from redis.exceptions import RedisError

        local = super()._pause_left()
        if self._is_down():
            return local
        try:
            state = await self._shared_async()
            shared: int = await state.client.pttl(self._pause_key)
        except RedisError as error:
            self._unreachable(error)
            return local
        return max(local, shared / 1000.0)

    def _take(self, timeout: float) -> bool:
        from redis.exceptions import NoScriptError, RedisError

        if self._is_down():
            return super()._take(timeout)
        started = time.monotonic()
        try:
            try:
                return self._take_shared(self._shared_sync(), timeout)
            except NoScriptError:  # Redis restarted and forgot the script: load it again
                self._sync = None
                left = max(0.0, timeout - (time.monotonic() - started))
                return self._take_shared(self._shared_sync(), left)
        except RedisError as error:
            self._unreachable(error)
            return super()._take(max(0.0, timeout - (time.monotonic() - started)))

    def _take_shared(self, state: _Shared, timeout: float) -> bool:
        ok: Any = state.limiter.try_acquire(self._name, blocking=True, timeout=timeout)
        if ok is True and self._leak_due(state):
            state.bucket.leak(state.bucket.now())
            state.client.pexpire(self.key, self._idle_ms())
        return ok is True

    async def _take_async(self, timeout: float) -> bool:
        from redis.exceptions import NoScriptError, RedisError

        if self._is_down():
            return await super()._take_async(timeout)
        started = time.monotonic()
        try:
            try:
                return await self._take_shared_async(await self._shared_async(), timeout)
            except NoScriptError:
                self._async = None
                left = max(0.0, timeout - (time.monotonic() - started))
                return await self._take_shared_async(await self._shared_async(), left)
        except RedisError as error:
            self._unreachable(error)
            return await super()._take_async(max(0.0, timeout - (time.monotonic() - started)))

    async def _take_shared_async(self, state: _Shared, timeout: float) -> bool:
        import anyio

        ok: Any = False
        with anyio.move_on_after(timeout):
            ok = await state.limiter.try_acquire_async(self._name, blocking=True)
        if ok is True and self._leak_due(state):
            leaked = state.bucket.leak(state.bucket.now())
            if inspect.isawaitable(leaked):  # always, over an asyncio connection
                await leaked
            await state.client.pexpire(self.key, self._idle_ms())
        return ok is True

    def pause(self, seconds: float) -> None:
        """Hold every caller in every process sharing ``key`` for ``seconds``.

        This process is held even if Redis cannot be reached. Called on a running event
        loop (by an async client), the shared pause is written by a task on that loop, so
        the loop is never blocked on Redis.
        """
        from redis.exceptions import RedisError

        super().pause(seconds)
        ms = math.ceil(max(0.0, seconds) * 1000)
        if ms <= 0 or self._is_down():
            return
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        try:
            if loop is not None and (self._url is not None or self._async_client is not None):
                # On an event loop (an async client's retry): never block it on Redis.
                task = loop.create_task(self._pause_async(ms))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
                return
            if self._sync_client is None and self._url is None:
                raise RuntimeError("no event loop to write the shared pause from")
            self._shared_sync().client.eval(_PAUSE_SCRIPT, 1, self._pause_key, ms)
        except (RedisError, RuntimeError) as error:
            _log.warning(
                "shared rate limiter %r could not share a pause of %gs (%s); it holds this "
                "process only",
                self.key,
                seconds,
                type(error).__name__,
            )

    async def _pause_async(self, ms: int) -> None:
        from redis.exceptions import RedisError

        try:
            state = await self._shared_async()
            await state.client.eval(_PAUSE_SCRIPT, 1, self._pause_key, ms)
        except RedisError as error:
            _log.warning(
                "shared rate limiter %r could not share a pause (%s); it holds this process only",
                self.key,
                type(error).__name__,
            )

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Close the sync connection this limiter opened (not a client passed in)."""
        super().close()
        if self._url is not None and self._sync_client is not None:
            self._sync_client.close()
            self._sync_client = self._sync = None

    async def aclose(self) -> None:
        """Close the connections this limiter opened, including the async one."""
        self.close()
        if self._url is not None and self._async_client is not None:
            await self._async_client.aclose()
            self._async_client = self._async = None


publish(__name__, globals())
