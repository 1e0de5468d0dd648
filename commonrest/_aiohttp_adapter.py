"""The aiohttp transport: httpx's transport interface over an ``aiohttp.ClientSession``,
made to tell the pipeline the truth about what was sent.

Written here rather than taken from ``httpx_aiohttp``, which maps every
``aiohttp.ClientConnectionError`` it does not know better to ``httpx.ConnectTimeout``
("no byte of the request left": a server that read a POST and then hung up made the
pipeline send that POST again) and costs more per request than aiohttp itself. This one:

- turns aiohttp's own retry off (also on a session of the user's), so every attempt is one
  the pipeline decided on;
- maps aiohttp's exceptions to httpx's classes itself: a connect-phase class
  (``ConnectError``, ``ConnectTimeout``, ``UnsupportedProtocol``) only for failures aiohttp
  raises before writing the request (refused, DNS, TLS handshake, the connect or
  pool-wait timeout, a bad URL); everything else is an error after sending. An error
  whose aiohttp origin cannot be found is treated as sent too;
- hands the body on as aiohttp received it (``auto_decompress`` off), so the pipeline's
  bounded decoder (see :mod:`.response_size`) is the only one, and reads it as it arrives.

Imported only by :func:`commonrest.aiohttp_transport`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, NoReturn

import aiohttp
import httpx
import yarl
from aiohttp import client_exceptions as aio

from ._headers import listed
from ._memo import keep

__all__ = ["AiohttpTransport", "translate"]

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
        _raise_translated(exc, request)


def _raise_translated(exc: Exception, request: httpx.Request) -> NoReturn:
    """Raise what :func:`translate` makes of ``exc`` (``exc`` itself if nothing)."""
    mapped = translate(exc, request)
    if mapped is exc:
        raise exc
    raise mapped from None


def _url(url: httpx.URL) -> yarl.URL:
    """The URL aiohttp sends, taken as httpx encoded it: the request target on the wire is
    byte for byte the one httpx's transport writes. (Left to parse the string itself, yarl
    re-quotes it: ``%41`` went out as ``A``, ``|`` as ``%7C``, ``%zz`` as ``%25zz``.)"""
    # The pipeline hands the same URL object to every call of a path without a query
    # (see .request): its yarl twin is made once. Kept beside the URL, whose identity is
    # checked, so a reused id() never finds another URL's twin.
    known = _YARL.get(id(url))
    if known is not None and known[0] is url:
        return known[1]
    twin = yarl.URL(str(url), encoded=True)
    keep(_YARL, id(url), (url, twin), 1024)
    return twin


_YARL: dict[int, tuple[httpx.URL, yarl.URL]] = {}


def _headers(raw: Any) -> httpx.Headers:
    """httpx headers over aiohttp's raw ``(name, value)`` byte pairs, as they came."""
    headers = httpx.Headers()
    # httpx keeps (name, lowercased name, value) triples; aiohttp already has the bytes.
    headers._list = [(k, k.lower(), v) for k, v in raw]
    return headers


_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=50)

#: A body up to this size, announced by ``Content-Length`` and not encoded, is read whole
#: before the response is handed on.
SMALL_BODY = 64 * 1024


def _small(response: aiohttp.ClientResponse) -> bool:
    length = response.content_length
    if length is None or length > SMALL_BODY or "Transfer-Encoding" in response.headers:
        return False  # (a chunked body is not bounded by the length it also announces)
    coding = response.headers.get("Content-Encoding")
    # An encoded body is left to the pipeline's bounded decoder, which httpx's would bypass.
    return coding is None or coding.strip().lower() == "identity"


def _items(headers: httpx.Headers) -> list[tuple[str, str]]:
    """``headers.multi_items()``, without working out their encoding when all are ASCII
    (as the headers the SDK writes are)."""
    raw = listed(headers)
    if raw is not None:
        try:
            return [(k.decode("ascii"), v.decode("ascii")) for k, _, v in raw]
        except UnicodeDecodeError:
            pass
    return headers.multi_items()


class _Body(httpx.AsyncByteStream):
    """The response body as aiohttp receives it, with the request's exception mapping."""

    __slots__ = ("_request", "_response")

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        content = self._response.content
        while True:
            try:
                chunk = await content.readany()
            except Exception as exc:
                _raise_translated(exc, self._request)
            if not chunk:
                return
            yield chunk

    async def aclose(self) -> None:
        with _translated(self._request):
            # Back to the pool when the body was read to its end, closed otherwise.
            self._response.release()
            await self._response.wait_for_close()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An ``httpx.AsyncBaseTransport`` sending through an ``aiohttp.ClientSession``.

    The session is created on first use, inside the running event loop, unless ``client``
    gives one (or a function making one); a session of the caller's is not closed by
    :meth:`aclose`.
    """

    def __init__(
        self,
        *,
        verify: ssl.SSLContext | str | bool = True,
        cert: str | tuple[str, str] | tuple[str, str, str] | None = None,
        trust_env: bool = True,
        limits: httpx.Limits = _LIMITS,
        proxy: httpx.Proxy | str | None = None,
        uds: str | None = None,
        local_address: str | None = None,
        client: aiohttp.ClientSession | Callable[[], aiohttp.ClientSession] | None = None,
    ) -> None:
        self._ssl = httpx.create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)
        self._limits = limits
        self._proxy = httpx.Proxy(proxy) if isinstance(proxy, str) else proxy
        self._uds = uds
        self._local_address = local_address
        self._factory = client if callable(client) else None
        self._session = client if isinstance(client, aiohttp.ClientSession) else None
        self._owned = not isinstance(client, aiohttp.ClientSession)
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}
        self._extra: dict[str, Any] = {}
        if self._proxy is not None:
            self._extra["proxy"] = str(self._proxy.url)
            if self._proxy.auth:
                self._extra["proxy_auth"] = aiohttp.BasicAuth(*self._proxy.auth)
            self._extra["proxy_headers"] = dict(self._proxy.headers)

    def _new_session(self) -> aiohttp.ClientSession:
        if self._factory is not None:
            return self._factory()
        limit = self._limits.max_connections or 0  # aiohttp: 0 is no limit
        connector: aiohttp.BaseConnector
        if self._uds:
            connector = aiohttp.UnixConnector(
                path=self._uds, keepalive_timeout=self._limits.keepalive_expiry, limit=limit
            )
        else:
            connector = aiohttp.TCPConnector(
                keepalive_timeout=self._limits.keepalive_expiry,
                ssl=self._ssl,
                local_addr=(self._local_address, 0) if self._local_address else None,
                limit=limit,
            )
        # No cookie jar, as on httpx's transport under a client of ours: a cookie a
        # response sets is not sent with later calls.
        return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())

    def _session_now(self) -> aiohttp.ClientSession:
        session = self._session
        if session is None:
            session = self._session = self._new_session()
        # aiohttp re-sends an idempotent request once when a connection drops; only the
        # pipeline may decide to send a request again (its attempts are counted and bounded).
        session._retry_connection = False
        return session

    def _timeout(self, timeout: dict[str, float | None]) -> aiohttp.ClientTimeout:
        key = (timeout.get("connect"), timeout.get("read"), timeout.get("pool"))
        found = self._timeouts.get(key)
        if found is None:
            # aiohttp's "connect" covers the wait for a pooled connection as well.
            found = aiohttp.ClientTimeout(sock_connect=key[0], sock_read=key[1], connect=key[2])
            keep(self._timeouts, key, found, 256)  # deadlines clip timeouts to many values
        return found

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        session = self._session_now()
        data: Any
        try:
            data = request.content or None
        except httpx.RequestNotRead:
            data = request.stream
            request.headers.pop("transfer-encoding", None)  # aiohttp chunks it itself
        extensions = request.extensions
        # (try/except rather than _translated: a context manager costs more than the rest
        # of this method's own work)
        try:
            response = await session._request(
                request.method,
                _url(request.url),
                headers=_items(request.headers),
                data=data,
                allow_redirects=False,
                auto_decompress=False,
                compress=None,
                timeout=self._timeout(extensions.get("timeout", {})),
                server_hostname=extensions.get("sni_hostname"),
                **self._extra,
            )
        except Exception as exc:
            _raise_translated(exc, request)
        reason = response.reason
        extensions = {"http_version": b"HTTP/1.1"}
        if reason:
            extensions["reason_phrase"] = reason.encode()
        headers = _headers(response.raw_headers)
        if _small(response):
            # Read here in one step: a few layers of async iteration cost more than the
            # read. Bounded by the announced length, and still under the call's deadline.
            try:
                body = await response.read()
            except Exception as exc:
                _raise_translated(exc, request)
            finally:
                response.release()
            read = httpx.Response(
                response.status,
                headers=headers,
                stream=httpx.ByteStream(body),
                request=request,
                extensions=extensions,
            )
            # What reading and closing it would leave, without passing the bytes through
            # httpx's (identity) decoder and chunker.
            read._content = body
            read.is_stream_consumed = read.is_closed = True
            read.elapsed = datetime.timedelta(seconds=time.perf_counter() - started)
            return read
        return httpx.Response(
            response.status,
            headers=headers,
            stream=_Body(response, request),
            request=request,
            extensions=extensions,
        )

    async def aclose(self) -> None:
        if self._session is not None and self._owned:
            await self._session.close()
