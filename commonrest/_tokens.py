"""How a client gets bearer tokens: through its own pipeline, like any call.

A :class:`~commonrest.BearerAuth` with a refresh hook or a
:class:`~commonrest.TokenEndpoint` only holds the token and sets the header. The
client asks, before every attempt, whether the token is missing or expired, and after a
401, whether this credential signed the refused request; when a token is needed it runs
the token request itself:

- as a call of its own (:meth:`TokenEndpoint.operation` and :meth:`TokenEndpoint.call`)
  on the service that owns it (``base_urls`` apply), sent by the client's normal loop:
  the rate limiter counts it, error parsers read its error body, errors are the usual
  typed classes and name the token URL, logging is the client's;
- with what is left of the deadline of the call that needs the token (waiting for
  another request's refresh counts too), the client's per-attempt timeouts and retry
  policy (a token POST is repeated only when it provably never left, or its service
  dedupes by key), never the caller's idempotency key or headers, and no credential
  unless the endpoint names one;
- once for every request that found the same stale token (a lock per credential), so a
  rotating refresh token is used once.

A 401 earns one refresh and one repeat per call; the repeat is not counted as a retry.
This module holds what the sync and async loops share; they only lock, send and await.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

import httpx

from ._auth import (
    NO_CREDENTIAL,
    OWN_ORIGIN,
    BearerAuth,
    NoAuth,
    RefreshResult,
    RefreshTicket,
    TokenEndpoint,
)
from ._errors import (
    APIDecodeError,
    APIError,
    ConfigurationError,
    DeadlineExceededError,
    NotFoundError,
)
from ._options import Options

if TYPE_CHECKING:
    import anyio

    from ._config import ClientConfig
    from ._pipeline import Prepared
    from ._services import Service

__all__ = [
    "TokenRefresh",
    "check_token_endpoints",
    "explain_failure",
    "lock_timeout",
    "token_setup",
    "wait_error",
]


class TokenRefresh:
    """One call's dealings with its refreshable bearer credential."""

    __slots__ = ("_pending", "_repeated", "auth")

    def __init__(self, auth: BearerAuth) -> None:
        self.auth = auth
        self._pending: RefreshTicket | None = None
        self._repeated = False

    @staticmethod
    def of(auth: httpx.Auth) -> TokenRefresh | None:
        """The refresh state for a call signed by ``auth``; ``None`` when it cannot refresh."""
        if isinstance(auth, BearerAuth) and auth.can_refresh:
            return TokenRefresh(auth)
        return None

    def before_attempt(self) -> RefreshTicket | None:
        """What to refresh before the next attempt: after a 401, or a missing or expired
        token."""
        pending, self._pending = self._pending, None
        return pending if pending is not None else self.auth._stale()

    @property
    def endpoint(self) -> TokenEndpoint | None:
        """Where tokens come from; ``None`` for a refresh hook."""
        return self.auth.token_endpoint

    def lock(self) -> threading.Lock:
        """The credential's lock for threads: one refresh at a time."""
        return self.auth._lock()

    def async_lock(self) -> anyio.Lock:
        """The credential's lock for tasks."""
        return self.auth._alock()

    def wanted(self, ticket: RefreshTicket) -> bool:
        """Under the lock: False when another request replaced the stale token meanwhile."""
        return self.auth._wanted(ticket)

    def store(self, token: RefreshResult) -> None:
        """Hand the new token to the credential."""
        self.auth._store(token)

    def run_hook(self) -> RefreshResult:
        """Call the refresh hook (sync clients)."""
        return self.auth._sync_hook()

    async def run_hook_async(self) -> RefreshResult:
        """Call the refresh hook (async clients; a plain one in a worker thread)."""
        return await self.auth._async_hook()

    def repeat_after(self, response: httpx.Response) -> bool:
        """True when ``response`` is the first 401 of this call to a request our token
        signed: the call is then repeated once, after a refresh."""
        if self._repeated or response.status_code != 401:
            return False
        ticket = self.auth._refused(response.request)
        if ticket is None:
            return False
        self._repeated = True
        self._pending = ticket
        return True


def check_token_endpoints(
    credentials: Mapping[str, httpx.Auth], services: Mapping[str, Service]
) -> None:
    """Refuse, at construction, a token endpoint on a service the client does not have,
    or signed by a credential it does not have or by a refreshing bearer credential (whose
    own refresh would wait for itself)."""
    for name, auth in credentials.items():
        endpoint = auth.token_endpoint if isinstance(auth, BearerAuth) else None
        if endpoint is None:
            continue
        if endpoint.api is not None and endpoint.api not in services:
            raise ConfigurationError(
                f"the token endpoint of credential {name!r} is on service {endpoint.api!r}, "
                f"which this client does not have (known: {sorted(services)})"
            )
        if endpoint.credential is None:
            continue
        signer = credentials.get(endpoint.credential)
        if signer is None:
            raise ConfigurationError(
                f"the token endpoint of credential {name!r} is signed with credential "
                f"{endpoint.credential!r}, which this client was not given"
            )
        if isinstance(signer, BearerAuth) and signer.can_refresh:
            raise ConfigurationError(
                f"the token endpoint of credential {name!r} cannot be signed with "
                f"{endpoint.credential!r}, a bearer credential that refreshes itself"
            )


def lock_timeout(p: Prepared) -> float | None:
    """How long the call may wait for another request's refresh (``None``: no limit)."""
    remaining = p.state.remaining()
    return None if remaining is None else max(0.0, remaining)


def wait_error(p: Prepared, doing: str) -> DeadlineExceededError:
    """The call's deadline ran out ``doing`` something for its token; nothing was sent."""
    return p.deadline_before(doing)


def token_setup(
    config: ClientConfig, p: Prepared, endpoint: TokenEndpoint
) -> tuple[ClientConfig, Options]:
    """The configuration and options the token request for call ``p`` runs with."""
    remaining = p.state.remaining()
    if remaining is not None and remaining <= 0:
        raise wait_error(p, "before fetching a token")
    base_urls = config.base_urls
    if endpoint.api is None:
        url = httpx.URL(endpoint.url)
        base_urls = {**base_urls, OWN_ORIGIN: f"{url.scheme}://{url.netloc.decode('ascii')}"}
    credentials = config.credentials
    if endpoint.credential is None:
        credentials = {**credentials, NO_CREDENTIAL: NoAuth()}
    token_config = dataclasses.replace(
        config,
        base_urls=base_urls,
        credentials=credentials,
        etag_cache=None,  # a token answer is never replayed
    )
    options = Options(
        timeout=p.options.timeout,
        deadline=remaining,
        retry=p.options.retry,
        max_response_size=p.options.max_response_size,
    )
    return token_config, options


def explain_failure(error: APIError, endpoint: TokenEndpoint, p: Prepared) -> None:
    """Make the token request's error say what it is; it is raised in place of the error
    of call ``p``, which was not sent (or not repeated) without a token."""
    if isinstance(error, APIDecodeError):
        # The answer may hold a token under another name: nothing we could redact.
        error.body = None
        error.text = ""
    # The error belongs to the call that needed the token (err.operation); its URL and this
    # message say it was the token request that failed.
    message = f"token request {endpoint.name} for {p.info.label} failed: {error.message}"
    if isinstance(error, DeadlineExceededError) and p.options.deadline is not None:
        message += f" (what was left of the call's {p.options.deadline:g}s deadline)"
    if isinstance(error, NotFoundError):
        where = f"base_urls[{endpoint.api!r}]" if endpoint.api is not None else "its URL"
        message += (
            f" (the server has no token endpoint there: check {where}, and that this "
            "server offers this kind of login)"
        )
    error.message = message
    error.args = (message,)
    error.operation, error.operation_id = p.info.python_name or None, p.info.operation_id or None
