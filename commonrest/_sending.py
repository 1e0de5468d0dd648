"""Sending one request through a connection pool the client owns, without httpx's client
layers.

``httpx.Client.send`` adds what a client of ours never uses: redirects (the pipeline
follows them itself, see :mod:`.redirects`), event hooks and a cookie jar (a pool we create
has neither hooks nor cookies to send, yet httpx parses every response's cookies into its
jar, the largest single cost of a small call). So for a pool the client created, the
request goes to the transport httpx would pick for its URL (a proxy mounted from the
environment included) with the auth flow driven as httpx drives it: every ``httpx.Auth``
works unchanged, multi-step flows (digest) included. The response is what httpx gives:
bound to its request, with ``elapsed`` set once it is closed, and httpx's
``HTTP Request: ...`` log line. An ``http_client`` of the user's goes through its own
``send``, so its hooks, cookies and mounts keep working.
"""

from __future__ import annotations

import logging
import time

import httpx
from httpx._client import BoundAsyncStream, BoundSyncStream

__all__ = ["send_async", "send_sync"]

_HTTPX_LOG = logging.getLogger("httpx")


def _auth_for(request: httpx.Request, auth: httpx.Auth | None) -> httpx.Auth:
    """The auth httpx would use for ``auth`` (``None``: credentials in the URL, if any)."""
    if auth is not None:
        return auth
    url = request.url
    if url.username or url.password:
        return httpx.BasicAuth(url.username, url.password)
    return httpx.Auth()


def _log(request: httpx.Request, response: httpx.Response) -> None:
    if _HTTPX_LOG.isEnabledFor(logging.INFO):
        _HTTPX_LOG.info(
            'HTTP Request: %s %s "%s %d %s"',
            request.method,
            request.url,
            response.http_version,
            response.status_code,
            response.reason_phrase,
        )


def _one_sync(http: httpx.Client, request: httpx.Request) -> httpx.Response:
    transport = http._transport_for_url(request.url)
    start = time.perf_counter()
    if not isinstance(request.stream, httpx.SyncByteStream):
        raise RuntimeError("Attempted to send an async request with a sync Client instance.")
    try:
        response = transport.handle_request(request)
    except httpx.RequestError as exc:
        exc.request = request
        raise
    assert isinstance(response.stream, httpx.SyncByteStream)
    response.request = request
    response.stream = BoundSyncStream(response.stream, response=response, start=start)
    _log(request, response)
    return response


def send_sync(
    http: httpx.Client, request: httpx.Request, auth: httpx.Auth | None
) -> httpx.Response:
    """Send ``request`` through ``http``'s transport, signed by ``auth``; the body unread."""
    flow = _auth_for(request, auth).sync_auth_flow(request)
    history: list[httpx.Response] = []
    try:
        request = next(flow)
        while True:
            response = _one_sync(http, request)
            try:
                if history:
                    response.history = list(history)
                try:
                    request = flow.send(response)
                except StopIteration:
                    return response
                response.read()
                history.append(response)
            except BaseException:
                response.close()
                raise
    finally:
        flow.close()


async def _one_async(http: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    transport = http._transport_for_url(request.url)
    start = time.perf_counter()
    if not isinstance(request.stream, httpx.AsyncByteStream):
        raise RuntimeError("Attempted to send a sync request with an AsyncClient instance.")
    try:
        response = await transport.handle_async_request(request)
    except httpx.RequestError as exc:
        exc.request = request
        raise
    assert isinstance(response.stream, httpx.AsyncByteStream)
    response.request = request
    response.stream = BoundAsyncStream(response.stream, response=response, start=start)
    _log(request, response)
    return response


async def send_async(
    http: httpx.AsyncClient, request: httpx.Request, auth: httpx.Auth | None
) -> httpx.Response:
    """:func:`send_sync` for an async pool."""
    auth = _auth_for(request, auth)
    if type(auth).async_auth_flow is not _DEFAULT_ASYNC_FLOW:
        return await _send_async_flow(http, request, auth)
    # httpx's default async flow only drives the sync one, reading the bodies the auth
    # asks for: driven here directly, without an async generator per call.
    if auth.requires_request_body:
        await request.aread()
    flow = auth.auth_flow(request)
    history: list[httpx.Response] = []
    try:
        request = next(flow)
        while True:
            response = await _one_async(http, request)
            try:
                if history:
                    response.history = list(history)
                if auth.requires_response_body:
                    await response.aread()
                try:
                    request = flow.send(response)
                except StopIteration:
                    return response
                await response.aread()
                history.append(response)
            except BaseException:
                await response.aclose()
                raise
    finally:
        flow.close()


_DEFAULT_ASYNC_FLOW = httpx.Auth.async_auth_flow


async def _send_async_flow(
    http: httpx.AsyncClient, request: httpx.Request, auth: httpx.Auth
) -> httpx.Response:
    """:func:`send_async` for an auth with an async flow of its own."""
    flow = auth.async_auth_flow(request)
    history: list[httpx.Response] = []
    try:
        request = await flow.__anext__()
        while True:
            response = await _one_async(http, request)
            try:
                if history:
                    response.history = list(history)
                try:
                    request = await flow.asend(response)
                except StopAsyncIteration:
                    return response
                await response.aread()
                history.append(response)
            except BaseException:
                await response.aclose()
                raise
    finally:
        await flow.aclose()
