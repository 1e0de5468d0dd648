"""Per-client and per-call transport options: timeouts, deadline, retries, headers, keys.

These never share a namespace with API parameters: a client carries defaults, and
``client.with_options(...)`` returns a cheap copy (sharing the connection pool) whose
calls use the changed values.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any, TypeAlias

import httpx
from typing_extensions import TypedDict, Unpack

from ._durations import DurationSetting, setting_from_duration, setting_seconds
from ._errors import ConfigurationError
from ._headers import header_name_problem, header_value_problem
from ._lazy import publish
from ._retry import RetryPolicy  # at run time too: the declarations below are read
from ._sentinels import NOT_GIVEN, NotGiven
from ._settings import Setting, declared

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_TIMEOUT",
    "CallOptions",
    "Duration",
    "Options",
    "Timeout",
    "TimeoutTypes",
    "WithOptions",
]


def _deadline(value: Duration | None) -> float | None:
    """A deadline in seconds; ``None`` or an unlimited duration word means no deadline."""
    if value is None:
        return None
    if isinstance(value, (str, timedelta)) and setting_from_duration("deadline", value) is None:
        return None
    return setting_seconds("deadline", value)


@dataclass(frozen=True)
class Timeout:
    """Per-attempt time limits in seconds. All are finite: a request can never hang forever.

    ``Timeout(10)`` sets every phase to 10 s; phases can be set one by one.
    """

    connect: float = 5.0
    read: float = 60.0
    write: float = 60.0
    pool: float = 10.0
    _httpx: httpx.Timeout = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        all: float | None = None,
        *,
        connect: float | None = None,
        read: float | None = None,
        write: float | None = None,
        pool: float | None = None,
    ) -> None:
        base = {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 10.0}
        if all is not None:
            base = dict.fromkeys(base, setting_seconds("timeout", all))
        for name, given in (("connect", connect), ("read", read), ("write", write), ("pool", pool)):
            if given is not None:
                base[name] = setting_seconds(f"timeout.{name}", given)
        for name, value in base.items():
            object.__setattr__(self, name, value)
        object.__setattr__(
            self,
            "_httpx",
            httpx.Timeout(
                connect=base["connect"], read=base["read"], write=base["write"], pool=base["pool"]
            ),
        )

    @classmethod
    def of(cls, value: TimeoutTypes, *, setting: str = "timeout") -> Timeout:
        """Normalise what a user may pass as a timeout. ``None`` is refused."""
        if isinstance(value, Timeout):
            return value
        if value is None:
            raise ConfigurationError(
                f"{setting}=None would let a request hang forever; pass a number of seconds "
                "or commonrest.Timeout(connect=..., read=..., write=..., pool=...)"
            )
        if isinstance(value, httpx.Timeout):
            parts = {
                "connect": value.connect,
                "read": value.read,
                "write": value.write,
                "pool": value.pool,
            }
            missing = [name for name, v in parts.items() if v is None]
            if missing:
                raise ConfigurationError(
                    f"{setting} has no limit for {', '.join(missing)}; every phase needs a "
                    "finite number of seconds"
                )
            return cls(connect=value.connect, read=value.read, write=value.write, pool=value.pool)
        return cls(setting_seconds(setting, value))

    def clipped(self, remaining: float) -> httpx.Timeout:
        """The httpx timeout for an attempt that must end within ``remaining`` seconds."""
        if remaining >= max(self.connect, self.read, self.write, self.pool):
            return self._httpx
        r = max(remaining, 0.001)
        return httpx.Timeout(
            connect=min(self.connect, r),
            read=min(self.read, r),
            write=min(self.write, r),
            pool=min(self.pool, r),
        )

    def as_httpx(self) -> httpx.Timeout:
        """The equivalent :class:`httpx.Timeout`."""
        return self._httpx


#: A number of seconds, a ``timedelta``, or a duration string such as ``"1 minute 30 s"``.
Duration: TypeAlias = DurationSetting
TimeoutTypes: TypeAlias = Timeout | httpx.Timeout | float | int | str | timedelta | None

DEFAULT_TIMEOUT = Timeout()
#: Default bound on a whole call: every attempt and every sleep between attempts.
DEFAULT_DEADLINE = 300.0
#: Default bound on a response body, in decoded bytes: far above any API page or document,
#: far below what would put a worker's memory at risk.
DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024 * 1024


def _size(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(
            f"max_response_size must be a whole number of bytes >= 1, got {value!r}"
        )
    return value


class _KeyUse:
    """Whether an idempotency key given to ``with_options`` has served its one call; shared
    by the copy it was given to and every copy made from that."""

    __slots__ = ("_lock", "used")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.used = False

    def claim(self) -> bool:
        """True the first time only."""
        with self._lock:
            first = not self.used
            self.used = True
            return first


#: Header names whose values ``repr(Options)`` may show.
_SHOWN_HEADERS = frozenset({"accept", "accept-language", "content-type", "user-agent"})


@dataclass(frozen=True)
class Options:
    """The transport options in force for a call (resolved: no field is left unset).

    An ``idempotency_key`` belongs to one call: the first call that is not retry-safe (a
    create, a payment) uses it, and a second such call through the same options fails
    with a :class:`~commonrest.ConfigurationError` rather than reuse it.
    """

    timeout: Timeout = DEFAULT_TIMEOUT
    deadline: float | None = DEFAULT_DEADLINE
    retry: RetryPolicy | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    idempotency_key: str | None = None
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE
    _key_use: _KeyUse = field(default_factory=_KeyUse, repr=False, compare=False)

    def __repr__(self) -> str:
        headers = {k: v if k.lower() in _SHOWN_HEADERS else "***" for k, v in self.headers.items()}
        return (
            f"Options(timeout={self.timeout!r}, deadline={self.deadline!r}, "
            f"retry={self.retry!r}, headers={headers!r}, "
            f"idempotency_key={self.idempotency_key!r}, "
            f"max_response_size={self.max_response_size!r})"
        )

    def claim_idempotency_key(self) -> str | None:
        """The idempotency key for an unsafe call, which uses it up; ``None`` when none was
        given. Raises when an earlier call already used it."""
        key = self.idempotency_key
        if key is None or self._key_use.claim():
            return key
        raise ConfigurationError(
            f"idempotency_key {key!r} was already used by an earlier call; a key belongs "
            "to one call: pass it per call, with client.with_options(idempotency_key=...)"
            ".<operation>(...), and to repeat that same call on purpose (after a timeout, "
            "say) give the same key to a new with_options()"
        )

    def changed(self, **changes: Unpack[WithOptions]) -> Options:
        """A copy with the given options changed, each checked as its declaration in
        :class:`CallOptions` / :class:`WithOptions` says; an absent one (or
        ``NOT_GIVEN``) keeps its value."""
        settings = declared(WithOptions)
        given: dict[str, Any] = {}
        for name, value in changes.items():
            if isinstance(value, NotGiven):
                continue
            check = settings[name][1].check
            checked = value if check is None else check(value)
            if not isinstance(checked, NotGiven):
                given[name] = checked
        retry = given.get("retry", self.retry)
        if "max_retries" in given:
            from ._retry import RetryPolicy

            retry = (retry or RetryPolicy()).with_max_retries(given["max_retries"])
        key_use = self._key_use
        if "idempotency_key" in given:
            key_use = _KeyUse()  # a new key (even an equal one) serves one new call
        return Options(
            timeout=given.get("timeout", self.timeout),
            deadline=given.get("deadline", self.deadline),
            retry=retry,
            headers={**self.headers, **given.get("headers", {})},
            idempotency_key=given.get("idempotency_key", self.idempotency_key),
            max_response_size=given.get("max_response_size", self.max_response_size),
            _key_use=key_use,
        )


# ------------------------------------------------------------------ the declarations


def _timeout(value: TimeoutTypes) -> Timeout:
    return Timeout.of(value)


def _max_retries(value: int | None) -> int | NotGiven:
    if value is None:
        return NOT_GIVEN  # the retry policy's own number of attempts
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0, got {value!r}")
    return value


def _headers(value: Mapping[str, str] | None) -> dict[str, str] | NotGiven:
    if value is None:
        return NOT_GIVEN
    checked: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise ConfigurationError(
                f"headers must map str to str, got {key!r}: {type(item).__name__}"
            )
        name_problem = header_name_problem(key)
        if name_problem is not None:
            raise ConfigurationError(
                f"headers: the name {key!a} must be an HTTP token, and it contains {name_problem}"
            )
        value_problem = header_value_problem(item)
        if value_problem is not None:
            # the value is not shown: it may be a credential
            raise ConfigurationError(
                f"headers: the value of {key!r} must be printable ASCII text, and it "
                f"contains {value_problem}"
            )
        checked[key] = item
    return checked


def _idempotency_key(value: str | None) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ConfigurationError("idempotency_key must be a non-empty string or None")
    problem = None if value is None else header_value_problem(value)
    if problem is not None:
        raise ConfigurationError(
            f"idempotency_key must be printable ASCII text (it is sent as a header), "
            f"and it contains {problem}"
        )
    return value


class CallOptions(TypedDict, total=False):
    """The options of the calls a client makes: a client is built with them and
    ``with_options`` changes them (each declared once, here; see :mod:`._settings`).

    ``timeout`` bounds each attempt's phases (a number of seconds, a duration or a
    :class:`Timeout`; never unlimited); ``deadline`` the whole call, every attempt and wait
    included (``None`` or ``"unlimited"``: no bound); ``max_retries`` caps the attempts
    after the first; ``retry`` is the :class:`~commonrest.RetryPolicy` (``None``: the
    default one); ``headers`` are sent with every call; ``max_response_size`` bounds a
    response body, in decoded bytes.
    """

    timeout: Annotated[TimeoutTypes, Setting(DEFAULT_TIMEOUT, _timeout)]
    deadline: Annotated[Duration | None, Setting(DEFAULT_DEADLINE, _deadline)]
    max_retries: Annotated[int | None, Setting(None, _max_retries)]
    retry: Annotated[RetryPolicy | None, Setting(None)]
    headers: Annotated[Mapping[str, str] | None, Setting(None, _headers)]
    max_response_size: Annotated[int, Setting(DEFAULT_MAX_RESPONSE_SIZE, _size)]


class WithOptions(CallOptions, total=False):
    """What ``with_options`` takes: :class:`CallOptions` plus the ``idempotency_key`` of
    the one create or payment to come (a key serves one call, so no client is built with
    one)."""

    idempotency_key: Annotated[str | None, Setting(None, _idempotency_key)]


publish(__name__, globals())
