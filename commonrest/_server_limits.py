"""Rate limits a server announces in its response headers, and pacing to stay under them.

Three header families are read (the first one present wins):

- ``RateLimit: "default";r=5;t=30`` with ``RateLimit-Policy: "default";q=100;w=60``
  (the IETF httpapi draft's structured fields: ``r`` remaining, ``t`` seconds to reset,
  ``q`` quota, ``w`` window);
- ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` (the earlier draft:
  reset in seconds);
- ``X-RateLimit-Limit``, ``X-RateLimit-Remaining``, ``X-RateLimit-Reset`` (and the
  ``X-Rate-Limit-*`` spelling), whose reset is seconds, or a Unix time when it is that large.

:class:`LearnedLimits` keeps the newest announcement of one client and turns it into a
wait before the next request: none while plenty is left, an even spread of what is left over
the time to reset once the budget runs low, and a wait until the reset once it is spent. The
server's count wins over ours, since it also sees the requests of other clients sharing the
key; between responses ours goes down with every request sent.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from ._lazy import publish

__all__ = ["LOW_WATER", "LearnedLimits", "ServerLimit", "parse_server_limit"]

#: Below this share of the quota left (or 2 requests when the quota is not announced),
#: requests are spread evenly over the time to reset.
LOW_WATER = 0.1

# A reset this large is a Unix time, not a number of seconds (no window lasts 30 years).
_UNIX_TIME = 1e9
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


class LearnedLimits:
    """The newest budget the server announced to one client, turned into waits.

    Thread-safe and shared by the sync and async paths: :meth:`learn` takes a response's
    headers, :meth:`reserve` returns how long the next request should wait (and counts it
    as sent). Nothing is waited for until a server has announced a budget, and nothing
    after the announced reset has passed.
    """

    __slots__ = ("_limit", "_lock", "_next_at", "_remaining", "_reset_at", "last")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._remaining = 0
        self._reset_at = 0.0  # monotonic time; 0 = no budget known
        self._limit: int | None = None
        self._next_at = 0.0
        #: The newest announcement, as the server sent it.
        self.last: ServerLimit | None = None

    def learn(self, headers: Mapping[str, str], *, now: float | None = None) -> None:
        """Take the budget a response announces (a response that announces none changes
        nothing)."""
        if not _may_announce(headers):
            return
        announced = parse_server_limit(headers)
        if announced is None or announced.reset is None:
            return
        at = time.monotonic() if now is None else now
        reset_at = at + announced.reset
        with self._lock:
            self.last = announced
            if self._reset_at and reset_at <= self._reset_at + 0.5:
                # Same window: requests we sent since may not be counted by the server yet.
                self._remaining = min(self._remaining, announced.remaining)
            else:
                self._remaining = announced.remaining
            self._reset_at = reset_at
            self._limit = announced.limit

    def reserve(self, *, now: float | None = None) -> float:
        """Seconds the next request should wait, counting it against the budget."""
        at = time.monotonic() if now is None else now
        with self._lock:
            if not self._reset_at:
                return 0.0
            left = self._reset_at - at
            if left <= 0:
                if not self._roll(at):
                    return 0.0  # that window is over; wait for a new announcement
                left = self._reset_at - at
            remaining = self._remaining
            if remaining <= 0:
                return left  # spent: everyone waits for the reset
            self._remaining = remaining - 1
            low = max(2.0, (self._limit or 0) * LOW_WATER)
            if remaining > low:
                return 0.0
            start = max(at, self._next_at)
            self._next_at = start + left / remaining
            return start - at

    def _roll(self, at: float) -> bool:
        """Start the next window from the announced quota and window, when both are known."""
        window = self.last.window if self.last is not None else None
        if self._limit is None or not window:
            self._reset_at = 0.0
            return False
        periods = math.floor((at - self._reset_at) / window) + 1
        self._reset_at += periods * window
        self._remaining = self._limit
        return True


def _may_announce(headers: Mapping[str, str]) -> bool:
    # Cheap test first: most responses carry none of these headers.
    return any(
        name in headers
        for name in (
            "ratelimit",
            "ratelimit-remaining",
            "x-ratelimit-remaining",
            "x-rate-limit-remaining",
        )
    )


publish(__name__, globals())
