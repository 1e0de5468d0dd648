"""A hostile HTTP server on 127.0.0.1: behaviours that break the rules on purpose.

Each behaviour reads the request (so the client has sent every byte) and then misbehaves:
hangs up without an answer, resets the connection, stops half-way through the status line,
sends its headers or body one byte at a time forever, sends far more body than any limit,
or a small gzip body that expands to hundreds of megabytes. A :class:`Tally` counts the
requests the server received, which is what tells a retry from a duplicate.

Run them with :func:`tests.core.servers.serve`.
"""

from __future__ import annotations

import functools
import itertools
import json
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from typing import Any

from .servers import Behaviour, read_request


class Tally:
    """How many complete requests a server has read, across every connection."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.methods: list[str] = []
        self.idempotency_keys: list[str | None] = []
        self.headers: list[dict[str, str]] = []

    def record(self, request: bytes) -> None:
        head = request.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        lines = head.split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        with self._lock:
            self.requests += 1
            self.methods.append(lines[0].split(" ", 1)[0])
            self.idempotency_keys.append(headers.get("idempotency-key"))
            self.headers.append(headers)


def _reset(conn: socket.socket) -> None:
    """Close with an RST instead of a FIN (SO_LINGER with a zero timeout)."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _read(conn: socket.socket, tally: Tally | None) -> bool:
    request = read_request(conn)
    if b"\r\n\r\n" not in request:
        return False  # the client went away (a pool's probe, a closed keep-alive)
    if tally is not None:
        tally.record(request)
    return True


def close_after_request(tally: Tally) -> Behaviour:
    """Read the request, then close the connection without a word (a FIN)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        _read(conn, tally)

    return behave


def reset_after_request(tally: Tally) -> Behaviour:
    """Read the request, then reset the connection (an RST)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        if _read(conn, tally):
            _reset(conn)

    return behave


def close_mid_headers(tally: Tally) -> Behaviour:
    """Read the request, send a status line and half a header, then close."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        if _read(conn, tally):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: appl")

    return behave


class Drip:
    """Sends a response one byte at a time, "forever", and notices when the client hangs up
    (its connection is then closed, not leaked). Forever is ``give_up`` seconds: a client
    that does not give up first fails its test instead of hanging it."""

    def __init__(self, every: float = 0.05, give_up: float = 10.0) -> None:
        self.every = every
        self.give_up = give_up
        self.hung_up = threading.Event()

    def _send(self, conn: socket.socket, stop: threading.Event, data: Iterator[int]) -> None:
        end = time.monotonic() + self.give_up
        for byte in data:
            if stop.wait(self.every) or time.monotonic() > end:
                return
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                self.hung_up.set()
                return

    def headers(self) -> Behaviour:
        """A status line, then header lines byte by byte, never ending the header block:
        every read is quick, the headers endless."""

        def behave(conn: socket.socket, stop: threading.Event) -> None:
            if not _read(conn, None):
                return
            lines = (f"X-Drip-{n}: {n}\r\n".encode() for n in itertools.count())
            head = itertools.chain([b"HTTP/1.1 200 OK\r\n"], lines)
            self._send(conn, stop, itertools.chain.from_iterable(head))

        return behave

    def body(self) -> Behaviour:
        """Complete headers (the length not given: the body ends when the connection
        does), then the body byte by byte."""

        def behave(conn: socket.socket, stop: threading.Event) -> None:
            if not _read(conn, None):
                return
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
            )
            self._send(conn, stop, itertools.repeat(32))

        return behave


def never_read_body() -> Behaviour:
    """Read the request headers, then never read the body nor answer (until the server
    stops): a client sending a large body blocks in its writes."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(1024)
            if not chunk:
                return
            data += chunk
        stop.wait(10)

    return behave


_BLOCK = b"x" * (1 << 20)


def large_body(
    size: int, *, announce: bool = True, content_type: bytes = b"text/plain"
) -> Behaviour:
    """Answer 200 with ``size`` bytes of body, sent as fast as the client reads. With
    ``announce=False`` the length is not given (the body ends when the server closes), so
    only counting while reading can stop it."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        if not _read(conn, None):
            return
        length = f"Content-Length: {size}\r\n".encode() if announce else b""
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: "
            + content_type
            + b"\r\nConnection: close\r\n"
            + length
            + b"\r\n"
        )
        left = size
        while left > 0 and not stop.is_set():
            block = _BLOCK[: min(left, len(_BLOCK))]
            conn.sendall(block)
            left -= len(block)

    return behave


@functools.lru_cache(maxsize=4)
def gzip_bomb_bytes(expanded: int) -> bytes:
    """A gzip stream of ``expanded`` zero bytes (about a thousand times smaller)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    parts = []
    left = expanded
    while left > 0:
        step = min(left, len(zeros))
        parts.append(packer.compress(zeros[:step]))
        left -= step
    parts.append(packer.flush())
    return b"".join(parts)


def gzip_bomb(expanded: int, status: int = 200) -> Behaviour:
    """Answer with a small gzip body (its length announced) that expands to ``expanded``
    bytes."""
    body = gzip_bomb_bytes(expanded)

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        if not _read(conn, None):
            return
        conn.sendall(
            f"HTTP/1.1 {status} Whatever\r\nContent-Type: application/json\r\n".encode()
            + b"Content-Encoding: gzip\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    return behave


def encoded_json(payload: Any, coding: str, tally: Tally | None = None) -> Behaviour:
    """Answer 200 with ``payload`` as JSON compressed with ``coding``: ``gzip``,
    ``deflate`` (zlib-wrapped, as the RFC says) or ``raw-deflate`` (sent as ``deflate``
    without the zlib header, as some servers do)."""
    data = json.dumps(payload).encode()
    wbits = {"gzip": 31, "deflate": 15, "raw-deflate": -15}[coding]
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = packer.compress(data) + packer.flush()
    name = "deflate" if coding == "raw-deflate" else coding

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        if not _read(conn, tally):
            return
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + f"Content-Encoding: {name}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    return behave


def large_error(size: int, status: int = 503, tally: Tally | None = None) -> Behaviour:
    """Answer ``status`` with a JSON-looking body of ``size`` bytes, its length not
    announced (it ends when the server closes)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        if not _read(conn, tally):
            return
        conn.sendall(
            f"HTTP/1.1 {status} Unavailable\r\n".encode()
            + b"Content-Type: application/json\r\nConnection: close\r\n\r\n"
            + b'{"message": "'
        )
        left = size
        while left > 0 and not stop.is_set():
            block = _BLOCK[: min(left, len(_BLOCK))]
            conn.sendall(block)
            left -= len(block)

    return behave


def answer(
    payload: Any,
    status: int = 200,
    tally: Tally | None = None,
    headers: dict[str, str] | None = None,
) -> Behaviour:
    """Answer every request with ``payload`` as JSON and ``headers``, counting requests."""
    body = json.dumps(payload).encode()
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        if not _read(conn, tally):
            return
        conn.sendall(
            f"HTTP/1.1 {status} Whatever\r\nContent-Type: application/json\r\n{extra}"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )

    return behave
