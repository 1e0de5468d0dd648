"""Credentials: API key in a header of the service's choosing, HTTP basic, bearer with
refresh, or none.

Each credential is an :class:`httpx.Auth`, so httpx applies it per request and our one
request pipeline serves sync and async clients. Credentials know their own secrets so the
redaction policy can remove them from logs and errors; their ``repr`` never shows them.
"""

from __future__ import annotations

import base64
import inspect
import json
import os
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import httpx

from .errors import AuthenticationError, ConfigurationError, error_class_for, truncate
from .headers import header_value_problem
from .redaction import Redactor

if TYPE_CHECKING:
    import anyio

__all__ = [
    "APIKeyAuth",
    "Auth",
    "BasicAuth",
    "BearerAuth",
    "NoAuth",
    "Token",
    "TokenEndpoint",
    "from_environment",
]


def _require_text(setting: str, value: object) -> str:
    """``value`` when it can be sent as (part of) a header; the error never shows it."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{setting} must be a non-empty string")
    problem = header_value_problem(value)
    if problem is not None:
        raise ConfigurationError(
            f"{setting} must be printable ASCII text (it is sent in a header), and it "
            f"contains {problem}"
        )
    return value


class Auth(httpx.Auth):
    """Base of our credentials. ``header_names`` and ``secrets()`` feed redaction."""

    header_names: tuple[str, ...] = ()

    def secrets(self) -> tuple[str, ...]:
        """Literal secret values to scrub from anything we print or keep."""
        return ()

    def redactor(self) -> Redactor:
        """A redactor for this credential's headers and values; it follows the values as
        they change (a refreshed token is redacted too)."""
        return Redactor(header_names=self.header_names, sources=(self.secrets,))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<hidden>)"

    __str__ = __repr__


class NoAuth(Auth):
    """Send requests without credentials."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        yield request

    def __repr__(self) -> str:
        return "NoAuth()"


class APIKeyAuth(Auth):
    """An API key sent in a header whose name the service chooses (``X-API-Key``,
    ``API-Key``, ...)."""

    def __init__(self, key: str, *, header: str = "X-API-Key", setting: str = "api_key") -> None:
        self._key = _require_text(setting, key)
        self._header = _require_text("header", header)
        self.header_names = (header,)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._key
        yield request

    def secrets(self) -> tuple[str, ...]:
        return (self._key,)

    def __repr__(self) -> str:
        return f"APIKeyAuth(header={self._header!r}, key=<hidden>)"


class BasicAuth(Auth):
    """HTTP basic authentication."""

    header_names = ("Authorization",)

    def __init__(self, username: str, password: str) -> None:
        # base64 carries any Unicode (RFC 7617 sends UTF-8): only the header rule is waived
        if not isinstance(username, str) or not username.strip():
            raise ConfigurationError("username must be a non-empty string")
        if not isinstance(password, str) or password == "":
            raise ConfigurationError("password must be a non-empty string")
        self._username = username
        self._password = password
        raw = f"{username}:{password}".encode()
        self._encoded = base64.b64encode(raw).decode("ascii")
        self._header = "Basic " + self._encoded

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def secrets(self) -> tuple[str, ...]:
        return (self._password, self._encoded)

    def __repr__(self) -> str:
        return f"BasicAuth(username={self._username!r}, password=<hidden>)"


@dataclass(frozen=True)
class Token:
    """A bearer token and, when known, the monotonic time at which it expires.

    ``refresh_token`` is a new refresh token the endpoint handed out with it (kept so that
    it is redacted like the token itself).
    """

    value: str
    expires_at: float | None = None
    refresh_token: str | None = None

    def __repr__(self) -> str:
        return f"Token(value=<hidden>, expires_at={self.expires_at!r})"

    @classmethod
    def lasting(
        cls, value: str, seconds: float | None, *, refresh_token: str | None = None
    ) -> Token:
        """A token that expires ``seconds`` from now (never, when ``None``)."""
        expires_at = None if seconds is None else time.monotonic() + float(seconds)
        return cls(value, expires_at, refresh_token)


#: Token request fields whose values are not secret; every other value is.
PLAIN_TOKEN_FIELDS = frozenset(
    {"grant_type", "client_id", "scope", "username", "audience", "resource", "response_type"}
)


def _secret_values(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [
            s for k, v in value.items() if k not in PLAIN_TOKEN_FIELDS for s in _secret_values(v)
        ]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _secret_values(v)]
    return []


@dataclass(frozen=True)
class TokenEndpoint:
    """An endpoint that hands out bearer tokens, such as ``POST /auth/token``.

    The body is sent as JSON (``json``) or as a form (``form``); the token is read from
    ``token_field`` and its lifetime (seconds) from ``expires_field`` when present.
    """

    url: str
    json: Mapping[str, Any] | None = None
    form: Mapping[str, str] | None = None
    method: str = "POST"
    token_field: str = "access_token"
    expires_field: str = "expires_in"

    def __repr__(self) -> str:
        return f"TokenEndpoint(url={self.url!r}, body=<hidden>)"

    def build_request(self) -> httpx.Request:
        """The HTTP request that asks for a new token."""
        if self.json is not None:
            return httpx.Request(
                self.method, self.url, json=dict(self.json), headers={"Accept": "application/json"}
            )
        return httpx.Request(
            self.method,
            self.url,
            data=dict(self.form or {}),
            headers={"Accept": "application/json"},
        )

    def secrets(self) -> tuple[str, ...]:
        """Every value of the request body (refresh tokens, passwords, client secrets, ...)
        except those of plain fields such as ``grant_type``, ``client_id`` or ``scope``."""
        body: Mapping[str, Any] = self.json or self.form or {}
        return tuple(_secret_values(body))

    def parse(self, response: httpx.Response, redactor: Redactor) -> Token:
        """Read the token from the endpoint's response; raise a typed error otherwise."""
        url = redactor.url(response.request.url)
        if response.status_code >= 300:
            cls = error_class_for(response.status_code)
            raise cls(
                f"token endpoint answered {response.status_code}",
                method=response.request.method,
                url=url,
                status_code=response.status_code,
                headers=httpx.Headers(redactor.headers(response.headers)),
                text=redactor.text(truncate(response.text)),
            )
        try:
            data = json.loads(response.content)
            value = data[self.token_field]
            if not isinstance(value, str) or not value:
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise AuthenticationError(
                f"token endpoint answer has no {self.token_field!r} string",
                method=response.request.method,
                url=url,
                status_code=response.status_code,
                headers=httpx.Headers(redactor.headers(response.headers)),
            ) from None
        expires = data.get(self.expires_field) if isinstance(data, dict) else None
        seconds = float(expires) if isinstance(expires, (int, float)) else None
        rotated = data.get("refresh_token") if isinstance(data, dict) else None
        return Token.lasting(
            value, seconds, refresh_token=rotated if isinstance(rotated, str) and rotated else None
        )


def from_environment(prefix: str, given: Mapping[str, str | None]) -> dict[str, str | None]:
    """The credentials given in code or, when none of them is, the ``{PREFIX}_{NAME}``
    environment variables (``AIRFLOW_TOKEN``, ``ADYEN_API_KEY``, ...).

    Code wins as a whole: a token in the environment never replaces a username and password
    passed to the client, nor the other way round. A value given in code is kept as it is
    (an empty one is then refused by the auth object, never silently replaced)."""
    if any(value is not None for value in given.values()):
        return dict(given)
    return {name: os.environ.get(f"{prefix}_{name.upper()}") or None for name in given}


def _is_async_callable(fn: object) -> bool:
    """An ``async def`` function, or an object whose ``__call__`` is one."""
    if inspect.iscoroutinefunction(fn):
        return True
    call = None if inspect.isroutine(fn) else inspect.getattr_static(fn, "__call__", None)
    return inspect.iscoroutinefunction(call)


RefreshResult: TypeAlias = str | Token
RefreshHook: TypeAlias = Callable[[], RefreshResult | Awaitable[RefreshResult]]


@dataclass(frozen=True)
class _Refresh:
    """Yielded by the shared flow: get a new token, unless ``stale`` (the token that was
    found expired or refused) has been replaced meanwhile by another request."""

    stale: Token | None


class BearerAuth(Auth):
    """A bearer token, refreshed when it expires or when the server answers 401.

    Give a fixed ``token``, a ``refresh`` callable (sync, or async for async clients) that
    returns a new token, or a :class:`TokenEndpoint`. A 401 triggers one refresh and one
    repeat of the request; a second 401 is raised as :class:`AuthenticationError`.
    ``leeway`` refreshes that many seconds before a known expiry.
    """

    header_names = ("Authorization",)

    def __init__(
        self,
        token: str | Token | None = None,
        *,
        refresh: RefreshHook | None = None,
        token_endpoint: TokenEndpoint | None = None,
        leeway: float = 30.0,
    ) -> None:
        if refresh is not None and token_endpoint is not None:
            raise ConfigurationError("give either refresh or token_endpoint, not both")
        if token is None and refresh is None and token_endpoint is None:
            raise ConfigurationError(
                "bearer auth needs a token, a refresh hook or a token_endpoint"
            )
        if isinstance(token, str):
            token = Token(_require_text("token", token))
        self._token: Token | None = token
        self._refresh = refresh
        self._endpoint = token_endpoint
        self._leeway = leeway
        self._past: list[str] = []
        # One refresh at a time: requests that found the same stale token wait for it
        # instead of each asking for a new one (a rotating refresh token works only once).
        self._sync_lock = threading.Lock()
        self._async_lock: anyio.Lock | None = None  # made on first async use

    @property
    def can_refresh(self) -> bool:
        """True when a new token can be obtained without the user."""
        return self._refresh is not None or self._endpoint is not None

    def secrets(self) -> tuple[str, ...]:
        values = list(self._past)
        if self._token is not None:
            values.append(self._token.value)
            if self._token.refresh_token:
                values.append(self._token.refresh_token)
        if self._endpoint is not None:
            values.extend(self._endpoint.secrets())
        return tuple(values)

    def _expired(self) -> bool:
        token = self._token
        if token is None:
            return True
        return token.expires_at is not None and time.monotonic() >= token.expires_at - self._leeway

    def _store(self, result: object) -> None:
        if isinstance(result, str) and result:
            result = Token(result)
        if not isinstance(result, Token) or not result.value:
            raise ConfigurationError("the bearer refresh hook must return a non-empty str or Token")
        if self._token is not None:
            old = self._token
            kept = [old.value] if old.refresh_token is None else [old.value, old.refresh_token]
            self._past = [*self._past[-6:], *kept]
        self._token = result

    def _flow(self, request: httpx.Request) -> Generator[Any, Any, None]:
        if self._expired() and self.can_refresh:
            yield _Refresh(self._token)
        used = self._token
        if used is None:
            raise ConfigurationError("bearer auth has no token and no way to obtain one")
        request.headers["Authorization"] = f"Bearer {used.value}"
        response = yield request
        if response.status_code == 401 and self.can_refresh:
            yield _Refresh(used)
            assert self._token is not None
            request.headers["Authorization"] = f"Bearer {self._token.value}"
            yield request

    def _sync_hook(self) -> RefreshResult:
        assert self._refresh is not None
        result = self._refresh()
        if inspect.isawaitable(result):
            if inspect.iscoroutine(result):
                result.close()
            raise ConfigurationError("this refresh hook is async; use it with an async client")
        return result

    async def _async_hook(self) -> RefreshResult:
        refresh = self._refresh
        assert refresh is not None
        if _is_async_callable(refresh):
            result = refresh()
        else:
            # a plain function may block (an HTTP call of its own): keep the event loop free
            import anyio.to_thread

            result = await anyio.to_thread.run_sync(refresh)
        if inspect.isawaitable(result):
            result = await result
        return result

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self._flow(request)
        sent: Any = None
        while True:
            try:
                item = flow.send(sent)
            except StopIteration:
                return
            if isinstance(item, _Refresh):
                with self._sync_lock:
                    if self._token is item.stale:  # nobody refreshed meanwhile
                        if self._endpoint is not None:
                            answer = yield self._endpoint.build_request()
                            answer.read()
                            self._store(self._endpoint.parse(answer, self.redactor()))
                        else:
                            self._store(self._sync_hook())
                sent = None
            else:
                sent = yield item

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        flow = self._flow(request)
        sent: Any = None
        while True:
            try:
                item = flow.send(sent)
            except StopIteration:
                return
            if isinstance(item, _Refresh):
                if self._async_lock is None:
                    import anyio

                    self._async_lock = anyio.Lock()
                async with self._async_lock:
                    if self._token is item.stale:  # nobody refreshed meanwhile
                        if self._endpoint is not None:
                            answer = yield self._endpoint.build_request()
                            await answer.aread()
                            self._store(self._endpoint.parse(answer, self.redactor()))
                        else:
                            self._store(await self._async_hook())
                sent = None
            else:
                sent = yield item

    def __repr__(self) -> str:
        how = "endpoint" if self._endpoint else "hook" if self._refresh else "fixed"
        return f"BearerAuth(token=<hidden>, refresh={how})"
