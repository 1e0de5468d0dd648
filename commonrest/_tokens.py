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

A 401 earns one refresh and one repeat per call (so does a response the token endpoint's
``rejects`` recognises as a refused token); the repeat is not counted as a retry.
This module holds what the sync and async loops share; they only lock, send and await.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING

import httpx

from ._auth import (
    BearerAuth,
    RefreshResult,
    RefreshTicket,
    TokenEndpoint,
)
from ._errors import (
    ConfigurationError,
)

if TYPE_CHECKING:
    import anyio

    from ._services import Service

__all__ = ["TokenRefresh", "check_token_endpoints"]


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
        signed (or another refusal of the token, as the endpoint's ``rejects`` tells): the
        call is then repeated once, after a refresh."""
        if self._repeated or response.status_code < 400:
            return False
        if response.status_code != 401:
            endpoint = self.auth.token_endpoint
            if endpoint is None or endpoint.rejects is None or not endpoint.rejects(response):
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
