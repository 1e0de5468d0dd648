"""Pluggable transports behind httpx's transport interface.

The default is httpx's own. For high-concurrency async work, install the ``aiohttp`` extra
(``pip install 'commonrest[aiohttp]'``) and pass ``transport=aiohttp_transport()`` to any
async client: auth, retries, errors and rate limits are unchanged, only the sockets differ.
The aiohttp transport never repeats a request on its own and reports a failure as "nothing
sent" only when aiohttp failed before writing the request (see :mod:`._aiohttp_adapter`).
"""

from __future__ import annotations

from typing import Any

import httpx

from ._lazy import publish

__all__ = ["aiohttp_transport"]


def aiohttp_transport(**kwargs: Any) -> httpx.AsyncBaseTransport:
    """An ``httpx.AsyncBaseTransport`` that sends through aiohttp.

    Keyword arguments: ``limits`` (an ``httpx.Limits``: ``max_connections`` and
    ``keepalive_expiry`` size aiohttp's pool), ``verify``, ``cert`` and ``trust_env`` as for
    httpx, ``proxy``, ``uds``, ``local_address``, or ``client=`` an ``aiohttp.ClientSession``
    of your own (or a function making one). aiohttp's automatic re-send of dropped
    connections is turned off on that session too: only the client's retry policy repeats a
    request. A session of your own is yours to close.
    """
    try:
        from ._aiohttp_adapter import AiohttpTransport
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the aiohttp transport needs the 'aiohttp' extra: pip install 'commonrest[aiohttp]'"
        ) from exc
    kwargs.setdefault("limits", httpx.Limits(max_connections=100, max_keepalive_connections=50))
    transport: httpx.AsyncBaseTransport = AiohttpTransport(**kwargs)
    return transport


publish(__name__, globals())
