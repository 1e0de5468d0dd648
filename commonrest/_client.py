"""The sync and async clients every API client is built on.

A vendor client subclasses :class:`SyncClient` / :class:`AsyncClient`, declares its
services (base URLs per environment and version suffixes) and exposes resources. All the
logic of a call lives in :mod:`.pipeline` and the modules it hands each step to; the two
classes here only send, sleep and wait for rate-limit permits.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Generic, TypeVar

import httpx
from typing_extensions import Self, Unpack

from . import __version__
from ._auth import NoAuth, RefreshTicket, Token, TokenEndpoint
from ._config import ClientConfig
from ._deadline import bound_sockets, cancel_at, install_backend
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    ClientClosedError,
    CommonRestError,
    ConfigurationError,
    ErrorParser,
    InvalidArgumentError,
    RateLimiterUnavailableError,
    RateLimitTimeoutError,
)
from ._etag import ETagCache
from ._lazy import publish
from ._log import configure_from_env, register_logger
from ._operations import Call, Executor, OperationInfo, PagedCall, Resource
from ._options import CallOptions, Options, Timeout, WithOptions
from ._pipeline import Prepared
from ._ratelimit import RateLimiter  # at run time too: typing.get_type_hints() resolves it
from ._redaction import Redactor, header_redactor
from ._response import APIResponse
from ._response_size import ACCEPT_ENCODING
from ._sending import send_async, send_sync
from ._sentinels import NotGiven
from ._server_limits import LearnedLimits
from ._settings import Setting, declared, expand_changes, expand_settings
from ._token_call import explain_failure, lock_timeout, token_setup, wait_error
from ._tokens import TokenRefresh, check_token_endpoints
from ._tracing import NO_TRACING, Hooks, Tracing, traced, traced_async, tracing_hooks

if TYPE_CHECKING:
    # Loaded by the first paged or streamed call (see _paginate, _stream), not by import.
    from ._pagination import AsyncPager, SyncPager
    from ._services import Service
    from ._streaming import AsyncStream, SyncStream

__all__ = [
    "AsyncClient",
    "AsyncClientOptions",
    "BaseClient",
    "ClientOptions",
    "SyncClient",
    "SyncClientOptions",
]

_H = TypeVar("_H", httpx.Client, httpx.AsyncClient)


def _environment(value: str | None) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ConfigurationError(f"environment must be a string, got {value!r}")
    return value


def _rate_limit(value: RateLimiter | int | None) -> RateLimiter | int | None:
    if isinstance(value, bool):
        raise ConfigurationError("rate_limit must be a RateLimiter or requests per second")
    return value


def _etag_cache(value: ETagCache | bool) -> ETagCache | None:
    if value is True:
        return ETagCache()
    return None if value is False else value


def _instance_of(kind: type[Any], setting: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value is not None and not isinstance(value, kind):
            raise ConfigurationError(
                f"{setting} must be an httpx.{kind.__name__}, got {type(value).__name__}"
            )
        return value

    return check


class ClientOptions(CallOptions, total=False):
    """Keyword settings every client accepts besides its own credentials: the options of
    its calls (:class:`~commonrest.CallOptions`, which ``with_options`` changes
    too) and those fixed when it is built. Each is declared once, here; constructors,
    their signatures and ``help()`` are derived from it (see :mod:`._settings`).

    ``environment`` picks the services' base URLs (the client's default environment when
    not given); ``base_url`` replaces them all, ``base_urls`` one service's (by key),
    ``versions`` a service's version, ``url_variables`` fill URL templates; ``auth`` is
    the default credential and ``credentials`` any named one; ``rate_limit`` is a
    :class:`~commonrest.RateLimiter` or requests per second; ``etag_cache`` caches GETs
    by ETag (``True``: a new cache); ``auto_idempotency_keys`` sends a generated key with
    every unsafe call to a service that takes one; ``learn_rate_limits`` paces calls by the
    budget the server announces in its rate-limit headers (see :class:`~commonrest.ServerLimit`),
    so the last requests of a window are spread out rather than answered 429;
    ``limits`` sizes the connection pool.
    """

    environment: Annotated[str | None, Setting(None, _environment)]
    auth: httpx.Auth | None
    credentials: Mapping[str, httpx.Auth] | None
    base_url: str | None
    base_urls: Mapping[str, str] | None
    versions: Mapping[str, str] | None
    url_variables: Mapping[str, str] | None
    rate_limit: Annotated[RateLimiter | int | None, Setting(None, _rate_limit)]
    etag_cache: Annotated[ETagCache | bool, Setting(False, _etag_cache)]
    auto_idempotency_keys: Annotated[bool, Setting(True)]
    learn_rate_limits: Annotated[bool, Setting(True)]
    limits: httpx.Limits | None
    tracing: Annotated[bool | Tracing, Setting(False)]


class SyncClientOptions(ClientOptions, total=False):
    """:class:`ClientOptions` plus the blocking client's own pool or transport."""

    http_client: Annotated[
        httpx.Client | None, Setting(None, _instance_of(httpx.Client, "http_client"))
    ]
    transport: httpx.BaseTransport | None


class AsyncClientOptions(ClientOptions, total=False):
    """:class:`ClientOptions` plus the async client's own pool or transport."""

    http_client: Annotated[
        httpx.AsyncClient | None, Setting(None, _instance_of(httpx.AsyncClient, "http_client"))
    ]
    transport: httpx.AsyncBaseTransport | None


#: The class attributes a client class is declared with (see :class:`BaseClient`): read by
#: the core, never called by a user of the client, so ``dir()`` leaves them out.
_DECLARATION = frozenset(
    {
        "services",
        "default_environment",
        "error_parsers",
        "env_prefix",
        "logger_name",
        "credential_sources",
        "sensitive_fields",
    }
)
#: The dunder methods ``dir()`` keeps: a client is used in ``with`` / ``async with``.
_PROTOCOL = frozenset({"__enter__", "__exit__", "__aenter__", "__aexit__"})

#: Connection pool defaults: generous enough for concurrency 50 on one client.
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=50)


class _Pool(Generic[_H]):
    """The httpx client behind a client and its copies, and what closing them releases.

    Re-created after a fork when we own it, so processes forked by gunicorn or celery never
    share sockets. ``limiter`` is a rate limiter the client created itself (never one the
    user passed in); :meth:`release` hands out what we own exactly once, whichever of the
    client and its ``with_options`` copies is closed first.
    """

    __slots__ = ("_client", "_factory", "_pid", "closed", "limiter", "owned")
    _client: _H
    _factory: Callable[[], _H]

    def __init__(
        self,
        client: _H,
        owned: bool,
        factory: Callable[[], _H],
        limiter: RateLimiter | None = None,
    ) -> None:
        self._client = client
        self.owned = owned
        self._factory = factory
        self._pid = os.getpid()
        self.limiter = limiter
        self.closed = False

    @classmethod
    def of(
        cls,
        kind: type[_H],
        given: _H | None,
        kwargs: dict[str, Any],
        limiter: RateLimiter | None,
    ) -> _Pool[_H]:
        """The pool of a client: ``given`` (an ``http_client`` of the user's, which we never
        close) or one we create from ``kwargs``."""

        def factory() -> _H:
            client = kind(**kwargs)
            if isinstance(client, httpx.Client):
                install_backend(client)  # never into an http_client of yours: see .deadline
            return client

        return cls(
            given if given is not None else factory(),
            owned=given is None,
            factory=factory,
            limiter=limiter,
        )

    def get(self) -> _H:
        if self.closed:
            raise ClientClosedError(
                "this client is closed (by close(), a with block, or a with_options copy "
                "sharing its pool); create a new one"
            )
        if self.owned and self._pid != os.getpid():
            self._client = self._factory()
            self._pid = os.getpid()
        return self._client

    def release(self) -> tuple[_H | None, RateLimiter | None]:
        """The httpx client and rate limiter to close: what we own, the first time only."""
        if self.closed:
            return None, None
        self.closed = True
        return (self._client if self.owned else None), self.limiter


class BaseClient(Executor):
    """Configuration shared by sync and async clients. Not used directly.

    Class attributes a vendor client sets:

    - ``services``: service key -> :class:`~commonrest.Service`;
    - ``default_environment``: the environment used when none is given;
    - ``error_parsers``: vendor error-body parsers, tried in order;
    - ``env_prefix``: reads ``{PREFIX}_BASE_URL`` when no ``base_url`` is passed;
    - ``logger_name``: the package logger calls are logged to;
    - ``credential_sources``: credential name -> how a caller supplies it (``"api_key=...
      or ADYEN_API_KEY"``). A client whose ``"default"`` credential is listed there refuses
      to be built without it, unless given ``auth=NoAuth()`` on purpose; another listed
      credential is needed only by the operations it signs, whose calls then say how to
      supply it;
    - ``sensitive_fields``: JSON member names whose values are card or bank data (a CVC,
      an expiry date, an encrypted card field): replaced in everything an error or a log
      line keeps (see :mod:`commonrest._redaction`).
    """

    services: ClassVar[Mapping[str, Service]] = {}
    default_environment: ClassVar[str] = "test"
    error_parsers: ClassVar[tuple[ErrorParser, ...]] = ()
    env_prefix: ClassVar[str] = ""
    logger_name: ClassVar[str] = "commonrest"
    credential_sources: ClassVar[Mapping[str, str]] = {}
    sensitive_fields: ClassVar[frozenset[str]] = frozenset()

    _config: ClientConfig
    _options: Options
    _raw: bool
    _pool: _Pool[Any]
    #: The settings ``TypedDict`` of the class (what its constructor takes) and the kind
    #: of httpx client its pool holds.
    _settings_type: ClassVar[type]
    _http_class: ClassVar[type]
    _tracing: Hooks = NO_TRACING

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The core knows no package's name: each client class brings its own logger.
        register_logger(cls.logger_name)

    def _resolve_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        """Turn a vendor's own keywords (``api_key=...``, ``live_url_prefix=...``) into the
        core's settings (credentials, URL variables); a vendor's setup overrides it."""
        return settings

    def _open(self, settings: Mapping[str, Any]) -> None:
        """Build the client from every declared setting (those not given at their
        default): the vendor's keywords resolved, each setting checked, then the pool."""
        resolved = self._resolve_settings(dict(settings))
        per_call = declared(CallOptions)  # checked by Options.changed
        for name, (_, setting) in declared(self._settings_type).items():
            if setting.check is not None and name not in per_call:
                resolved[name] = setting.check(resolved[name])
        created = self._configure(resolved)
        http_client, transport = resolved["http_client"], resolved["transport"]
        if http_client is not None and transport is not None:
            raise ConfigurationError("give either http_client or transport, not both")
        self._pool = _Pool.of(
            self._http_class,
            http_client,
            _client_kwargs(self._options.timeout, transport, resolved["limits"]),
            limiter=created,
        )

    def _configure(self, settings: Mapping[str, Any]) -> RateLimiter | None:
        """Resolve the settings that depend on one another and on the class's services;
        return the rate limiter created here, if any (the client owns and closes it; a
        limiter the user passed in is theirs)."""
        configure_from_env()
        environment = settings["environment"] or self.default_environment
        base_url = settings["base_url"]
        if base_url is None and self.env_prefix:
            base_url = os.environ.get(f"{self.env_prefix}_BASE_URL") or None
        versions = settings["versions"] or {}
        overrides = dict(settings["base_urls"] or {})
        unknown = set(overrides) | set(versions)
        unknown -= set(self.services)
        if unknown:
            raise ConfigurationError(
                f"unknown service(s) {sorted(unknown)} in base_urls/versions "
                f"(known: {sorted(self.services)})"
            )
        resolved: dict[str, str] = {}
        for key, service in self.services.items():
            resolved[key] = service.resolve(
                environment,
                version=versions.get(key),
                variables=settings["url_variables"],
                base_url=overrides.get(key, base_url),
            )
        creds: dict[str, httpx.Auth] = dict(settings["credentials"] or {})
        if settings["auth"] is not None:
            creds["default"] = settings["auth"]
        given_creds = set(creds)
        creds.setdefault("default", NoAuth())
        for name, cred in creds.items():
            if not isinstance(cred, httpx.Auth):
                raise ConfigurationError(
                    f"credential {name!r} must be an auth object (APIKeyAuth, BasicAuth, "
                    f"BearerAuth, or any httpx.Auth), got {type(cred).__name__}"
                )
        check_token_endpoints(creds, self.services)
        redactor = header_redactor(settings["headers"] or {})
        if self.sensitive_fields:
            redactor = redactor.merged(Redactor(fields=self.sensitive_fields))
        for cred in creds.values():
            maker = getattr(cred, "redactor", None)
            if callable(maker):
                redactor = redactor.merged(maker())
        options = Options().changed(**{name: settings[name] for name in declared(CallOptions)})
        rate_limit = settings["rate_limit"]
        created: RateLimiter | None = None
        if isinstance(rate_limit, int):
            from ._ratelimit import RateLimiter

            rate_limit = created = RateLimiter(rate_limit)
        if "default" not in given_creds:
            # after every other setting: a malformed one is reported first
            needed = self.credential_sources.get("default")
            if needed is not None:
                raise ConfigurationError(
                    f"{type(self).__name__} needs a credential: {needed}; pass "
                    "auth=NoAuth() to send requests without credentials on purpose"
                )
        self._config = ClientConfig(
            base_urls=resolved,
            services=dict(self.services),
            credentials=creds,
            redactor=redactor,
            error_parsers=tuple(self.error_parsers),
            default_headers={
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
                "User-Agent": f"commonrest/{__version__} httpx/{httpx.__version__}",
            },
            rate_limiter=rate_limit,
            etag_cache=settings["etag_cache"],
            auto_idempotency_keys=settings["auto_idempotency_keys"],
            learned_limits=LearnedLimits() if settings["learn_rate_limits"] else None,
            logger=logging.getLogger(self.logger_name),
            credential_sources=dict(self.credential_sources),
        )
        self._options = options
        self._raw = False
        self._tracing = tracing_hooks(settings["tracing"])
        return created

    # ----------------------------------------------------------------- introspection

    def __dir__(self) -> list[str]:
        """What a user of the client reaches (its resources, ``with_options``,
        ``with_raw_response``, ``close``, the documented properties, the context manager
        methods): not the attributes its class is declared with, nor internals."""
        return sorted(
            name
            for name in super().__dir__()
            if name in _PROTOCOL or not (name.startswith("_") or name in _DECLARATION)
        )

    @property
    def environment_urls(self) -> Mapping[str, str]:
        """The resolved base URL of every service this client talks to."""
        return dict(self._config.base_urls)

    @property
    def options(self) -> Options:
        """The transport options calls made through this client use."""
        return self._options

    def __repr__(self) -> str:
        urls = ", ".join(f"{k}={v}" for k, v in self._config.base_urls.items())
        return f"<{type(self).__name__} {urls}>"

    # ----------------------------------------------------------------- copies

    def _copy(self) -> Self:
        new = object.__new__(type(self))
        new.__dict__.update({k: v for k, v in self.__dict__.items() if not isinstance(v, Resource)})
        return new

    @expand_changes
    def with_options(self, **changes: Unpack[WithOptions]) -> Self:
        """A copy of this client whose calls use changed options; it shares the connection
        pool, credentials and rate limiter. Cheap enough to use per call::

            client.with_options(timeout=5, idempotency_key="order-17").payments.authorise(...)

        The options are those of :class:`~commonrest.WithOptions`; one not given
        keeps its value. An ``idempotency_key`` serves one call: a second create through
        the same copy is refused instead of being sent with the key of the first. A
        refused option raises :class:`~commonrest.InvalidArgumentError` naming it
        (these are the options of the calls to come, where the constructor's settings
        raise :class:`~commonrest.ConfigurationError`).
        """
        new = self._copy()
        try:
            headers = changes.get("headers")
            if headers and not isinstance(headers, NotGiven):
                extra = header_redactor(headers)
                if extra.has_secrets():
                    new._config = dataclasses.replace(
                        self._config, redactor=self._config.redactor.merged(extra)
                    )
            new._options = self._options.changed(**changes)
        except ConfigurationError as exc:
            # the options of the calls to come: an argument error, not a setting's
            raise InvalidArgumentError(str(exc)) from None
        return new

    def _raw_copy(self) -> Self:
        new = self._copy()
        new._raw = True
        return new

    def _prepare(self, info: OperationInfo, call: Call[Any]) -> Prepared:
        try:
            return Prepared(self._config, self._options, info, call)
        except CommonRestError as error:  # a refused body or argument names its call too
            error._name_operation(info.python_name, info.operation_id)
            raise

    def _pace(self, p: Prepared) -> float:
        """Seconds to wait before asking again so as to stay within the budget the server
        announced; 0 when the attempt may go (it is then counted). A wait beyond what
        the call may spend (its deadline, or the retry policy's cap on a server-requested
        wait) raises the error of a refused permit instead, before anything is sent."""
        learned = self._config.learned_limits
        if learned is None:
            return 0.0
        wait = learned.reserve(p.request.url.host)
        if wait <= 0:
            return 0.0
        budget, by_deadline = p.permit_wait(p.policy.retry_after_cap_seconds)
        if wait > budget:
            refused = RateLimitTimeoutError(
                f"the server's announced rate limit asks to wait {wait:.3g}s, more than the "
                f"{budget:.3g}s this call may wait",
                max_wait=budget,
            )
            raise p.permit_error(refused, by_deadline)
        return wait

    def _retry_delay(self, p: Prepared, error: APIError) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` to raise ``error``: the
        policy's decision, which only reads and counts the call. Both loops call this."""
        delay = p.next_delay(error)
        learned = self._config.learned_limits
        if learned is not None and isinstance(error, APIConnectionError):
            # No answer will come to take it off: counted on, it would shrink every later
            # announcement of the budget until callers were held for a budget not spent.
            learned.release(p.request.url.host)
        limiter = self._config.rate_limiter
        if (
            limiter is not None
            and isinstance(error, APIStatusError)
            and error.status_code == 429
            and error.retry_after is not None
        ):
            # Every caller of the client backs off, whether or not this call retries; a
            # wait above the policy's cap holds the others for the cap only.
            limiter.pause(min(error.retry_after, p.policy.retry_after_cap_seconds))
        return delay

    def _token_client(self, p: Prepared, endpoint: TokenEndpoint) -> Self:
        """A copy of this client that sends the token request call ``p`` needs."""
        new = self._copy()
        new._config, new._options = token_setup(self._config, p, endpoint)
        return new

    def _saw_response(self, p: Prepared, response: httpx.Response, started: float) -> None:
        """Every response of an attempt, redirect hops included: traced, learnt from, logged."""
        self._tracing.response(response)
        learned = self._config.learned_limits
        if learned is not None:
            learned.learn(response.request.url.host, response.headers)
        log = self._config.logger
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s: %s %s -> %d in %.1f ms (attempt %d)",
                p.info.label,
                p.info.method,
                p.safe_url(response.request.url),
                response.status_code,
                (time.monotonic() - started) * 1000,
                p.state.attempt,
                extra=p.info.log_extra(),
            )


def _raw_response(result: Any, response: httpx.Response, p: Prepared) -> APIResponse[Any]:
    """What ``with_raw_response`` returns for a finished call."""
    return APIResponse(
        response,
        result,
        attempts=p.state.attempt,
        elapsed=time.monotonic() - p.state.started,
        idempotency_key=p.idempotency_key,
    )


def _client_kwargs(timeout: Timeout, transport: Any, limits: httpx.Limits | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "timeout": timeout.as_httpx(),
        "follow_redirects": False,
        "limits": limits or DEFAULT_LIMITS,
    }
    if transport is not None:
        kwargs["transport"] = transport
    return kwargs


class SyncClient(BaseClient):
    """Base of the blocking clients (one ``httpx.Client`` connection pool)."""

    _settings_type: ClassVar[type] = SyncClientOptions
    _http_class: ClassVar[type] = httpx.Client
    _pool: _Pool[httpx.Client]

    @expand_settings
    def __init__(self, **settings: Unpack[SyncClientOptions]) -> None:
        self._open(settings)

    # ----------------------------------------------------------------- the loop

    def _send(self, p: Prepared, timeout: dict[str, float | None]) -> httpx.Response:
        http = self._pool.get()
        owned = self._pool.owned  # then httpx's client layers are skipped: see .sending
        request: httpx.Request = p.request
        auth: httpx.Auth | None = p.auth
        hops = 0
        while True:
            request.extensions["timeout"] = timeout
            started = time.monotonic()
            failure: APIError | None = None
            try:
                if owned:
                    response = send_sync(http, request, auth)
                else:
                    response = http.send(request, auth=auth, follow_redirects=False, stream=True)
                try:
                    p.guard_body(response)
                    if p.reads_body(response):
                        response.read()
                except BaseException:
                    response.close()
                    raise
            except httpx.HTTPError as exc:
                failure = p.transport_error(exc)
            if failure is not None:
                # Raised out here so the httpx error (whose request holds the credential)
                # is not kept as the context of ours.
                raise failure
            self._saw_response(p, response, started)
            follow = p.redirect(response, hops)
            if follow is None:
                return response
            response.close()
            request, same_origin = follow
            auth = p.auth if same_origin else None
            hops += 1

    def _refresh_token(self, p: Prepared, refresh: TokenRefresh, ticket: RefreshTicket) -> None:
        wait = lock_timeout(p)
        lock = refresh.lock()
        if not lock.acquire(timeout=-1 if wait is None else wait):
            raise wait_error(p, "waiting for another request's token refresh")
        try:
            if not refresh.wanted(ticket):
                return  # another request refreshed it meanwhile
            endpoint = refresh.endpoint
            if endpoint is None:
                refresh.store(refresh.run_hook())
                return
            client = self._token_client(p, endpoint)
            try:
                token: Token = client._run(endpoint.operation(), endpoint.call())[0]
            except APIError as error:
                explain_failure(error, endpoint, p)
                raise
            refresh.store(token)
        finally:
            lock.release()

    @traced
    def _run(self, info: OperationInfo, call: Call[Any]) -> tuple[Any, httpx.Response, Prepared]:
        p = self._prepare(info, call)
        limiter = self._config.rate_limiter
        refresh = p.refresh
        while True:
            if refresh is not None:
                ticket = refresh.before_attempt()
                if ticket is not None:  # before the permit: the token request takes its own
                    self._refresh_token(p, refresh, ticket)
            if limiter is not None:
                wait, by_deadline = p.permit_wait(limiter.max_wait)
                failure: APIError | None = None
                try:
                    with self._tracing.permit():
                        limiter.acquire(wait)
                except (RateLimitTimeoutError, RateLimiterUnavailableError) as exc:
                    failure = p.permit_error(exc, by_deadline)
                if failure is not None:
                    raise failure
            # After the permit, so that a refused permit leaves the server's budget uncounted.
            pause = self._pace(p)
            while pause:
                with self._tracing.permit():
                    time.sleep(pause)
                pause = self._pace(p)
            try:
                timeout = p.attempt_timeout()  # after any wait for a permit
                with self._tracing.attempt(p), bound_sockets(p.state.remaining()):
                    response = self._send(p, timeout)
                if refresh is not None and refresh.repeat_after(response):
                    continue
                return p.finish(response), response, p
            except APIError as error:
                delay = self._retry_delay(p, error)
                if delay is None:
                    raise
                self._tracing.retry_wait(delay, error)
                time.sleep(delay)

    def _execute(self, info: OperationInfo, call: Call[Any]) -> Any:
        result, response, p = self._run(info, call)
        return _raw_response(result, response, p) if self._raw else result

    def _run_page(self, info: OperationInfo, call: Call[Any]) -> tuple[Any, APIResponse[Any]]:
        result, response, p = self._run(info, call)
        return result, _raw_response(result, response, p)

    def _paginate(self, info: OperationInfo, call: PagedCall[Any, Any]) -> SyncPager[Any]:
        from ._pagination import SyncPager

        return SyncPager(self, info, call)

    def _stream(self, info: OperationInfo, call: Call[Any]) -> SyncStream[Any]:
        from ._streaming import SyncStream

        return SyncStream(self, info, call)

    # ----------------------------------------------------------------- lifecycle

    def close(self) -> None:
        """Close what this client created: its connection pool and rate limiter (not an
        ``http_client`` or ``RateLimiter`` passed in). Closing a ``with_options`` copy closes
        the client it was made from, as they share one pool."""
        http, limiter = self._pool.release()
        if http is not None:
            http.close()
        if limiter is not None:
            limiter.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(BaseClient):
    """Base of the asynchronous clients (one ``httpx.AsyncClient`` connection pool).

    ``transport`` accepts any ``httpx.AsyncBaseTransport``, such as the aiohttp-backed one
    from :func:`commonrest.aiohttp_transport` for high concurrency.
    """

    _settings_type: ClassVar[type] = AsyncClientOptions
    _http_class: ClassVar[type] = httpx.AsyncClient
    _pool: _Pool[httpx.AsyncClient]

    @expand_settings
    def __init__(self, **settings: Unpack[AsyncClientOptions]) -> None:
        self._open(settings)

    async def _send(self, p: Prepared, timeout: dict[str, float | None]) -> httpx.Response:
        http = self._pool.get()
        owned = self._pool.owned  # then httpx's client layers are skipped: see .sending
        request: httpx.Request = p.request
        auth: httpx.Auth | None = p.auth
        hops = 0
        while True:
            request.extensions["timeout"] = timeout
            started = time.monotonic()
            failure: APIError | None = None
            try:
                if owned:
                    response = await send_async(http, request, auth)
                else:
                    response = await http.send(
                        request, auth=auth, follow_redirects=False, stream=True
                    )
                try:
                    p.guard_body(response)
                    if p.reads_body(response):
                        await response.aread()
                except BaseException:
                    await response.aclose()
                    raise
            except httpx.HTTPError as exc:
                failure = p.transport_error(exc)
            if failure is not None:
                raise failure  # outside the except: see the sync client
            self._saw_response(p, response, started)
            follow = p.redirect(response, hops)
            if follow is None:
                return response
            await response.aclose()
            request, same_origin = follow
            auth = p.auth if same_origin else None
            hops += 1

    async def _refresh_token(
        self, p: Prepared, refresh: TokenRefresh, ticket: RefreshTicket
    ) -> None:
        import anyio

        lock = refresh.async_lock()
        try:
            with anyio.fail_after(lock_timeout(p)):
                await lock.acquire()
        except TimeoutError:
            raise wait_error(p, "waiting for another request's token refresh") from None
        try:
            if not refresh.wanted(ticket):
                return  # another task refreshed it meanwhile
            endpoint = refresh.endpoint
            if endpoint is None:
                refresh.store(await refresh.run_hook_async())
                return
            client = self._token_client(p, endpoint)
            try:
                token: Token = (await client._run(endpoint.operation(), endpoint.call()))[0]
            except APIError as error:
                explain_failure(error, endpoint, p)
                raise
            refresh.store(token)
        finally:
            lock.release()

    @traced_async
    async def _run(
        self, info: OperationInfo, call: Call[Any]
    ) -> tuple[Any, httpx.Response, Prepared]:
        import anyio

        p = self._prepare(info, call)
        limiter = self._config.rate_limiter
        refresh = p.refresh
        while True:
            if refresh is not None:
                ticket = refresh.before_attempt()
                if ticket is not None:  # before the permit: the token request takes its own
                    await self._refresh_token(p, refresh, ticket)
            if limiter is not None:
                wait, by_deadline = p.permit_wait(limiter.max_wait)
                failure: APIError | None = None
                try:
                    with self._tracing.permit():
                        await limiter.acquire_async(wait)
                except (RateLimitTimeoutError, RateLimiterUnavailableError) as exc:
                    failure = p.permit_error(exc, by_deadline)
                if failure is not None:
                    raise failure
            # After the permit, so that a refused permit leaves the server's budget uncounted.
            pause = self._pace(p)
            while pause:
                with self._tracing.permit():
                    await anyio.sleep(pause)
                pause = self._pace(p)
            try:
                timeout = p.attempt_timeout()  # after any wait for a permit
                with self._tracing.attempt(p), cancel_at(p.state.remaining(), p.deadline_error):
                    response = await self._send(p, timeout)
                if refresh is not None and refresh.repeat_after(response):
                    continue
                return p.finish(response), response, p
            except APIError as error:
                delay = self._retry_delay(p, error)
                if delay is None:
                    raise
                self._tracing.retry_wait(delay, error)
                await anyio.sleep(delay)

    async def _execute(self, info: OperationInfo, call: Call[Any]) -> Any:
        result, response, p = await self._run(info, call)
        return _raw_response(result, response, p) if self._raw else result

    async def _run_page(self, info: OperationInfo, call: Call[Any]) -> tuple[Any, APIResponse[Any]]:
        result, response, p = await self._run(info, call)
        return result, _raw_response(result, response, p)

    def _paginate(self, info: OperationInfo, call: PagedCall[Any, Any]) -> AsyncPager[Any]:
        from ._pagination import AsyncPager

        return AsyncPager(self, info, call)

    def _stream(self, info: OperationInfo, call: Call[Any]) -> AsyncStream[Any]:
        from ._streaming import AsyncStream

        return AsyncStream(self, info, call)

    async def close(self) -> None:
        """Close what this client created: its connection pool and rate limiter (not an
        ``http_client`` or ``RateLimiter`` passed in). Closing a ``with_options`` copy closes
        the client it was made from, as they share one pool."""
        http, limiter = self._pool.release()
        if http is not None:
            await http.aclose()
        if limiter is not None:
            limiter.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


publish(__name__, globals())
