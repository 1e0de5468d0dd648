"""Redirect rules: whether a response's ``Location`` is followed, and what goes with it.

A redirect is the server's word, and the server may be misconfigured or compromised. What we
send along is our caller's, so the rules err on the side of sending less. In order:

1. Only 301, 302, 303, 307 and 308 with a ``Location`` are followed, at most
   :data:`MAX_REDIRECTS` hops, and only to ``http`` or ``https`` URLs. Anything else is
   returned as the response it is (a 3xx then raises as a status error).
2. 301, 302 and 303 are followed only by GET and HEAD: a POST is never quietly turned into
   a GET (nor repeated as a POST, which these statuses do not ask for).
3. A hop to the origin (scheme, host and port) the call was made to, in a chain that never
   left it, repeats the request as it was: every header, the credential and, for 307/308,
   the body.
4. A hop to any other origin, and every hop after the chain has left the origin once (a
   foreign server may send us back; it must not learn what we would send there):

   - GET and HEAD follow it with ``Accept`` and ``User-Agent`` only, with the client's own
     values: no credential, no header the caller or a service added (API keys, cookies,
     idempotency keys, conditional headers, custom headers), no body. These two stay
     because they say nothing about the caller or the account (the media type we can read
     and the library's name and version) and the target needs ``Accept`` to answer in a
     form we parse.
   - Any other method is refused with :class:`~commonrest.RedirectError`, before
     anything is sent there: its body (card data, personal data) and its idempotency key
     belong to the API it was meant for, and the same method without them would be a
     different request that the caller never made.

:func:`next_hop` is pure: it reads the response and returns what to do; the client sends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from ._errors import RedirectError, error_from_response

if TYPE_CHECKING:
    from ._redaction import Redactor

__all__ = [
    "FOREIGN_HEADERS",
    "MAX_REDIRECTS",
    "Hop",
    "Refusal",
    "next_hop",
    "origin_of",
    "redirect_error",
]

#: How many hops a call follows before the last redirect is returned as the response.
MAX_REDIRECTS = 5

#: The only headers a hop to another origin carries (with the client's default values).
FOREIGN_HEADERS = ("Accept", "User-Agent")

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_FOLLOW_ANYWHERE = frozenset({"GET", "HEAD"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: httpx.URL) -> tuple[str, str, int]:
    """``(scheme, host, port)`` with the port spelled out (``https://a`` is ``:443``)."""
    scheme = url.scheme.lower()
    return scheme, url.host.lower(), url.port or _DEFAULT_PORTS.get(scheme, 0)


def _show(origin: tuple[str, str, int]) -> str:
    scheme, host, port = origin
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


@dataclass(frozen=True)
class Hop:
    """Follow the redirect with ``request``; ``same_origin`` says whether the credential
    may sign it (and whether the chain is still on the call's origin)."""

    request: httpx.Request
    same_origin: bool


@dataclass(frozen=True)
class Refusal:
    """Do not follow: a request other than GET/HEAD was sent to another origin.
    ``target_origin`` is ``scheme://host:port`` only, as the path and query of a
    ``Location`` may carry secrets (signed URLs, tokens)."""

    status_code: int
    method: str
    target_origin: str


def next_hop(
    response: httpx.Response,
    *,
    origin: httpx.URL,
    hops: int,
    left_origin: bool,
    headers: Sequence[tuple[str, str]],
    content: bytes | None,
    foreign_headers: Mapping[str, str],
) -> Hop | Refusal | None:
    """What to do with ``response`` to a call made to ``origin``.

    ``hops`` is how many redirects this chain has followed, ``left_origin`` whether one of
    them left the origin; ``headers`` and ``content`` are the call's own headers (before
    any credential) and body, repeated on the origin; ``foreign_headers`` are the client's
    defaults, of which only :data:`FOREIGN_HEADERS` go anywhere else. ``None`` means the
    response is final.
    """
    status = response.status_code
    if status not in _REDIRECT_STATUSES or "location" not in response.headers:
        return None
    previous = response.request
    method = previous.method
    if status in (301, 302, 303) and method not in _FOLLOW_ANYWHERE:
        return None
    if hops >= MAX_REDIRECTS:
        return None
    try:
        target = previous.url.join(response.headers["location"])
    except httpx.InvalidURL:
        return None
    if target.scheme not in ("http", "https") or not target.host:
        return None
    same_origin = not left_origin and origin_of(target) == origin_of(origin)
    if same_origin:
        kept = [(k, v) for k, v in headers if k.lower() not in ("host", "content-length")]
        body = content if status in (307, 308) else None
    elif method in _FOLLOW_ANYWHERE:
        wanted = {name.lower() for name in FOREIGN_HEADERS}
        kept = [(k, v) for k, v in foreign_headers.items() if k.lower() in wanted]
        body = None
    else:
        return Refusal(status, method, _show(origin_of(target)))
    new = httpx.Request(method, target, headers=kept, content=body)
    new.extensions = dict(previous.extensions)
    return Hop(new, same_origin)


def redirect_error(
    response: httpx.Response, refusal: Refusal, *, redactor: Redactor, attempts: int
) -> RedirectError:
    """The error for a redirect :func:`next_hop` refused to follow; it names the target's
    origin only."""
    error = error_from_response(
        RedirectError,
        f"{refusal.status_code} redirect to another origin ({refusal.target_origin}) not "
        f"followed: a {refusal.method} request and its body go only to the API it was made "
        "to; nothing was sent there",
        response,
        redactor=redactor,
        attempts=attempts,
        keep_body=False,
        target_origin=refusal.target_origin,
    )
    error.headers["location"] = refusal.target_origin  # its path and query may hold secrets
    return error
