"""Rate limits a server announces in its response headers, and pacing to stay under them.

Three header families are read (the first one present wins):

- ``RateLimit: "default";r=5;t=30`` with ``RateLimit-Policy: "default";q=100;w=60``
  (the IETF httpapi draft's structured fields: ``r`` remaining, ``t`` seconds to reset,
  ``q`` quota, ``w`` window);
- ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` (the earlier draft:
  reset in seconds);
- ``X-RateLimit-Limit``, ``X-RateLimit-Remaining``, ``X-RateLimit-Reset`` (and the
  ``X-Rate-Limit-*`` spelling), whose reset is seconds, or a Unix time (in seconds or
  milliseconds) when it is that large.

:class:`ServerBudget` keeps the newest announcement of one server and turns it into a
wait before the next request (:class:`LearnedLimits` holds one per host a client uses):
none while plenty is left, an even spread of what is left over the time to reset once the
budget runs low, and a wait until the reset once it is spent. The server's count wins over
ours, since it also sees the requests of other clients sharing the key; requests still in
flight are taken off it, since the server may have counted them before it answered.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from ._headers import listed
from ._lazy import publish

__all__ = ["LOW_WATER", "LearnedLimits", "ServerBudget", "ServerLimit", "parse_server_limit"]

#: Below this share of the quota left (or 2 requests when the quota is not announced),
#: requests are spread evenly over the time to reset.
LOW_WATER = 0.1

# A reset this large is a Unix time, not a number of seconds (no window lasts 30 years);
# one larger still is a Unix time in milliseconds, which some servers send.
_UNIX_TIME = 1e9
_UNIX_TIME_MS = 1e12
_PARAM = re.compile(r";\s*([a-z]+)\s*=\s*(\"[^\"]*\"|[^;,\s]+)", re.I)


@dataclass(frozen=True)
class ServerLimit:
    """What a response said of the client's budget.

    ``remaining`` requests are left until ``reset`` seconds after the response arrived
    (``None`` when the server did not say); ``limit`` is the quota per ``window`` seconds
    when announced. ``policy`` is the raw policy header, if any.
    """

    remaining: int
    reset: float | None = None
    limit: int | None = None
    window: float | None = None
    policy: str | None = None


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.strip().strip('"'))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _first_item_params(value: str) -> dict[str, str]:
    """The parameters of the first item of a structured-field list (``"a";r=1;t=2, "b"...``)."""
    first = value.split(",", 1)[0]
    return {key.lower(): raw.strip('"') for key, raw in _PARAM.findall(first)}


def _reset_seconds(value: float | None, now_unix: float) -> float | None:
    if value is None:
        return None
    if value >= _UNIX_TIME_MS:
        value /= 1000
    if value >= _UNIX_TIME:
        return max(0.0, value - now_unix)
    return value


def parse_server_limit(
    headers: Mapping[str, str], *, now_unix: float | None = None
) -> ServerLimit | None:
    """The budget a response announces, or ``None`` when it announces none (or nonsense)."""
    now = time.time() if now_unix is None else now_unix
    get = headers.get
    policy = get("ratelimit-policy")
    structured = get("ratelimit")
    if structured is not None:
        params = _first_item_params(structured)
        remaining = _number(params.get("r"))
        if remaining is not None:
            quota = _first_item_params(policy) if policy else {}
            limit = _number(quota.get("q"))
            return ServerLimit(
                remaining=int(remaining),
                reset=_reset_seconds(_number(params.get("t")), now),
                limit=None if limit is None else int(limit),
                window=_number(quota.get("w")),
                policy=policy,
            )
    for prefix in ("ratelimit-", "x-ratelimit-", "x-rate-limit-"):
        remaining = _number(get(prefix + "remaining"))
        if remaining is None:
            continue
        limit_text = get(prefix + "limit")
        limit = _number(limit_text.split(",", 1)[0].split(";", 1)[0]) if limit_text else None
        window = _number(_first_item_params(policy).get("w")) if policy else None
        return ServerLimit(
            remaining=int(remaining),
            reset=_reset_seconds(_number(get(prefix + "reset")), now),
            limit=None if limit is None else int(limit),
            window=window,
            policy=policy,
        )
    return None


class ServerBudget:
    """The newest budget one server announced, turned into waits.

    Thread-safe and shared by the sync and async paths: :meth:`learn` takes a response's
    headers, :meth:`reserve` returns how long the next request should wait (and counts it
    as sent). Nothing is waited for until the server has announced a budget, and nothing
    after the announced reset has passed.
    """

    __slots__ = (
        "_in_flight",
        "_limit",
        "_lock",
        "_next_at",
        "_remaining",
        "_reset_at",
        "_span",
        "last",
    )

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._remaining = 0
        self._reset_at = 0.0  # monotonic time; 0 = no budget known
        self._limit: int | None = None
        self._next_at = 0.0
        self._in_flight = 0  # reserved and not answered yet: the server may count them already
        self._span = 0.0  # the longest reset announced: the window, when none is announced
        #: The newest announcement, as the server sent it.
        self.last: ServerLimit | None = None

    def learn(self, headers: Mapping[str, str], *, now: float | None = None) -> None:
        """Take a response's announcement of the budget (a response that announces none
        only counts as answered)."""
        announced = parse_server_limit(headers) if _may_announce(headers) else None
        at = time.monotonic() if now is None else now
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            if announced is None or announced.reset is None:
                return
            self.last = announced
            self._limit = announced.limit
            self._span = max(self._span, announced.reset)
            left = max(0, announced.remaining - self._in_flight)
            reset_at = at + announced.reset
            if self._reset_at and at < self._reset_at:
                # The same window: a reset rounded up to whole seconds is tightest at its
                # earliest, and what we sent since may not be counted yet.
                self._remaining = min(self._remaining, left)
                self._reset_at = min(self._reset_at, reset_at)
            else:
                self._remaining = left
                self._reset_at = reset_at

    def release(self) -> None:
        """An attempt counted by :meth:`reserve` ended without a response."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)

    def reserve(self, *, now: float | None = None) -> float:
        """Seconds to wait before asking again, or 0: the request may go now, and is
        counted against the budget. A caller that was told to wait asks again after the
        wait, so an announcement that arrives meanwhile (the budget is spent) still counts."""
        at = time.monotonic() if now is None else now
        with self._lock:
            if not self._reset_at or (at >= self._reset_at and not self._roll(at)):
                # No budget known (yet, or since the last window ended): the request goes,
                # and counts as in flight against the next announcement.
                self._in_flight += 1
                return 0.0
            left = self._reset_at - at
            remaining = self._remaining
            if remaining <= 0:
                return left  # spent: everyone waits for the reset
            if remaining <= max(2.0, (self._limit or 0) * LOW_WATER):
                # The last of the window: one request per even share of the time left.
                if at < self._next_at:
                    return self._next_at - at
                self._next_at = at + left / remaining
            self._remaining = remaining - 1
            self._in_flight += 1
            return 0.0

    def _roll(self, at: float) -> bool:
        """Start the next window from the announced quota, when it is known, and the
        announced window (or, failing that, the longest reset seen, which a window's first
        answer announces): callers held at the reset then go by the quota, not all at once."""
        window = (self.last.window if self.last is not None else None) or self._span
        if self._limit is None or not window:
            self._reset_at = 0.0
            return False
        periods = math.floor((at - self._reset_at) / window) + 1
        self._reset_at += periods * window
        self._remaining = self._limit
        return True


class LearnedLimits:
    """One :class:`ServerBudget` per host a client talks to (a vendor's services may sit
    on different hosts with quotas of their own); a host that never announced a budget
    costs one dictionary look-up per request."""

    __slots__ = ("_budgets", "_lock")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._budgets: dict[str, ServerBudget] = {}

    def learn(self, host: str, headers: Mapping[str, str]) -> None:
        """Take the budget a response from ``host`` announces, if it announces one."""
        budget = self._budgets.get(host)
        if budget is None:
            if not _may_announce(headers):
                return  # a host that never announced a budget costs nothing more
            with self._lock:
                budget = self._budgets.setdefault(host, ServerBudget())
        budget.learn(headers)

    def release(self, host: str) -> None:
        """An attempt to ``host`` ended without a response (see :meth:`ServerBudget.release`)."""
        budget = self._budgets.get(host)
        if budget is not None:
            budget.release()

    def reserve(self, host: str) -> float:
        """Seconds the next request to ``host`` should wait (see :meth:`ServerBudget.reserve`)."""
        budget = self._budgets.get(host)
        return 0.0 if budget is None else budget.reserve()


_ANNOUNCING = (
    "ratelimit",
    "ratelimit-remaining",
    "x-ratelimit-remaining",
    "x-rate-limit-remaining",
)
_ANNOUNCING_RAW = frozenset(name.encode() for name in _ANNOUNCING)


def _may_announce(headers: Mapping[str, str]) -> bool:
    # Cheap test first: most responses carry none of these headers. httpx's headers keep
    # each name lower-cased already: one pass over them, where each ``in`` would be one.
    raw = listed(headers)
    if raw is not None:
        return not _ANNOUNCING_RAW.isdisjoint([lower for _, lower, _ in raw])
    return any(name in headers for name in _ANNOUNCING)


publish(__name__, globals())
