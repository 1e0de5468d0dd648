"""Credentials: API key in a header of the service's choosing, HTTP basic, bearer with
refresh, or none.

Each credential is an :class:`httpx.Auth`, so httpx applies it per request and our one
request pipeline serves sync and async clients. Credentials know their own secrets so the
redaction policy can remove them from logs and errors; their ``repr`` never shows them.
"""

from __future__ import annotations

import base64
import inspect
import os
import threading
import time
from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias
from urllib.parse import urlencode

import httpx
import pydantic

from ._errors import ConfigurationError
from ._headers import header_value_problem
from ._lazy import publish
from ._redaction import Redactor

if TYPE_CHECKING:
    import anyio

    from ._operations import Call, OperationInfo

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


#: Where a token endpoint given as an absolute URL (not on one of the client's services)
#: is routed, and the credential of a token request that declares none. Neither name can
#: be a service or credential name a vendor declares.
OWN_ORIGIN = "(token endpoint)"
NO_CREDENTIAL = "(none)"


@lru_cache(maxsize=32)
def _answer_model(token_field: str, expires_field: str) -> type[pydantic.BaseModel]:
    """What a token endpoint answers: the token (a non-empty string, required), its
    lifetime and a rotated refresh token (both read leniently, as servers differ)."""
    model: type[pydantic.BaseModel] = pydantic.create_model(
        "TokenAnswer",
        __config__=pydantic.ConfigDict(extra="ignore"),
        token=(str, pydantic.Field(alias=token_field, min_length=1)),
        expires=(Any, pydantic.Field(default=None, alias=expires_field)),
        rotated=(Any, pydantic.Field(default=None, alias="refresh_token")),
    )
    return model


@dataclass(frozen=True)
class TokenEndpoint:
    """An endpoint that hands out bearer tokens, such as ``POST /auth/token``.

    ``url`` is either an absolute URL, or, with ``api``, a path on that service of the
    client (so ``base_urls={api: ...}`` moves it with the rest of the service). The body is
    sent as JSON (``json``) or as a form (``form``); the token is read from
    ``token_field`` and its lifetime (seconds) from ``expires_field`` when present.
    ``credential`` names the client credential that signs the token request itself (none
    by default). ``name`` and ``operation_id`` are how errors and logs name the request.
    Without a lifetime field, a JWT's ``exp`` claim gives the lifetime (read, not verified:
    see :mod:`commonrest._jwt`).

    ``rejects`` tells, for a response other than a 401, whether the server refused the
    token itself (Airflow 3 answers 403 ``Invalid JWT token`` for a token signed with a
    secret it no longer has); such a response earns the same one refresh and one repeat as
    a 401. ``not_found_hint`` is added to the error when the endpoint answers 404 (which
    other kind of server the URL may be pointing at).

    The token request is a call like any other of the client: same connection pool, rate
    limiter, error parsers, logging and retry rules (a POST is repeated only when it
    provably never left), bounded by what is left of the deadline of the call that needs
    the token.
    """

    url: str
    json: Mapping[str, Any] | None = None
    form: Mapping[str, str] | None = None
    method: str = "POST"
    token_field: str = "access_token"
    expires_field: str = "expires_in"
    api: str | None = None
    credential: str | None = None
    name: str = "token"
    operation_id: str = "token"
    rejects: Callable[[httpx.Response], bool] | None = None
    not_found_hint: str = ""

    def __post_init__(self) -> None:
        if self.json is not None and self.form is not None:
            raise ConfigurationError("a token endpoint takes either json or form, not both")
        if not isinstance(self.url, str) or not self.url:
            raise ConfigurationError("token endpoint url must be a URL or, with api, a path")
        if self.api is not None:
            if not self.url.startswith("/"):
                raise ConfigurationError(
                    f"token endpoint url must be a path starting with '/' when api is given, "
                    f"got {self.url!r}"
                )
            return
        try:
            parsed = httpx.URL(self.url)
        except (httpx.InvalidURL, TypeError):
            parsed = None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
            raise ConfigurationError(
                f"token endpoint url must be an absolute http(s) URL (or a path with api=), "
                f"got {self.url!r}"
            )

    @classmethod
    def from_operation(
        cls,
        info: OperationInfo,
        *,
        json: Mapping[str, Any] | None = None,
        form: Mapping[str, str] | None = None,
        token_field: str = "access_token",
        expires_field: str = "expires_in",
        name: str | None = None,
        rejects: Callable[[httpx.Response], bool] | None = None,
        not_found_hint: str = "",
    ) -> TokenEndpoint:
        """The token endpoint a spec declares as an operation: its method, path, service
        and credential come from the declaration."""
        return cls(
            info.path,
            json=json,
            form=form,
            method=info.method,
            token_field=token_field,
            expires_field=expires_field,
            api=info.api,
            credential=info.credential,
            name=name or f"{info.api}.{info.python_name or info.operation_id}",
            operation_id=info.operation_id,
            rejects=rejects,
            not_found_hint=not_found_hint,
        )

    def __repr__(self) -> str:
        return f"TokenEndpoint(url={self.url!r}, body=<hidden>)"

    def secrets(self) -> tuple[str, ...]:
        """Every value of the request body (refresh tokens, passwords, client secrets, ...)
        except those of plain fields such as ``grant_type``, ``client_id`` or ``scope``."""
        body: Mapping[str, Any] = self.json or self.form or {}
        return tuple(_secret_values(body))

    def operation(self) -> OperationInfo:
        """The declaration of the token request, routed like any operation."""
        from ._operations import OperationInfo

        return OperationInfo(
            method=self.method.upper(),
            path=self.url if self.api is not None else "/",
            operation_id=self.operation_id,
            api=self.api if self.api is not None else OWN_ORIGIN,
            version="",
            python_name=self.name,
            credential=self.credential or NO_CREDENTIAL,
        )

    def call(self) -> Call[Token]:
        """The per-call part of the token request: its body, and how the answer becomes
        a :class:`Token` (a body without the token is an ``APIDecodeError``)."""
        from ._operations import Call

        model = _answer_model(self.token_field, self.expires_field)
        call: Call[Token]
        if self.json is not None:
            call = Call(model, json=dict(self.json), finish=_token_of)
        elif self.form is not None:
            call = Call(
                model,
                content=urlencode(dict(self.form), doseq=True).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                finish=_token_of,
            )
        else:
            call = Call(model, finish=_token_of)
        if self.api is None:
            call.url = self.url
        return call


def _token_of(answer: Any, response: httpx.Response) -> Token:
    expires = answer.expires
    seconds = (
        float(expires)
        if isinstance(expires, (int, float)) and not isinstance(expires, bool)
        else None
    )
    if seconds is None:
        from ._jwt import jwt_lifetime

        seconds = jwt_lifetime(answer.token)
    rotated = answer.rotated
    return Token.lasting(
        answer.token,
        seconds,
        refresh_token=rotated if isinstance(rotated, str) and rotated else None,
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
class RefreshTicket:
    """A request for a new token, unless ``stale`` (the token that was found expired or
    refused) has been replaced meanwhile by another request."""

    stale: object


#: The ticket of a request refused with a token that has already been replaced.
_REPLACED = object()


class BearerAuth(Auth):
    """A bearer token, refreshed when it expires or when the server answers 401.

    Give a fixed ``token``, a ``refresh`` callable (sync, or async for async clients) that
    returns a new token, or a :class:`TokenEndpoint`. A 401 triggers one refresh and one
    repeat of the request; a second 401 is raised as :class:`AuthenticationError`.
    ``leeway`` refreshes that many seconds before a known expiry. Requests that find the
    same stale token share one refresh. A plain refresh hook on an async client runs in a
    worker thread.

    The client does the refreshing (before an attempt, and after a 401): the token request
    goes through its pipeline like any call (:mod:`commonrest._tokens`). Used with a bare
    ``httpx`` client, this credential only sends the token it holds.
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

    @property
    def token_endpoint(self) -> TokenEndpoint | None:
        """The endpoint new tokens come from, when there is one."""
        return self._endpoint

    def _stale(self) -> RefreshTicket | None:
        """Before an attempt: a ticket when the token is missing or expired and a new one
        can be had."""
        if self.can_refresh and self._expired():
            return RefreshTicket(self._token)
        return None

    def _refused(self, request: httpx.Request) -> RefreshTicket | None:
        """After a 401 to ``request``: a ticket when this credential signed it (a hop to
        another origin carries no token, and its 401 says nothing about ours)."""
        if not self.can_refresh:
            return None
        sent = request.headers.get("authorization", "")
        if not sent.startswith("Bearer "):
            return None
        current = self._token
        if current is not None and sent == f"Bearer {current.value}":
            return RefreshTicket(current)
        return RefreshTicket(_REPLACED)

    def _wanted(self, ticket: RefreshTicket) -> bool:
        """Under the refresh lock: whether the ticket's token is still the current one."""
        return self._token is ticket.stale

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # Fetching and refreshing is the client's (see commonrest._tokens): the token
        # request is a call of its own, with the deadline, limiter and errors of any call.
        used = self._token
        if used is None:
            raise ConfigurationError("bearer auth has no token and no way to obtain one")
        request.headers["Authorization"] = f"Bearer {used.value}"
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

    def _lock(self) -> threading.Lock:
        return self._sync_lock

    def _alock(self) -> anyio.Lock:
        if self._async_lock is None:
            import anyio

            self._async_lock = anyio.Lock()
        return self._async_lock

    def __repr__(self) -> str:
        how = "endpoint" if self._endpoint else "hook" if self._refresh else "fixed"
        return f"BearerAuth(token=<hidden>, refresh={how})"


publish(__name__, globals())
