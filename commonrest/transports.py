"""Pluggable transports behind httpx's transport interface.

The default is httpx's own. For high-concurrency async work, install the ``aiohttp`` extra
(``pip install 'commonrest[aiohttp]'``) and pass ``transport=aiohttp_transport()`` to any
async client: auth, retries, errors and rate limits are unchanged, only the sockets differ.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = ["aiohttp_transport"]


def aiohttp_transport(**kwargs: Any) -> httpx.AsyncBaseTransport:
    """An ``httpx.AsyncBaseTransport`` that sends through aiohttp.

    Keyword arguments go to ``httpx_aiohttp.AiohttpTransport`` (e.g. ``limits``).
    """
    try:
        from httpx_aiohttp import AiohttpTransport
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the aiohttp transport needs the 'aiohttp' extra: pip install 'commonrest[aiohttp]'"
        ) from exc
    kwargs.setdefault("limits", httpx.Limits(max_connections=100, max_keepalive_connections=50))
    transport: httpx.AsyncBaseTransport = AiohttpTransport(**kwargs)
    return transport
