"""The aiohttp transport, made to tell the pipeline the truth about what was sent.

``httpx_aiohttp`` maps every ``aiohttp.ClientConnectionError`` it does not know better to
``httpx.ConnectTimeout``, which means "no byte of the request left"; a server that read a
POST and then hung up made the pipeline send that POST again. And aiohttp itself repeats an
idempotent request once, behind our back, when the connection drops. This adapter keeps
httpx_aiohttp's session setup but:

- turns aiohttp's own retry off, so every attempt is one the pipeline decided on;
- maps aiohttp's exceptions to httpx's classes itself: a connect-phase class
  (``ConnectError``, ``ConnectTimeout``, ``UnsupportedProtocol``) only for failures aiohttp
  raises before writing the request (refused, DNS, TLS handshake, the connect or
  pool-wait timeout, a bad URL); everything else is an error after sending. An error
  whose aiohttp origin cannot be found is treated as sent too.

Imported only by :func:`commonrest.aiohttp_transport`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import aiohttp
import httpx
from aiohttp import client_exceptions as aio
from httpx_aiohttp import AiohttpTransport

__all__ = ["SafeAiohttpTransport", "translate"]

#: aiohttp exception -> httpx exception, most specific first; the first match wins.
_MAP: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    # Raised before any byte of the request is written.
    (aio.ClientProxyConnectionError, httpx.ConnectError),
    (aio.ClientConnectorError, httpx.ConnectError),  # refused, DNS, TLS handshake
    (aio.ServerFingerprintMismatch, httpx.ConnectError),  # checked right after the handshake
    (aio.ConnectionTimeoutError, httpx.ConnectTimeout),  # connecting or waiting for the pool
    (aio.InvalidURL, httpx.UnsupportedProtocol),
    (aio.NonHttpUrlClientError, httpx.UnsupportedProtocol),
    # Raised once the request may have left: the server may have acted on it.
    (aio.SocketTimeoutError, httpx.ReadTimeout),
    (aio.ServerTimeoutError, httpx.ReadTimeout),
    (aio.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aio.ClientPayloadError, httpx.ReadError),  # the body was cut short
    (aio.ClientHttpProxyError, httpx.ProxyError),
    (aio.ClientResponseError, httpx.RemoteProtocolError),  # a malformed status line or header
    (aio.ClientConnectionError, httpx.ReadError),  # resets and other socket errors
    (aio.ClientError, httpx.ReadError),
    (asyncio.TimeoutError, httpx.ReadTimeout),
    (OSError, httpx.ReadError),
)

#: The httpx classes that tell the pipeline nothing was sent.
_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def _origin(exc: BaseException) -> BaseException | None:
    """The aiohttp (or socket) exception behind ``exc``, following ``raise ... from``."""
    seen: BaseException | None = exc
    depth = 0
    while seen is not None and depth < 10:
        if isinstance(seen, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
            return seen
        seen = seen.__cause__ or seen.__context__
        depth += 1
    return None


def translate(exc: Exception, request: httpx.Request) -> Exception:
    """The httpx exception the pipeline should see for ``exc`` raised while sending
    ``request`` or reading its response; other exceptions are returned unchanged."""
    origin = _origin(exc)
    if origin is None:
        if isinstance(exc, _UNSENT):
            # Claims nothing was sent but cannot show why: assume it was.
            return httpx.ReadError(str(exc), request=request)
        return exc
    for source, target in _MAP:
        if isinstance(origin, source):
            return target(str(origin) or type(origin).__name__, request=request)
    return exc  # pragma: no cover - the last rows of _MAP match every origin


@contextlib.contextmanager
def _translated(request: httpx.Request) -> Iterator[None]:
    """Raise what :func:`translate` makes of an exception of the block."""
    try:
        yield
    except Exception as exc:
        mapped = translate(exc, request)
        if mapped is exc:
            raise
        raise mapped from None


class _Body(httpx.AsyncByteStream):
    """The response body, with the same exception mapping as the request."""

    def __init__(self, stream: httpx.AsyncByteStream, request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _translated(self._request):
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        with _translated(self._request):
            await self._stream.aclose()


class SafeAiohttpTransport(AiohttpTransport):
    """httpx_aiohttp's transport without aiohttp's own retry and with exact error classes."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(self.client, aiohttp.ClientSession):
            self.client = self.get_client()
        # aiohttp re-sends an idempotent request once when a connection drops; only the
        # pipeline may decide to send a request again (its attempts are counted and bounded).
        self.client._retry_connection = False
        with _translated(request):
            response = await super().handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Body(response.stream, request)
        return response
