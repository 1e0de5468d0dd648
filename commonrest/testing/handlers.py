"""Posting a request to your own web application in a test, with no server or socket.

Webhook receivers are the code a vendor calls rather than code that calls the vendor;
these helpers deliver a body to such a handler the way the vendor would, through httpx's
in-process transports (:class:`httpx.WSGITransport`, :class:`httpx.ASGITransport`), so
the application sees a real HTTP request (method, path, headers, raw body).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

__all__ = ["post_to_asgi", "post_to_wsgi"]

_BASE = "http://testserver"


def _headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    out = {"Content-Type": "application/json"}
    out.update(headers or {})
    return out


def post_to_wsgi(
    app: Any, body: bytes | str, *, path: str = "/", headers: Mapping[str, str] | None = None
) -> httpx.Response:
    """POST ``body`` to the WSGI application ``app`` (Flask, Django, any WSGI callable) at
    ``path`` and return its response (read). ``Content-Type`` defaults to JSON."""
    content = body.encode("utf-8") if isinstance(body, str) else body
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url=_BASE) as client:
        return client.post(path, content=content, headers=_headers(headers))


async def post_to_asgi(
    app: Any, body: bytes | str, *, path: str = "/", headers: Mapping[str, str] | None = None
) -> httpx.Response:
    """POST ``body`` to the ASGI application ``app`` (Starlette, FastAPI, Django's ASGI,
    any ASGI callable) at ``path`` and return its response (read)."""
    content = body.encode("utf-8") if isinstance(body, str) else body
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=_BASE) as client:
        return await client.post(path, content=content, headers=_headers(headers))
