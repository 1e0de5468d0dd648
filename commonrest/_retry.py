"""The retry policy: which failures are retried, how long to wait, and when to give up.

The decision is a pure function shared by the sync and async clients; only sleeping
differs. Backoff and attempt limits are tenacity strategies (``wait_random_exponential``
gives full jitter: a uniform wait between 0 and ``min(cap, base * 2**n)``); any tenacity
``wait`` strategy can replace it.

Safety rules, in order:

1. Only transient failures are retried: the statuses in ``retry_statuses`` (408, 429, 500,
   502, 503, 504 by default), connection failures and timeouts.
2. A request that is not idempotent (POST, PATCH) is retried only when it carries an
   idempotency key, when its operation is declared read-only, or when it failed before any
   byte was sent.
3. A ``Retry-After`` (seconds or HTTP date, or ``retry-after-ms``) is honoured as the wait,
   up to ``retry_after_cap``; above the cap, or past the call's deadline, the error is raised
   at once with ``retry_after`` set on it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

import httpx

from ._lazy import publish

if TYPE_CHECKING:  # tenacity is imported when a policy is first built, not at import time
    import tenacity

    from ._durations import DurationSetting as Duration

from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    DeadlineExceededError,
)

__all__ = ["RetryEvent", "RetryPolicy", "parse_retry_after"]

DEFAULT_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def parse_retry_after(headers: httpx.Headers, *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, from ``retry-after-ms`` or ``Retry-After``
    (delta-seconds or HTTP-date). ``None`` when absent or unreadable."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            value = float(ms) / 1000.0
            if math.isfinite(value) and value >= 0:
                return value
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    raw = raw.strip()
    try:
        value = float(raw)
        return value if math.isfinite(value) and value >= 0 else None
    except ValueError:
        pass
    try:
        import email.utils

        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


@dataclass(frozen=True)
class RetryEvent:
    """Passed to ``on_retry`` and ``on_give_up``: what failed and what happens next."""

    attempt: int
    delay: float
    reason: str
    error: APIError
    request_id: str | None


def _reason(error: APIError, statuses: frozenset[int]) -> str | None:
    if isinstance(error, APIStatusError):
        return f"status {error.status_code}" if error.status_code in statuses else None
    if isinstance(error, APITimeoutError):
        return "timeout"
    if isinstance(error, APIConnectionError):
        return "connection error"
    return None


@dataclass
class CallState:
    """Book-keeping for one call across its attempts (created by the pipeline)."""

    started: float
    deadline: float | None
    retry_safe: bool
    attempt: int = 1
    _tenacity: tenacity.RetryCallState | None = None

    def remaining(self, now: float | None = None) -> float | None:
        """Seconds left before the deadline (``None`` when the call has none)."""
        if self.deadline is None:
            return None
        return self.deadline - (time.monotonic() if now is None else now)

    def tenacity_state(self, error: BaseException) -> tenacity.RetryCallState:
        """A tenacity call state describing the current failed attempt."""
        import tenacity

        rs = self._tenacity
        if rs is None:
            rs = tenacity.RetryCallState(retry_object=cast(Any, None), fn=None, args=(), kwargs={})
            rs.start_time = self.started
            self._tenacity = rs
        rs.attempt_number = self.attempt
        outcome: tenacity.Future = tenacity.Future(self.attempt)
        outcome.set_exception(error)
        rs.outcome = outcome
        rs.outcome_timestamp = time.monotonic()
        return rs


@dataclass(frozen=True)
class RetryPolicy:
    """How a client retries. Immutable; ``with_max_retries`` and ``dataclasses.replace``
    derive variants.

    ``max_attempts`` counts the first try (3 = one try and up to two retries). The three
    durations take seconds, a ``timedelta`` or a duration string ("2 minutes") and are
    stored as float seconds. ``backoff_base``/``backoff_cap`` shape the exponential backoff;
    ``jitter`` spreads it uniformly from zero (full jitter). ``retry_after_cap`` bounds how
    long a server may make us wait. ``on_retry`` runs before each wait, ``on_give_up`` when
    a retryable failure is not retried (attempts, deadline or cap exhausted, or the request
    is not safe to repeat).
    """

    max_attempts: int = 3
    backoff_base: Duration = 0.5
    backoff_cap: Duration = 8.0
    jitter: bool = True
    retry_statuses: frozenset[int] = DEFAULT_RETRY_STATUSES
    retry_connection_errors: bool = True
    retry_timeouts: bool = True
    retry_after_cap: Duration = 60.0
    on_retry: Callable[[RetryEvent], None] | None = None
    on_give_up: Callable[[RetryEvent], None] | None = None
    wait: tenacity.wait.wait_base | None = field(default=None, compare=False)
    _strategy: tenacity.wait.wait_base = field(init=False, repr=False, compare=False)
    _after_cap: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int):
            raise ConfigurationError(
                f"max_attempts must be an integer >= 1, got {self.max_attempts!r}"
            )
        if self.max_attempts < 1:
            raise ConfigurationError(
                f"max_attempts must be an integer >= 1, got {self.max_attempts!r}"
            )
        from ._durations import setting_seconds as _seconds

        seconds = {}
        for name in ("backoff_base", "backoff_cap", "retry_after_cap"):
            # durations ("2 minutes", timedelta) are stored as float seconds
            seconds[name] = _seconds(name, getattr(self, name), allow_zero=True)
            object.__setattr__(self, name, seconds[name])
        base, cap = seconds["backoff_base"], seconds["backoff_cap"]
        object.__setattr__(self, "_after_cap", seconds["retry_after_cap"])
        object.__setattr__(self, "retry_statuses", frozenset(self.retry_statuses))
        import tenacity

        if self.wait is None:
            strategy: tenacity.wait.wait_base = (
                tenacity.wait_random_exponential(multiplier=base, max=cap)
                if self.jitter
                else tenacity.wait_exponential(multiplier=base, min=0, max=cap)
            )
        else:
            strategy = self.wait
        object.__setattr__(self, "_strategy", strategy)

    @property
    def retry_after_cap_seconds(self) -> float:
        """``retry_after_cap`` as float seconds, whatever form it was given in."""
        return self._after_cap

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never retries."""
        return cls(max_attempts=1)

    def with_max_retries(self, max_retries: int) -> RetryPolicy:
        """The same policy allowing ``max_retries`` retries after the first attempt."""
        return replace(self, max_attempts=max_retries + 1)

    def _retryable_reason(self, error: APIError) -> str | None:
        reason = _reason(error, self.retry_statuses)
        if reason == "timeout" and not self.retry_timeouts:
            return None
        if reason == "connection error" and not self.retry_connection_errors:
            return None
        return reason

    def next_delay(self, state: CallState, error: APIError, *, has_key: bool) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` to give up and raise ``error``.

        A pure decision: it reads ``error`` (its ``retry_after`` included) and the call's
        ``state``, changing only the latter's tenacity book-keeping; what else happens on a
        failure (the rate limiter's pause after a 429, counting the attempt, logging) is the
        client loop's. ``on_retry`` and ``on_give_up`` are the caller's own callbacks.
        """
        reason = self._retryable_reason(error)
        if reason is None:
            return None
        if isinstance(error, DeadlineExceededError):
            return self._give_up(state, error, reason + " (deadline exceeded)", 0.0)
        unsent = isinstance(error, APIConnectionError) and not error.sent
        if not (state.retry_safe or has_key or unsent):
            return self._give_up(
                state, error, reason + " (not retried: request is not idempotent)", 0.0
            )
        retry_after = error.retry_after
        # tenacity's stop_after_attempt(max_attempts), decided without building the tenacity
        # state (a Future per failed attempt) that only the wait strategy reads.
        if state.attempt >= self.max_attempts:
            return self._give_up(state, error, reason + " (attempts exhausted)", 0.0)
        if retry_after is not None:
            if retry_after > self._after_cap:
                return self._give_up(state, error, reason + " (Retry-After above cap)", retry_after)
            delay = retry_after
        else:
            delay = float(self._strategy(state.tenacity_state(error)))
        remaining = state.remaining()
        if remaining is not None and delay >= remaining:
            return self._give_up(state, error, reason + " (wait exceeds deadline)", delay)
        if self.on_retry is not None:
            self.on_retry(RetryEvent(state.attempt, delay, reason, error, error.request_id))
        return delay

    def _give_up(
        self, state: CallState, error: APIError, reason: str, delay: float
    ) -> float | None:
        if self.on_give_up is not None:
            self.on_give_up(RetryEvent(state.attempt, delay, reason, error, error.request_id))
        return None


@lru_cache(maxsize=1)
def default_retry() -> RetryPolicy:
    """The policy used when a client is given none (built on first use)."""
    return RetryPolicy()


publish(__name__, globals())
