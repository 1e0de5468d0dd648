"""The token step of one call: how long it may wait for another request's refresh, the
configuration its token request runs with, and what that request's error says.

Shared by the sync and async loops of :mod:`._client`, which only lock, send and await;
the refresh state itself (:class:`~._tokens.TokenRefresh`) is in :mod:`._tokens`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import httpx

from ._auth import NO_CREDENTIAL, OWN_ORIGIN, NoAuth, TokenEndpoint
from ._errors import APIDecodeError, APIError, DeadlineExceededError, NotFoundError
from ._options import Options

if TYPE_CHECKING:
    from ._config import ClientConfig
    from ._pipeline import Prepared

__all__ = ["explain_failure", "lock_timeout", "token_setup", "wait_error"]


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
        if endpoint.not_found_hint:
            message += f"; {endpoint.not_found_hint}"
    error.message = message
    error.args = (message,)
    error.operation, error.operation_id = p.info.python_name or None, p.info.operation_id or None
