"""Waiting for a server-side job to finish: poll with backoff until a terminal state.

Vendors describe *what* to poll (an Airflow DAG run, an Airbyte job) and when it is
done or failed; the loop, the backoff, the deadline, the callback and the progress
display are here, once, for sync and async alike. Only the two drivers differ (one
sleeps with :func:`time.sleep`, the other awaits :func:`anyio.sleep`); every decision is
in :class:`Waiter`.

A wait never cancels the job it waits for: when the deadline passes it raises
:class:`WaitTimeoutError` with the last state seen, and cancelling is the caller's call.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import anyio

from ._errors import CommonRestError, InvalidArgumentError
from ._lazy import publish
from ._progress import ProgressDisplay, ProgressUpdate, open_progress

__all__ = [
    "Poll",
    "WaitFailedError",
    "WaitTimeoutError",
    "Waiter",
    "wait_async",
    "wait_sync",
]

S = TypeVar("S")


@dataclass(frozen=True)
class Poll:
    """How often a wait asks: ``interval`` seconds at first, growing by ``multiplier``
    after each answer up to ``max_interval``."""

    interval: float = 1.0
    max_interval: float = 30.0
    multiplier: float = 1.5

    def __post_init__(self) -> None:
        for name in ("interval", "max_interval", "multiplier"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InvalidArgumentError(
                    f"Poll.{name}: expected a number, got {value!r}", parameter=name
                )
            if not math.isfinite(value) or value <= 0:
                raise InvalidArgumentError(
                    f"Poll.{name}: expected a positive number, got {value}", parameter=name
                )
        if self.multiplier < 1:
            raise InvalidArgumentError(
                f"Poll.multiplier: expected 1 or more (intervals never shrink), got "
                f"{self.multiplier}",
                parameter="multiplier",
            )
        if self.max_interval < self.interval:
            raise InvalidArgumentError(
                f"Poll.max_interval ({self.max_interval}) is below Poll.interval ({self.interval})",
                parameter="max_interval",
            )


class WaitTimeoutError(CommonRestError, TimeoutError):
    """A wait reached its deadline before the job finished. The job goes on: ``last``
    is the state seen last, ``waited`` the seconds spent."""

    def __init__(self, message: str, *, last: Any, waited: float) -> None:
        super().__init__(message)
        self.last = last
        self.waited = waited


class WaitFailedError(CommonRestError):
    """The job ended, but not well (failed, cancelled). ``last`` is its final state and
    ``reason`` the server's explanation when it gave one. Vendors raise subclasses."""

    def __init__(self, message: str, *, last: Any, reason: str | None = None) -> None:
        super().__init__(message)
        self.last = last
        self.reason = reason


def _check_timeout(timeout: float | None) -> float | None:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise InvalidArgumentError(
            f"timeout: expected seconds or None, got {timeout!r}", parameter="timeout"
        )
    if not math.isfinite(timeout) or timeout <= 0:
        raise InvalidArgumentError(
            f"timeout: expected a positive number of seconds, got {timeout}", parameter="timeout"
        )
    return float(timeout)


class Waiter(Generic[S]):
    """The decisions of one wait: is this state final, how long to sleep, when to give up.

    ``finished(state)`` returns ``True`` when the wait is over (and may raise a
    :class:`WaitFailedError` for a bad ending); ``describe(state)`` says what to show.
    """

    def __init__(
        self,
        *,
        what: str,
        finished: Callable[[S], bool],
        describe: Callable[[S], ProgressUpdate],
        poll: Poll | None = None,
        timeout: float | None = None,
        on_progress: Callable[[S], object] | None = None,
        progress: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if poll is not None and not isinstance(poll, Poll):
            raise InvalidArgumentError(
                f"poll: expected a Poll, got {type(poll).__name__}", parameter="poll"
            )
        if on_progress is not None and not callable(on_progress):
            raise InvalidArgumentError(
                f"on_progress: expected a callable, got {on_progress!r}", parameter="on_progress"
            )
        self.what = what
        self._finished = finished
        self._describe = describe
        self._poll = poll or Poll()
        self._timeout = _check_timeout(timeout)
        self._on_progress = on_progress
        self._clock = clock
        self._started = clock()
        self._interval = self._poll.interval
        self._display: ProgressDisplay = open_progress(progress, what=what)
        self._last: S | None = None

    def observe(self, state: S) -> bool:
        """Record an answer; ``True`` when the wait is over."""
        self._last = state
        if self._on_progress is not None:
            self._on_progress(state)
        self._display.show(self._describe(state))
        return self._finished(state)

    def next_sleep(self) -> float:
        """Seconds until the next poll; raises :class:`WaitTimeoutError` past the deadline."""
        sleep = self._interval
        self._interval = min(self._interval * self._poll.multiplier, self._poll.max_interval)
        if self._timeout is None:
            return sleep
        waited = self._clock() - self._started
        left = self._timeout - waited
        if left <= 0:
            status = self._describe(self._last).status if self._last is not None else "unknown"
            raise WaitTimeoutError(
                f"{self.what} still {status} after {waited:.1f} s (timeout {self._timeout:g} s); "
                "it was not cancelled",
                last=self._last,
                waited=waited,
            )
        return min(sleep, left)

    def close(self) -> None:
        self._display.close()


def wait_sync(fetch: Callable[[], S], waiter: Waiter[S]) -> S:
    """Call ``fetch`` until ``waiter`` says the job is over; the final state."""
    try:
        while True:
            state = fetch()
            if waiter.observe(state):
                return state
            time.sleep(waiter.next_sleep())
    finally:
        waiter.close()


async def wait_async(fetch: Callable[[], Awaitable[S]], waiter: Waiter[S]) -> S:
    """:func:`wait_sync` for a coroutine ``fetch``."""
    try:
        while True:
            state = await fetch()
            if waiter.observe(state):
                return state
            await anyio.sleep(waiter.next_sleep())
    finally:
        waiter.close()


publish(__name__, globals())
