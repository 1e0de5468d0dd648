"""The socket side of sync deadlines: an httpcore network backend whose every connect, read
and write ends by the deadline of the call running in this thread (see
:mod:`.deadline`). Kept apart so that importing a client does not import httpcore (httpx
loads it when the first connection pool is created)."""

from __future__ import annotations

import ssl
import time
import typing
from collections.abc import Callable, Iterable
from functools import partial

import httpcore
import httpx

from ._sync_deadline import DEADLINE

__all__ = ["DeadlineBackend", "install_backend"]

#: Largest piece written with one clipped timeout: each piece gets a timeout clipped
#: afresh, so a peer reading slowly cannot stretch a large body's write far past the deadline.
_WRITE_PIECE = 65536

_SocketOption: typing.TypeAlias = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


def _left(timeout: float | None) -> tuple[float | None, bool]:
    """The timeout to use now and whether the deadline (not ``timeout``) sets it."""
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout, False
    left = deadline - time.monotonic()
    if timeout is not None and timeout <= left:
        return timeout, False
    return left, True


def _until_deadline(
    operation: Callable[[float | None], typing.Any], timeout: float | None, error: type[Exception]
) -> typing.Any:
    """Run ``operation(t)`` with ``t`` clipped to the deadline. When the clip made it time
    out, the error is held until the deadline has really passed (socket timers may fire a
    little early), so the pipeline always finds the deadline gone when it sees it."""
    clipped, by_deadline = _left(timeout)
    if clipped is not None and clipped <= 0:
        raise error("the call's deadline has passed")
    try:
        return operation(clipped)
    except error:
        deadline = DEADLINE.get()
        if by_deadline and deadline is not None:
            time.sleep(max(0.0, deadline - time.monotonic()))
        raise


class _Stream(httpcore.NetworkStream):
    """A socket stream whose every operation ends by the current call's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = _until_deadline(
            lambda t: self._stream.read(max_bytes, t), timeout, httpcore.ReadTimeout
        )
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        for start in range(0, len(buffer), _WRITE_PIECE):
            piece = buffer[start : start + _WRITE_PIECE]
            _until_deadline(partial(self._stream.write, piece), timeout, httpcore.WriteTimeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls: httpcore.NetworkStream = _until_deadline(
            lambda t: self._stream.start_tls(ssl_context, server_hostname, t),
            timeout,
            httpcore.ConnectTimeout,
        )
        return _Stream(tls)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """An httpcore network backend whose streams respect the deadline of the sync call
    running in the current thread (see :func:`bound_sockets`)."""

    def __init__(self, backend: httpcore.NetworkBackend | None = None) -> None:
        self._backend = backend if backend is not None else httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        stream: httpcore.NetworkStream = _until_deadline(
            lambda t: self._backend.connect_tcp(host, port, t, local_address, socket_options),
            timeout,
            httpcore.ConnectTimeout,
        )
        return _Stream(stream)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        stream: httpcore.NetworkStream = _until_deadline(
            lambda t: self._backend.connect_unix_socket(path, t, socket_options),
            timeout,
            httpcore.ConnectTimeout,
        )
        return _Stream(stream)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def install_backend(client: httpx.Client) -> bool:
    """Put :class:`DeadlineBackend` under every httpx transport of ``client`` (its own and
    those mounted for proxies). Returns False when a transport is not httpx's own, whose
    pool cannot be reached."""
    transports: list[object] = [getattr(client, "_transport", None)]
    transports.extend(getattr(client, "_mounts", {}).values())
    complete = True
    for transport in transports:
        if transport is None:
            continue
        pool = (
            getattr(transport, "_pool", None)
            if isinstance(transport, httpx.HTTPTransport)
            else None
        )
        backend = getattr(pool, "_network_backend", None)
        if pool is None or not isinstance(backend, httpcore.NetworkBackend):
            complete = False
            continue
        if not isinstance(backend, DeadlineBackend):
            # httpx.HTTPTransport takes no network backend; its pool keeps it here.
            pool._network_backend = DeadlineBackend(backend)
    return complete
